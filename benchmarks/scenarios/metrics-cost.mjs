// Scenario f (metrics issue): what request metrics cost a server, against the same app
// without them, in the same run.
import { defineScenario } from '../lib/scenario.mjs';

/** The app and the route under load, read by the worker too. */
export const METRICS_APP = {
  path: 'benchmarks/apps/metrics-hello-server.mjs',
  route: { method: 'GET', path: '/hello/world', expected: 200 },
};

/**
 * Load settings, read by the worker too (as in scenario b). Quick runs only prove the path: a
 * fixed number of requests, enough for the app with metrics to flush EMF (at 100 samples).
 */
export const LOAD = {
  connections: 20,
  full: { warmupSeconds: 2, measureSeconds: 5 },
  quick: { warmupSeconds: 0, measureRequests: 250, sampleIntervalMs: 100 },
};

export default defineScenario({
  id: 'metrics-cost',
  letter: 'f',
  title: 'Metrics cost',
  summary: `Per-request cost of Lookout's request metrics and runtime metrics on a server. \`${METRICS_APP.path}\` is an Express 5 hello app run under \`node --import lookout/register\` with tracing off (\`OTEL_SDK_DISABLED=true\`) in both variants; with metrics, a middleware calls \`recordRequest()\` for every response (method, route template, status, duration), as the Express adapter does, and the values are aggregated and written as EMF when an operation reaches 100 latency samples; the third variant adds the runtime metrics (on by default on servers, off in the first two). autocannon with ${LOAD.connections} connections on \`${METRICS_APP.route.method} ${METRICS_APP.route.path}\`: ${LOAD.full.warmupSeconds} s warm-up dropped, ${LOAD.full.measureSeconds} s measured. **app CPU per request** is the app process's user + system CPU time over the measured run (\`/proc/<pid>/stat\`, 10 ms resolution) divided by the requests answered: less sensitive to other load on the machine than throughput, and its difference between the variants is what metrics cost per request.`,
  worker: 'metrics-cost',
  variants: ['server-without-metrics', 'server-with-metrics', 'server-with-runtime-metrics'],
  baseline: 'server-without-metrics',
  rounds: { full: 5, quick: 1 },
  timeoutMs: 120_000,
  metrics: [
    { key: 'requestsPerSecond', label: 'throughput', unit: 'req/s', better: 'higher' },
    { key: 'p50Ms', label: 'p50', unit: 'ms', digits: 1, better: 'lower' },
    { key: 'p99Ms', label: 'p99', unit: 'ms', digits: 1, better: 'lower' },
    { key: 'appCpuUsPerRequest', label: 'app CPU per request', unit: 'µs', digits: 1, better: 'lower' },
  ],
  columns: [
    { metric: 'requestsPerSecond', show: 'value' },
    { metric: 'requestsPerSecond', show: 'ratio', label: 'throughput × without' },
    { metric: 'p99Ms', show: 'value' },
    { metric: 'appCpuUsPerRequest', show: 'value' },
    { metric: 'appCpuUsPerRequest', show: 'delta', label: 'CPU added per request' },
  ],
  chart: ['requestsPerSecond', 'appCpuUsPerRequest'],
  notes: [
    'Runtime metrics (docs/metrics.md#runtime-metrics) cost between two samples only the event-loop delay histogram (a libuv timer every 50 ms) and the GC observer (one callback per collection); a sample (heap, RSS, handles, histogram read) runs every 10 s, so a 5 s measured run holds at most one. Their cost per request is the CPU of `app with metrics and runtime metrics` less that of `app with metrics`, in the same round; the goal is at most 2 µs, decided only when every round is on one side of it. On a loaded machine the rounds vary far more than that: scenario runtime-metrics-cost measures the parts in-process instead (docs/decisions/0047-runtime-metrics.md).',
    'The app with metrics writes its EMF to a pipe the worker reads and parses (the run fails if it wrote none, or if the app without metrics wrote any); the requests it counted are in the raw results. `node benchmarks/workers/metrics-cost.mjs --variant record-request-cpu --result <file>` measures the CPU of `recordRequest()` alone, in-process (docs/metrics.md).',
  ],
});
