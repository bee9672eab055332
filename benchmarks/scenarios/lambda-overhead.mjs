// Scenario d: per-invocation time of a warm Lambda function, per variant.
import { defineScenario } from '../lib/scenario.mjs';

export default defineScenario({
  id: 'lambda-overhead',
  letter: 'd',
  title: 'Lambda per-invocation overhead',
  summary:
    "The same function and runtime as scenario c, warm: after the cold invocation and a warm-up (200 invocations), 1,000 invocations run one after another (then, in the same environment, 1,000 more once it has served 8,000: the **warm:** columns, see under the table) through the real runtime interface client and a Runtime API stand-in that also serves the Extensions API and, like Lambda, hands out the next invocation only when the runtime and every extension wait on /next again. **caller** is the median time from an invocation's delivery to its response POST: what the caller waits for. **billed** is the median time from delivery to the moment the runtime and every extension are back on /next (Lambda freezes the environment then and stops billing): telemetry delivered after the response counts here, not in **caller**. **CPU** is the function process's CPU time per measured invocation (user + system, from /proc, 10 ms ticks over the whole run): all the work in-process, before or after the response. The difference to `bare` is what each variant adds. Every variant's handler answers an HTTP API event; `lookout-wrap` (spans to the loopback OTLP sink) and `lookout-wrap-xray` (to the X-Ray daemon sink over UDP) wrap it with `wrap()` and write one log line and one metric per invocation, answering first and delivering after through Lookout's internal extension; `lookout-wrap-waiting` is `lookout-wrap` with `LOOKOUT_LAMBDA_DELIVER_AFTER_RESPONSE=false` (the order without the Extensions API); `lookout-layer` runs the unchanged handler behind the layer. Peers: `powertools-middy`, the Powertools Tracer, Logger and Metrics through middy with the same log line and metric (a subsegment to the X-Ray daemon sink, EMF per invocation); `otel-lambda`, an OpenTelemetry Lambda layer–style preload (tracer provider, OTLP exporter, the aws-lambda instrumentation, which force-flushes before answering), as the OpenTelemetry and ADOT layers do.",
  worker: 'lambda-overhead',
  variants: [
    'bare',
    'lookout-wrap',
    'lookout-wrap-xray',
    'lookout-wrap-waiting',
    'lookout-layer',
    'powertools-middy',
    'otel-lambda',
  ],
  baseline: 'bare',
  rounds: { full: 5, quick: 1 },
  timeoutMs: 300_000,
  metrics: [
    { key: 'callerUs', label: 'caller (median)', unit: 'µs', better: 'lower' },
    { key: 'p90Us', label: 'caller p90', unit: 'µs', better: 'lower' },
    { key: 'billedUs', label: 'billed (median)', unit: 'µs', better: 'lower' },
    { key: 'cpuUs', label: 'CPU per invocation', unit: 'µs', better: 'lower' },
    { key: 'warmCallerUs', label: 'warm: caller (median)', unit: 'µs', better: 'lower' },
    { key: 'warmP90Us', label: 'warm: caller p90', unit: 'µs', better: 'lower' },
    { key: 'warmBilledUs', label: 'warm: billed (median)', unit: 'µs', better: 'lower' },
    { key: 'warmCpuUs', label: 'warm: CPU per invocation', unit: 'µs', better: 'lower' },
  ],
  columns: [
    { metric: 'callerUs', show: 'value' },
    { metric: 'callerUs', show: 'delta', label: 'caller added to bare' },
    { metric: 'p90Us', show: 'value' },
    { metric: 'billedUs', show: 'value' },
    { metric: 'billedUs', show: 'delta', label: 'billed added to bare' },
    { metric: 'cpuUs', show: 'value' },
    { metric: 'cpuUs', show: 'delta', label: 'CPU added to bare' },
    { metric: 'warmCallerUs', show: 'value' },
    { metric: 'warmCallerUs', show: 'delta', label: 'warm: caller added to bare' },
    { metric: 'warmP90Us', show: 'value' },
    { metric: 'warmBilledUs', show: 'value' },
    { metric: 'warmBilledUs', show: 'delta', label: 'warm: billed added to bare' },
    { metric: 'warmCpuUs', show: 'value' },
    { metric: 'warmCpuUs', show: 'delta', label: 'warm: CPU added to bare' },
  ],
  chart: ['callerUs', 'warmCallerUs'],
  notes: [
    "**Two windows of one run.** The columns without a prefix are invocations 202 to 1,201 of a freshly started environment (after the cold invocation and 200 warm-up ones): what an environment that has served a few hundred invocations costs, while V8 is still compiling the path (docs/decisions/0058-lambda-extension-off-the-invocation-path.md); the goals read these. The **warm:** columns are 1,000 invocations of the same environment after it has served 8,000: a warm environment, where the CPU per invocation has stopped falling: in blocks of 1,000 invocations (one run per variant, load 5–9), `lookout-wrap` fell from 1,520 µs (invocations 2–1,001) to about 850 µs by 4,000 and about 750 µs by 8,000, flat up to 16,000; the other variants were flat from 5,000 or 6,000 on. The results keep each run's CPU per block of 1,000, `cpuUsPerBlock`, to check it. Quick runs take the warm window after 100 invocations, too early for a steady state.",
    '**Runs from one to the next.** The table above is `npm run bench -- --only d` at `df6271f` (2026-12-08 02:09 UTC, load average 2.0 at the start): `wrap()` with OTLP +169 µs for the caller, with X-Ray +120 µs, the layer +120 µs; in the warm window +117, +90 and +50 µs; every peer slower too (the Powertools trio +292 µs where the run before read +226, the OpenTelemetry layer–style +568 where it read +478). The same command at `31a676c` (2026-12-07 10:22 UTC, load average 0.5–1.1) read +120, +111 and +65 µs, warm +53, +46 and +46 µs; at `30a6650` +121, +139 and +95 µs, warm +59, +61 and +79 µs; at `75a7249` +190, +186 and +108 µs: from one run of 5 rounds to the next the rows move by tens of microseconds. Instruction counts hold still where these do not: `benchmarks/decisions/lambda-function-instructions.mjs` (the same runtime client and Runtime API stand-in under cachegrind, invocations 100–600, two runs of each build) gave `wrap()` with OTLP +2,456 and +2,465 thousand instructions per invocation over bare at `c4b6def` and +2,383 and +2,393 thousand at `df6271f`, the layer +2,253 thousand at `c4b6def` and +2,188 at `df6271f` (one run each).',
  ],
});
