// Scenario c: a Lambda function's init phase and first invocation, per variant.
import { defineScenario } from '../lib/scenario.mjs';

export default defineScenario({
  id: 'lambda-init',
  letter: 'c',
  title: 'Lambda init',
  summary:
    "A Node.js 20 function run the way the managed runtime runs it: the runtime's bootstrap (a stand-in that honours `AWS_LAMBDA_EXEC_WRAPPER`) starts the real runtime interface client (`aws-lambda-ric`), which loads the handler and polls a local Runtime API stand-in (the Lambda service cannot run here). **Init** is the time from spawning the bootstrap to the runtime's first `GET /next`, which is what Lambda reports as Init Duration; **first invocation** is the cold invocation, delivered to answered (its span and metrics flushed). The handler answers an HTTP API event; `lookout-wrap` wraps it with `wrap()`, `lookout-layer` runs the unchanged handler behind the layer's exec wrapper (layer built from `dist/`). Spans go to the loopback OTLP sink. One fresh process per sample.",
  worker: 'lambda-init',
  variants: ['bare', 'lookout-wrap', 'lookout-wrap-xray', 'lookout-layer', 'powertools-middy', 'otel-lambda'],
  baseline: 'bare',
  rounds: { full: 10, quick: 1 },
  timeoutMs: 120_000,
  metrics: [
    { key: 'initMs', label: 'init (to first /next)', unit: 'ms', better: 'lower' },
    { key: 'firstInvocationMs', label: 'first invocation', unit: 'ms', digits: 1, better: 'lower' },
  ],
  columns: [
    { metric: 'initMs', show: 'value' },
    { metric: 'initMs', show: 'delta', label: 'init added to bare' },
    { metric: 'firstInvocationMs', show: 'value' },
    { metric: 'firstInvocationMs', show: 'delta', label: 'first invocation added' },
  ],
  chart: ['initMs'],
});
