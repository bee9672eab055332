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
  notes: [
    "2026-12-07: the layer preloads `--require …/dist/cjs/register.js` for ES module functions too, and its ES module handler loads the CommonJS Lambda files with `require()` (docs/decisions/0073-layer-preloads-the-commonjs-core.md): the `--import` preload made Node load its CommonJS export scanner and scan Lookout's files during Init, which a bare ES module function never does; and the CommonJS bundles require `@opentelemetry/api` once (docs/decisions/0072-external-packages-required-once.md). `npm run bench -- --only a,c --rounds 30`, this build and the build before (d559662) one after the other: the layer +94 ms over bare against +139 ms, `wrap()` +87 ms against +103 ms, `wrap()` with X-Ray +78 ms against +110 ms, the Powertools trio +135 ms against +146 ms (the build before ran on a busier machine: bare 93 ms against 84 ms). The layer alone, both layers from the same `dist/` swapped between runs (12 alternated rounds of scenario c's function, `node benchmarks/workers/lambda-init.mjs --variant lookout-layer`): −25.9 ms, median of the per-round differences. A later run of the same command at `5c7ef0d`, after the X-Ray exporter left the CommonJS core (docs/decisions/0074-xray-exporter-loaded-when-chosen.md), read the layer +83 ms, `wrap()` +69 ms, the Powertools trio +108 ms. The same command at `75a7249` on a quiet machine, the first work after it started (load average 1.5 with the benchmark itself), read the layer +75 ms, `wrap()` +62 ms, the Powertools trio +101 ms (bare 73 ms). The table above is the same command at `9fffdb5` (no change to start-up since `75a7249`) three hours later, the machine quiet and faster (bare 53 ms): the layer +54 ms, `wrap()` +47 ms, the Powertools trio +73 ms; the same code, 21 ms apart for the layer, so one run does not settle the goal. The layer's Init is longer than `wrap()`'s, and its first invocation shorter (4.1 ms against 7.1 ms here, 5.6 ms against 9.2 ms in the run before); docs/lambda.md (*Cold start and per-invocation cost*) breaks the layer's Init down, measured with this worker apart from the benchmark.",
  ],
});
