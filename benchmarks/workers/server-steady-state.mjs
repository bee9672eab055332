// Scenario b (and e), one sample: start the bench app under one variant, load it with
// autocannon from this process, and read its memory.
//
//   node benchmarks/workers/server-steady-state.mjs --variant <name> --result <file> [--quick]
//
// For each route, hello (GET /hello/:name) then realistic (POST /orders): a warm-up run whose
// figures are dropped, then a measured run (connections and seconds: LOAD in
// scenarios/server-steady-state.mjs). Latency percentiles come from
// every response's own time (autocannon's histogram rounds to whole milliseconds).
//
// Metrics: helloRps, helloP50Ms, helloP99Ms, ordersRps, ordersP50Ms, ordersP99Ms (2xx per
// second and latency), helloCpuUs and ordersCpuUs (the app process's CPU time per response), rssIdleMB (VmRSS once the app answers, before load) and rssAfterMB
// (VmRSS after both measured runs). Any error, timeout or non-2xx response fails the run.
import { useInfrastructure } from '../lib/infrastructure.mjs';
import { runLoad } from '../lib/load.mjs';
import { STEADY_STATE_APP } from '../lib/paths.mjs';
import {
  describeLaunch,
  getFreePort,
  readCpuMs,
  readRssBytes,
  spawnApp,
  waitForFirst200,
} from '../lib/server-process.mjs';
import { percentile } from '../lib/stats.mjs';
import { STEADY_STATE_ROUTES as ROUTES, steadyStateRoute } from '../lib/steady-state-routes.mjs';
import { parseWorkerArgs, runWorker, writeResult } from '../lib/worker.mjs';
import { LOAD } from '../scenarios/server-steady-state.mjs';

runWorker(async () => {
  const { variant, result, quick } = parseWorkerArgs();
  const durations = quick ? LOAD.quick : LOAD.full;
  const infrastructure = await useInfrastructure();
  const port = await getFreePort();
  const launch = await describeLaunch(variant, STEADY_STATE_APP.path, infrastructure, port);
  const app = spawnApp(launch);
  try {
    await waitForFirst200({ port, path: '/hello/ready', exited: app.exited, stderr: app.stderr });
    // One realistic request before the idle reading, so both readings include the code paths
    // of both routes being loaded.
    const orders = steadyStateRoute('orders');
    const check = await fetch(`http://127.0.0.1:${port}${orders.path}`, {
      method: orders.method,
      body: orders.body,
      headers: orders.headers,
    });
    if (check.status !== 201) throw new Error(`POST /orders answered ${check.status}: ${await check.text()}`);
    const rssIdleMB = readRssBytes(app.child.pid) / 1e6;

    const metrics = {};
    const details = {
      command: `node ${launch.args.join(' ')}`,
      env: launch.variantEnv,
      connections: LOAD.connections,
      ...durations,
    };
    for (const route of ROUTES) {
      const load = { connections: LOAD.connections, sampleIntervalMs: durations.sampleIntervalMs };
      if (durations.warmupSeconds > 0)
        await runLoad(port, route, { ...load, seconds: durations.warmupSeconds });
      const cpuBefore = readCpuMs(app.child.pid);
      const measured = await runLoad(port, route, {
        ...load,
        seconds: durations.measureSeconds,
        amount: durations.measureRequests,
      });
      const cpuMs = readCpuMs(app.child.pid) - cpuBefore;
      metrics[`${route.key}Rps`] = measured.rps;
      // The app's own CPU time per response (10 ms resolution over the whole run).
      metrics[`${route.key}CpuUs`] = (cpuMs * 1000) / measured.requests;
      metrics[`${route.key}P50Ms`] = percentile(measured.latencies, 50);
      metrics[`${route.key}P99Ms`] = percentile(measured.latencies, 99);
      details[`${route.key}Requests`] = measured.requests;
      details[`${route.key}Seconds`] = measured.seconds;
    }
    metrics.rssIdleMB = rssIdleMB;
    metrics.rssAfterMB = readRssBytes(app.child.pid) / 1e6;
    if (infrastructure.stats) details.sinks = infrastructure.stats();
    details.stderr = app.stderr();
    writeResult(result, { metrics, details });
  } finally {
    await app.stop();
    await infrastructure.close();
  }
});
