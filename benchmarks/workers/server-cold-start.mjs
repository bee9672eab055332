// Scenario a, one sample: spawn the example app under one variant and time the first HTTP 200.
//
//   node benchmarks/workers/server-cold-start.mjs --variant <name> --result <file> [--quick]
//
// Metrics (milliseconds):
//   firstResponseMs  spawn() called -> the first 200 has been read: the cold start.
//   firstConnectMs   spawn() called -> the first accepted connection (the app is listening),
//                    to within the probe interval.
//   firstRequestMs   that connection -> its 200: the first request's own time, which is where
//                    lazily loaded telemetry code shows up.
import { useInfrastructure } from '../lib/infrastructure.mjs';
import { COLD_START_APP } from '../lib/paths.mjs';
import {
  describeLaunch,
  getFreePort,
  PROBE_INTERVAL_MS,
  readRssBytes,
  spawnApp,
  waitForFirst200,
} from '../lib/server-process.mjs';
import { parseWorkerArgs, runWorker, writeResult } from '../lib/worker.mjs';

runWorker(async () => {
  const { variant, result } = parseWorkerArgs();
  const infrastructure = await useInfrastructure();
  const port = await getFreePort();
  const launch = await describeLaunch(variant, COLD_START_APP.path, infrastructure, port);

  const spawnedAt = performance.now();
  const app = spawnApp(launch);
  try {
    const { connectedAt, respondedAt } = await waitForFirst200({
      port,
      method: COLD_START_APP.method,
      path: COLD_START_APP.firstRequest,
      exited: app.exited,
      stderr: app.stderr,
    });
    const rssBytes = readRssBytes(app.child.pid);
    writeResult(result, {
      metrics: {
        firstResponseMs: respondedAt - spawnedAt,
        firstConnectMs: connectedAt - spawnedAt,
        firstRequestMs: respondedAt - connectedAt,
        rssAtFirstResponseMB: rssBytes / 1e6,
      },
      details: {
        command: `node ${launch.args.join(' ')}`,
        env: launch.variantEnv,
        probeIntervalMs: PROBE_INTERVAL_MS,
        stderr: app.stderr(),
      },
    });
  } finally {
    await app.stop();
    await infrastructure.close();
  }
});
