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
    "**A quiet machine.** Three runs of 6 rounds on a machine doing nothing else, the benchmark's own harness and sinks aside, with the same request path: at `75a7249` (06:58 UTC) bare served 5,272 req/s on hello, and Lookout tracing read 0.91x bare, Lookout full 0.73x, full over OTel + Powertools 1.58x and over plain OpenTelemetry 1.22x (CPU per request added to bare: full +82 µs, tracing +23 µs); at `30a6650` (08:26 UTC), bare 7,378 req/s, 0.79x, 0.67x, 1.83x and 1.42x (+70 and +38 µs); the table above, at `3e01b22` (10:07 UTC, load average 0.6–0.8, the request path unchanged since `30a6650`), bare 7,615 req/s, reads 0.84x, 0.68x, 1.74x and 1.33x (+65 and +27 µs), and on the realistic route full 0.78x bare and 1.19x plain OpenTelemetry (0.68x and 1.15x at `30a6650`). A run between them (at `1450f49`) is left out: a stray process took one of the two cores while it ran. The run before them (6 rounds at `70282e2`, 03:16 UTC, load average 1.7–1.9 from other work; the request path the same but for the response-size read of commit `00e2dc1`) served 3,198 req/s bare and read 0.82x, 0.75x, 1.49x and 1.21x. Ratios to bare move by 0.1x from one run of 6 rounds to the next on an unchanged path; full's standing against the peers holds.",
    '',
    "**Where the CPU time goes** (`node benchmarks/decisions/request-profile.mjs --variant <v> --route hello|orders --requests 20000|8000`: the same app under `node --cpu-prof`, 20 connections, 2,000 requests of warm-up, then self time per owner over the measured requests only, divided by the responses; idle, start-up and warm-up left out). Measured 2026-12-06 19:38–19:43 UTC, one run per column, load average 0.6–1.6; the profiler inflates every figure, and it samples the main thread only. Unprofiled, by thread (`node benchmarks/decisions/request-thread-cpu.mjs --variant <v> --route hello|orders`, /proc, the same hour, one run each): bare hello 194 µs of CPU per request on the main thread and 21 µs on V8's helper threads (garbage collection, compilation), Lookout tracing 259 + 25, Lookout full 304 + 29; the realistic route 611 + 61, 735 + 80 and 754 + 85. An owner's figure moves by about 10 µs between runs (Express and its router read 66–86 µs on hello for the same code): read the rows as proportions. Kernel time for socket writes (`writev`, and `writeLatin1String` for `fetch`'s request headers) sits under \"native\".",
    '',
    '| µs per request (profiled, main thread) | bare hello | Lookout tracing hello | Lookout full hello | bare realistic | Lookout tracing realistic | Lookout full realistic |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    '| total | 324 | 352 | 366 | 843 | 944 | 936 |',
    '| Lookout (span start and end, export, access log, metrics; the shared `@opentelemetry/api` file included) | 2 | 32 | 62 | 1 | 57 | 82 |',
    '| async context propagation (AsyncLocalStorage hooks, promise hooks) | 0 | 2 | 2 | 0 | 25 | 24 |',
    '| garbage collector (main thread) | 24 | 22 | 21 | 56 | 62 | 57 |',
    '| Node http, streams, timers and native (syscalls included) | 183 | 160 | 174 | 592 | 604 | 598 |',
    '| Express and its router | 73 | 86 | 66 | 76 | 67 | 72 |',
    '| the rest (body-parser, content-type, the app, …) | 43 | 50 | 41 | 117 | 129 | 102 |',
    '',
    "Inside \"Lookout\" the cost is a flat spread of a few microseconds per item: the lean SERVER span's start and end (and the `fetch()` CLIENT span's on the realistic route), its attributes, the W3C and X-Ray propagation, the OTLP encoding of the batch (amortised per span), redaction at export; for Lookout full, `observe()`'s end-of-request work, the access-log line (its formatting and the `write` to stdout) and `randomUUID()` for the request id come on top. On the realistic route the one AsyncLocalStorage store's promise hooks cost about 25 µs per request (`fetch()` makes many promises): the price of any context store on Node 20. The request path has no per-middleware spans, patched `emit`, `AsyncResource`, wrapped `write`/`end` or second AsyncLocalStorage (decisions 0005 to 0007).",
    '',
    "**Counted in instructions** (`node benchmarks/decisions/request-instructions.mjs --variants <v> --routes hello|orders --requests 10000`: the same app under valgrind's cachegrind, one connection, 3,000 requests of warm-up then 10,000 counted; 2026-12-07, load average 1–2.5, one run each unless two figures are given), thousands of instructions per request. Hello: bare 667, Lookout tracing 765, Lookout full 860, Lookout tracing with spans recorded but not exported (`LOOKOUT_TRACES_EXPORTER=none`) 674, with the sampler off 664. Realistic: Lookout tracing 1,747, Lookout full 1,811; a hand-changed build that can skip the access-log line read full 1,844 and 1,794 with it and 1,769 without. Counted this way, tracing adds 15 % to a hello request and almost all of it is the export (the batch processor, redaction, encoding and the HTTP request, amortised per span: `span-export-cost.mjs` puts it at 15 µs of CPU per span, and its two arms run under cachegrind with 10,000 and 30,000 spans after the warm-up at 42 thousand instructions per span, of which `otlp-span-encoder.mjs` times the encoding at 3.2–3.6 µs), and full adds 50–100 thousand to tracing on the realistic route, about what it adds on hello. The CPU time per request in the table above grows by more than the instructions do (tracing +30 % on hello in the run of 2026-12-06, +75 µs (−48 to +130 per round) in the six rounds of 2026-12-07; full over tracing on the realistic route 125–390 µs per round in the first, 97–478 µs in the second): the counts send one request at a time, so the extra is work that only 20 requests in flight bring, the same code running slower with them (memory, caches), or the machine's spread; which of these is not settled. With 2,000 counted requests (the script's default) the same build read 2,025–2,076 for full on the realistic route: counts need the longer run. After 20,000 requests of warm-up (`--warmup 20000`) tracing on hello reads 748 (V8 is still optimising the export after 3,000), and by time the whole export sits within one run's spread, redaction 1.8–3.9 µs per span and encoding each span as it ends no cheaper (docs/decisions/0066-own-otlp-span-encoder.md, addendum): what tracing adds by time is spread over the request's path, as the profile above shows.",
    '',
    "**Lookout tracing over bare, by kind of work** (2026-12-07: `request-instructions.mjs --variants bare,lookout-tracing --routes hello --requests 10000 --warmup 20000` with cachegrind's per-function output kept and compared with `cg_diff`, tracing twice with its exporter returning at once and once with each span dropped when it ends, against one bare run; thousands of instructions per request, in that order): Lookout's own JavaScript (JIT code) 10.8, 11.7 and 11.3, the V8 builtins it calls 6.7, 7.0 and 6.6: about 18 thousand, under 3 % of a bare request's 655 thousand. Garbage collection (+18.5, +10.5, +1.3), property-access slow paths (+11.2, +4.1, +18.4) and the compiler (−15.9, −28.2, −22.9) move by 10 to 20 thousand between runs of the same build, so the totals (689, 662 and 671; bare 655) cannot tell parts of that size apart. Dropping each span when it ends read 671 against 689 and 662 with the batch: keeping 512 spans alive for the export is not what tracing costs. `node --log-ic` over 6,000 requests: about 122 inline-cache misses per request that V8 resolves in its runtime (`LookupIterator`, the largest single entry of a `perf` profile of the app, 5.9 %), almost all in Express's and Node's http code, whose request and response objects reach every property read megamorphic; 5.2 at Lookout's sites, 4.2 after the response's size stopped reading `headers` (commit `00e2dc1`). In `perf`, the largest user of megamorphic keyed loads under tracing is Node 20's AsyncLocalStorage propagating its store at each new async resource (`emitInitNative`), the price of a context store on this Node version.",
    "**What full adds over tracing: the access-log line** (2026-12-07, `node benchmarks/decisions/request-cpu-ab.mjs --route hello`, CPU per request over 20,000 requests, arms alternated round by round; the arms came from a hand-changed copy of the built middleware that skips parts when an environment variable says so, not committed). `observe()` writing its access-log line against `observe({ accessLog: false })`: +20.8 µs (6 rounds, +12.5 to +26.5). Writing a constant line of the same length in place of the formatted one: −17.5 µs (8 rounds, 7 of them lower, −27.0 to +16.0); leaving out only the write −4.5 µs (5 rounds, −19.5 to +12.0); the parts of the formatting apart (trace ids, request-context keys, the path's redaction) sit inside the rounds' spread. The same formatting run in a loop in one process, a fresh span and fresh keys each line, takes about 2.5 µs, the write about 1.3 µs; counted in instructions (one connection) the line is 27–39 thousand a request (870 with it, 843 without its fields, 859 without its write; ±10 thousand between runs). So the line's own code is small, and it costs several times as much inside a loaded app as on its own. Not the cause: reading eight more properties of Express's request and response objects per request (−3.3 µs, 6 rounds, −11.0 to +7.5), although those objects get new hidden classes on every request (a `perf` profile shows V8 creating maps for them throughout, bare Express included, about 5 % of the samples). With the line's write per request a system call, the lever left is fewer writes, which would hold lines back and lose them if the process died before they were written (docs/design.md decision 4): not taken.",
  ],
});
