// Scenario d: per-invocation time of a warm Lambda function, per variant.
import { defineScenario } from '../lib/scenario.mjs';

export default defineScenario({
  id: 'lambda-overhead',
  letter: 'd',
  title: 'Lambda per-invocation overhead',
  summary:
    "The same function and runtime as scenario c, warm: after the cold invocation and a warm-up (200 invocations), 1,000 invocations run one after another through the real runtime interface client and a Runtime API stand-in that also serves the Extensions API and, like Lambda, hands out the next invocation only when the runtime and every extension wait on /next again. **caller** is the median time from an invocation's delivery to its response POST: what the caller waits for. **billed** is the median time from delivery to the moment the runtime and every extension are back on /next (Lambda freezes the environment then and stops billing): telemetry delivered after the response counts here, not in **caller**. **CPU** is the function process's CPU time per measured invocation (user + system, from /proc, 10 ms ticks over the whole run): all the work in-process, before or after the response. The difference to `bare` is what each variant adds. Every variant's handler answers an HTTP API event; `lookout-wrap` (spans to the loopback OTLP sink) and `lookout-wrap-xray` (to the X-Ray daemon sink over UDP) wrap it with `wrap()` and write one log line and one metric per invocation, answering first and delivering after through Lookout's internal extension; `lookout-wrap-waiting` is `lookout-wrap` with `LOOKOUT_LAMBDA_DELIVER_AFTER_RESPONSE=false` (the order without the Extensions API); `lookout-layer` runs the unchanged handler behind the layer. Peers: `powertools-middy`, the Powertools Tracer, Logger and Metrics through middy with the same log line and metric (a subsegment to the X-Ray daemon sink, EMF per invocation); `otel-lambda`, an OpenTelemetry Lambda layer–style preload (tracer provider, OTLP exporter, the aws-lambda instrumentation, which force-flushes before answering), as the OpenTelemetry and ADOT layers do.",
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
  ],
  columns: [
    { metric: 'callerUs', show: 'value' },
    { metric: 'callerUs', show: 'delta', label: 'caller added to bare' },
    { metric: 'p90Us', show: 'value' },
    { metric: 'billedUs', show: 'value' },
    { metric: 'billedUs', show: 'delta', label: 'billed added to bare' },
    { metric: 'cpuUs', show: 'value' },
    { metric: 'cpuUs', show: 'delta', label: 'CPU added to bare' },
  ],
  chart: ['callerUs'],
});
