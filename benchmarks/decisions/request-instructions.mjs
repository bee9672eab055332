// Instructions per request of scenario b's app under each variant, with valgrind's
// cachegrind: the same app, flags and environment as `npm run bench -- --only b` (exports to
// a loopback OTLP sink in this process, the inventory stub for the realistic route here too),
// the client in this process rather than in the app's. Unlike requests per second on a shared
// machine, the counts hold still under load, so they decide hot-path changes; see
// lib/count-request-instructions.mjs for how one request is isolated.
//
//   npm run build && node benchmarks/decisions/request-instructions.mjs \
//     [--variants bare,lookout-tracing,lookout-full] [--routes hello,orders] [--requests 2000] [--warmup 3000] \
//     [--env NAME=VALUE ...]
//
// --env (repeatable) sets a variable in every app on top of its variant's, to take one part of
// a variant away: LOOKOUT_TRACES_SAMPLER=always_off (no span recorded),
// LOOKOUT_TRACES_EXPORTER=none (spans recorded, nothing exported), OTEL_BSP_MAX_EXPORT_BATCH_SIZE.
//
// Needs valgrind (Debian package `valgrind`). Each variant and route runs the app twice.
//
// The default 2,000 counted requests end before V8 has optimised all of the export (it runs
// once per 512 spans) and move with one garbage collection more or less: with them the same
// build read lookout-tracing on hello at 850-862 thousand instructions per request and
// lookout-full on the realistic route at 2,025-2,076; with `--requests 10000` (about 3 minutes
// a variant) 765 and 1,811. Count over 10,000 to compare builds or variants. The default 3,000
// requests of warm-up leave the export still being optimised too: lookout-tracing on hello read
// 771 with them and 748 with `--warmup 20000` (docs/decisions/0066-own-otlp-span-encoder.md,
// addendum); compare parts of the export with that warm-up.
import { parseArgs } from 'node:util';
import { startInfrastructure } from '../lib/infrastructure.mjs';
import { ROOT, STEADY_STATE_APP } from '../lib/paths.mjs';
import { describeLaunch, getFreePort } from '../lib/server-process.mjs';
import { steadyStateRoute } from '../lib/steady-state-routes.mjs';
import { countRequestInstructions } from './lib/count-request-instructions.mjs';
import { envFromAssignments } from './lib/env-assignments.mjs';

const { values: options } = parseArgs({
  options: {
    variants: { type: 'string', default: 'bare,lookout-tracing,lookout-full' },
    routes: { type: 'string', default: 'hello,orders' },
    requests: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '3000' },
    env: { type: 'string', multiple: true, default: [] },
  },
});

const overrides = envFromAssignments(options.env);

const variants = options.variants.split(',');
const routes = options.routes.split(',').map((name) => [name, steadyStateRoute(name)]);

const infrastructure = await startInfrastructure();
const spansPerRun = [];
try {
  console.log(
    `node ${process.version}; thousands of instructions per request (${Number(options.warmup) + Number(options.requests)} minus ${options.warmup} requests, run side by side), app process only${options.env.length > 0 ? `; with ${options.env.join(' ')}` : ''}\n`,
  );
  console.log(`| variant | ${routes.map(([name]) => name).join(' | ')} |`);
  console.log(`| --- | ${routes.map(() => '---').join(' | ')} |`);
  for (const variant of variants) {
    const cells = [];
    for (const [, route] of routes) {
      const launch = await describeLaunch(variant, STEADY_STATE_APP.path, infrastructure, 0);
      const perRequest = await countRequestInstructions({
        args: launch.args,
        // valgrind runs the app some 50 times slower, so two timers are stretched: the batch
        // processor's 5 s timer would send batches far smaller than the full ones (512 spans)
        // the same load sends at full speed (batches now go out when full, as under scenario
        // b's load, and at the end of a run), and the 5 s shutdown deadline could drop the
        // last batch, whose export would then go uncounted.
        env: {
          ...launch.env,
          ...overrides,
          OTEL_BSP_SCHEDULE_DELAY: '600000',
          LOOKOUT_SHUTDOWN_TIMEOUT_MS: '120000',
        },
        cwd: ROOT,
        getPort: getFreePort,
        route,
        ready: steadyStateRoute('hello'),
        warmup: Number(options.warmup),
        requests: Number(options.requests),
        beforeRuns: () => infrastructure.reset(),
        afterRuns: (count) => spansPerRun.push(`${variant} ${count}: ${infrastructure.stats().otlp.spans}`),
      });
      cells.push(perRequest.toFixed(0));
    }
    console.log(`| ${variant} | ${cells.join(' | ')} |`);
  }
  // Every request's spans must have reached the sink (a run ends with SIGTERM, which flushes):
  // a variant that exported nothing would look cheap.
  console.log(
    `\nspans at the OTLP sink per pair of runs (requests of both, plus 2 readiness probes): ${spansPerRun.join('; ')}`,
  );
} finally {
  await infrastructure.close();
}
