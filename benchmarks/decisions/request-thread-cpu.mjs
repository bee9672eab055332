// CPU time per request of scenario b's app, by thread: the main thread (where a CPU profile
// looks) and V8's helper threads (garbage collection, compilation), which `node --cpu-prof`
// does not sample. Read from /proc/<pid>/task after a warm-up, around a fixed number of
// requests, for the "Where the CPU time goes" note of docs/benchmarks.md (scenario b).
//
//   npm run build && node benchmarks/decisions/request-thread-cpu.mjs --variant lookout-full \
//     [--route hello|orders] [--requests 8000] [--warmup 3000]
//
// Prints µs of CPU per request for the main thread and for each other thread name (Node names
// V8's platform workers `node`), and their sum. /proc counts 10 ms ticks: thousands of requests
// are needed for a figure to the microsecond.
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { useInfrastructure } from '../lib/infrastructure.mjs';
import { runLoad } from '../lib/load.mjs';
import { STEADY_STATE_APP } from '../lib/paths.mjs';
import { describeLaunch, getFreePort, readStatCpuMs, spawnApp } from '../lib/server-process.mjs';
import { steadyStateRoute, waitForSteadyStateApp } from '../lib/steady-state-routes.mjs';

const { values: options } = parseArgs({
  options: {
    variant: { type: 'string', default: 'lookout-full' },
    route: { type: 'string', default: 'hello' },
    requests: { type: 'string', default: '8000' },
    warmup: { type: 'string', default: '3000' },
  },
});
const route = steadyStateRoute(options.route);

/**
 * CPU milliseconds per thread of `pid`, summed by thread name; the main thread as `main`.
 * @param {number} pid
 */
function cpuMsByThread(pid) {
  /** @type {Map<string, number>} */
  const byName = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let name;
    let cpuMs;
    try {
      name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      cpuMs = readStatCpuMs(`/proc/${pid}/task/${tid}/stat`);
    } catch {
      continue; // the thread ended in between
    }
    const key = tid === String(pid) ? 'main' : name;
    byName.set(key, (byName.get(key) ?? 0) + cpuMs);
  }
  return byName;
}

const infrastructure = await useInfrastructure();
const port = await getFreePort();
const launch = await describeLaunch(options.variant, STEADY_STATE_APP.path, infrastructure, port);
const app = spawnApp(launch);
try {
  await waitForSteadyStateApp(app, port, route);
  await runLoad(port, route, { connections: 20, amount: Number(options.warmup) });
  const pid = /** @type {number} */ (app.child.pid);
  const before = cpuMsByThread(pid);
  const { requests } = await runLoad(port, route, { connections: 20, amount: Number(options.requests) });
  const after = cpuMsByThread(pid);
  const rows = [...after]
    .map(
      ([name, ms]) =>
        /** @type {[string, number]} */ ([name, ((ms - (before.get(name) ?? 0)) * 1000) / requests]),
    )
    .filter(([, micros]) => micros > 0);
  const total = rows.reduce((sum, [, micros]) => sum + micros, 0);
  console.log(
    `${options.variant}, ${route.method} ${route.path}: ${requests} responses; µs of CPU per request: ${rows
      .map(([name, micros]) => `${name} ${micros.toFixed(0)}`)
      .join(', ')}; all threads ${total.toFixed(0)}`,
  );
} finally {
  app.child.kill('SIGTERM');
  await app.exited;
  await infrastructure.close();
}
