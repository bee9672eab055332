// Scenario b: throughput and latency under load, hello route and realistic route.
import { STEADY_STATE_APP } from '../lib/paths.mjs';
import { defineScenario } from '../lib/scenario.mjs';

/** Load settings, read by the worker too. */
export const LOAD = {
  connections: 20,
  full: { warmupSeconds: 2, measureSeconds: 5 },
  // --quick only proves the scenario runs: a fixed number of requests per route rather than a
  // duration, so a loaded machine still completes some (a duration could end with none).
  // autocannon checks for the end of a run once per sample interval, hence 100 ms.
  quick: { warmupSeconds: 0, measureRequests: 60, sampleIntervalMs: 100 },
};

export default defineScenario({
  id: 'server-steady-state',
  letter: 'b',
  title: 'Server steady state',
  summary: `autocannon (in the worker process) against \`${STEADY_STATE_APP.path}\` (in its own process) with ${LOAD.connections} connections: for each route a ${LOAD.full.warmupSeconds} s warm-up that is dropped, then ${LOAD.full.measureSeconds} s measured. **hello** is \`GET /hello/:name\`; **realistic** is \`POST /orders\`: a ~300-byte JSON body parsed and validated, one \`fetch\` to a loopback inventory stub, one JSON log line, a 201 with JSON. Throughput counts 2xx responses per second; CPU per request is the app process's user + system CPU time (from /proc) over the measured run divided by the responses, the steadier figure on a shared machine; p50 and p99 are taken over every response's own latency. Any error or non-2xx fails the run. The inventory stub and the telemetry sinks run in the harness process, so a variant's exports cost CPU on the same 2 cores, as a collector sidecar would.`,
  worker: 'server-steady-state',
  variants: [
    'bare',
    'lookout-full',
    'lookout-tracing',
    'otel-auto',
    'otel-powertools',
    'dd-trace',
    'adot',
    'powertools',
    'pino-http',
  ],
  baseline: 'bare',
  rounds: { full: 3, quick: 1 },
  timeoutMs: 180_000,
  metrics: [
    { key: 'helloRps', label: 'hello throughput', unit: 'req/s', better: 'higher' },
    { key: 'helloCpuUs', label: 'hello CPU per request', unit: 'µs', better: 'lower' },
    { key: 'helloP50Ms', label: 'hello p50', unit: 'ms', digits: 1, better: 'lower' },
    { key: 'helloP99Ms', label: 'hello p99', unit: 'ms', digits: 1, better: 'lower' },
    { key: 'ordersRps', label: 'realistic throughput', unit: 'req/s', better: 'higher' },
    { key: 'ordersCpuUs', label: 'realistic CPU per request', unit: 'µs', better: 'lower' },
    { key: 'ordersP50Ms', label: 'realistic p50', unit: 'ms', digits: 1, better: 'lower' },
    { key: 'ordersP99Ms', label: 'realistic p99', unit: 'ms', digits: 1, better: 'lower' },
    { key: 'rssIdleMB', label: 'RSS before load', unit: 'MB', digits: 1, better: 'lower' },
    { key: 'rssAfterMB', label: 'RSS after load', unit: 'MB', digits: 1, better: 'lower' },
  ],
  columns: [
    { metric: 'helloRps', show: 'value' },
    { metric: 'helloRps', show: 'ratio', label: 'hello × bare' },
    { metric: 'helloCpuUs', show: 'value' },
    { metric: 'helloCpuUs', show: 'delta', label: 'hello CPU added' },
    { metric: 'helloP50Ms', show: 'value' },
    { metric: 'helloP99Ms', show: 'value' },
    { metric: 'ordersRps', show: 'value' },
    { metric: 'ordersRps', show: 'ratio', label: 'realistic × bare' },
    { metric: 'ordersCpuUs', show: 'value' },
    { metric: 'ordersCpuUs', show: 'delta', label: 'realistic CPU added' },
    { metric: 'ordersP50Ms', show: 'value' },
    { metric: 'ordersP99Ms', show: 'value' },
  ],
  chart: ['helloRps', 'ordersRps'],
  notes: [
    '**Where the CPU time goes** (`node benchmarks/decisions/request-profile.mjs --variant <v> --route hello|orders --requests 8000`: the same app under `node --cpu-prof`, 20 connections, self time per owner divided by the responses; idle left out). Measured 2026-12-05 22:20–22:30 UTC on the shared 2-core machine at load average 9–14, where profiling and contention inflate every figure about threefold (bare hello is about 65 µs on a quiet machine, 148 µs in the run above, 476 µs profiled): read the rows as proportions. Kernel time for socket writes (`writev`, and `writeLatin1String` for `fetch`\'s request headers) sits under "native" and swings with the load for every variant.',
    '',
    '| µs per request (profiled) | bare hello | Lookout tracing hello | Lookout full hello | bare realistic | Lookout tracing realistic | Lookout full realistic |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    '| total | 476 | 683 | 915 | 1,297 | 2,504 | 4,240 |',
    '| Lookout (span start and end, export, access log, metrics) | 0 | 78 | 130 | 0 | 157 | 458 |',
    '| @opentelemetry/* (api, context) | 0 | 5 | 3 | 0 | 13 | 26 |',
    '| async context propagation (AsyncLocalStorage hooks, promise hooks) | 0 | 0 | 8 | 0 | 66 | 53 |',
    '| garbage collector | 81 | 68 | 77 | 120 | 283 | 515 |',
    '| Node http, streams, timers and native (syscalls included) | 292 | 388 | 586 | 965 | 1,600 | 2,775 |',
    '',
    "Inside \"Lookout\" for Lookout tracing on the realistic route (two spans per request), the largest items are the SDK span objects (`SpanImpl`, attribute sanitising, `end` and the batch queue: 36 % of the Lookout and OpenTelemetry self time), the OTLP encoding on the batch timer (19 %, with the transformer's encoder; Lookout's own encoder, decision 0066, costs about half of it per span), propagation (8 %: (`extract` on the server span, where Node builds `req.headers` on first access, and `inject` into `fetch`'s request through undici's `addHeader`) and redaction at export (4 %); for Lookout full, the access-log line, `observe()`'s end-of-request work and `randomUUID()` for the request id come on top. The undici span itself is Lookout's own subscriber (`onRequestCreate`, a few µs). The request path no longer has per-middleware spans, a patched `emit`, an `AsyncResource`, wrapped `write`/`end` or a second AsyncLocalStorage (decisions 0005 to 0007); one store remains, and its async-hook propagation is the price of any context store on Node 20.",
  ],
});
