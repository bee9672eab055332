// Scenario d: per-invocation time of a warm Lambda function, per variant.
import { defineScenario } from '../lib/scenario.mjs';

export default defineScenario({
  id: 'lambda-overhead',
  letter: 'd',
  title: 'Lambda per-invocation overhead',
  summary:
    "The same function and runtime as scenario c, warm: after the cold invocation and a warm-up (200 invocations), 1,000 invocations run one after another, each timed from its delivery by `GET /next` to the response `POST`, as seen by the Runtime API stand-in. The figure is the median per invocation; it includes the runtime interface client's own round trips, which are the same for every variant, so the difference to `bare` is what Lookout adds: the span, the log context, the invocation's EMF document written to stdout and the flush of the span before answering (to the loopback OTLP sink over HTTP for `lookout-wrap` and `lookout-layer`, to the X-Ray daemon sink over UDP for `lookout-wrap-xray`, the default on Lambda without a collector).",
  worker: 'lambda-overhead',
  variants: ['bare', 'lookout-wrap', 'lookout-wrap-xray', 'lookout-layer'],
  baseline: 'bare',
  rounds: { full: 5, quick: 1 },
  timeoutMs: 300_000,
  metrics: [
    { key: 'perInvocationUs', label: 'per invocation (median)', unit: 'µs', better: 'lower' },
    { key: 'p90Us', label: 'p90', unit: 'µs', better: 'lower' },
  ],
  columns: [
    { metric: 'perInvocationUs', show: 'value' },
    { metric: 'perInvocationUs', show: 'delta', label: 'added to bare' },
    { metric: 'p90Us', show: 'value' },
  ],
  chart: ['perInvocationUs'],
});
