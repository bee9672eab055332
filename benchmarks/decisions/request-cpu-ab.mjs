// CPU time per request of scenario b's app under one variant, in two arms that differ only by
// environment variables, alternated round by round in the same run so both see the same load.
// Each round starts the app afresh, warms it up, then reads the app process's CPU time
// (/proc/<pid>/stat, user + system) around a fixed number of requests.
//
//   npm run build && node benchmarks/decisions/request-cpu-ab.mjs --variant lookout-full \
//     --route hello --b OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT=128 [--a NAME=VALUE] [--rounds 6] \
//     [--requests 20000] [--warmup 5000] [--a-root DIR] [--b-root DIR]
//
// `--a-root`/`--b-root` run an arm's app from another checkout (a second build of Lookout: its
// own dist/, its node_modules holding links to this checkout's packages and `lookout` linking to
// itself, and its own copy of benchmarks/apps: not a link, which would load this checkout's
// Lookout too), so two builds are compared as two environments are.
//
// Prints each round's µs per request for both arms, their medians and the median of the
// per-round differences (B − A), with the load average before and after.
import { realpathSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { useInfrastructure } from '../lib/infrastructure.mjs';
import { runLoad } from '../lib/load.mjs';
import { STEADY_STATE_APP } from '../lib/paths.mjs';
import { describeLaunch, getFreePort, readCpuMs, spawnApp } from '../lib/server-process.mjs';
import { steadyStateRoute, waitForSteadyStateApp } from '../lib/steady-state-routes.mjs';
import { envFromAssignments } from './lib/env-assignments.mjs';

const { values: options } = parseArgs({
  options: {
    variant: { type: 'string', default: 'lookout-full' },
    route: { type: 'string', default: 'hello' },
    a: { type: 'string', multiple: true, default: [] },
    b: { type: 'string', multiple: true, default: [] },
    rounds: { type: 'string', default: '6' },
    requests: { type: 'string', default: '20000' },
    warmup: { type: 'string', default: '5000' },
    'a-root': { type: 'string' },
    'b-root': { type: 'string' },
  },
});
const route = steadyStateRoute(options.route);

const arms = { A: envFromAssignments(options.a), B: envFromAssignments(options.b) };
const roots = { A: options['a-root'], B: options['b-root'] };

// The app imports `lookout/express` from where its file really is: a root whose app file is a
// link into this checkout would load this checkout's Lookout beside the root's own, and the
// arm would measure two copies.
for (const root of Object.values(roots)) {
  if (root === undefined) continue;
  const app = realpathSync(join(root, STEADY_STATE_APP.path));
  if (!app.startsWith(`${realpathSync(root)}${sep}`))
    throw new Error(
      `${join(root, STEADY_STATE_APP.path)} is ${app}, outside ${root}: copy the app into the root, do not link it`,
    );
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const infrastructure = await useInfrastructure();
const requests = Number(options.requests);
/** @type {{ A: number[], B: number[] }} */
const results = { A: [], B: [] };
const loadBefore = loadavg().map((value) => value.toFixed(2));
try {
  for (let round = 0; round < Number(options.rounds); round++) {
    // Alternate which arm goes first, so neither always follows the other.
    const order = round % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
    for (const arm of order) {
      const port = await getFreePort();
      const launch = await describeLaunch(options.variant, STEADY_STATE_APP.path, infrastructure, port);
      Object.assign(launch.env, arms[/** @type {'A' | 'B'} */ (arm)]);
      const app = spawnApp(launch, { root: roots[/** @type {'A' | 'B'} */ (arm)] });
      try {
        await waitForSteadyStateApp(app, port, route);
        await runLoad(port, route, { connections: 20, amount: Number(options.warmup) });
        const pid = /** @type {number} */ (app.child.pid);
        const before = readCpuMs(pid);
        const { requests: responses } = await runLoad(port, route, { connections: 20, amount: requests });
        const micros = ((readCpuMs(pid) - before) * 1000) / responses;
        results[/** @type {'A' | 'B'} */ (arm)].push(micros);
        console.log(
          `round ${round + 1} ${arm}: ${micros.toFixed(1)} µs CPU per request (${responses} responses)`,
        );
      } finally {
        app.child.kill('SIGTERM');
        await app.exited;
      }
    }
  }
} finally {
  await infrastructure.close();
}
const differences = results.A.map((a, index) => /** @type {number} */ (results.B[index]) - a);
console.log(`\n${options.variant}, ${route.method} ${route.path}, ${requests} requests per round`);
console.log(
  `A ${JSON.stringify(arms.A)}${roots.A ? ` from ${roots.A}` : ''}: median ${median(results.A).toFixed(1)} µs`,
);
console.log(
  `B ${JSON.stringify(arms.B)}${roots.B ? ` from ${roots.B}` : ''}: median ${median(results.B).toFixed(1)} µs`,
);
console.log(
  `B − A per round: ${differences.map((value) => value.toFixed(1)).join(', ')}; median ${median(differences).toFixed(1)} µs`,
);
console.log(
  `load average before ${loadBefore.join(' ')}, after ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
