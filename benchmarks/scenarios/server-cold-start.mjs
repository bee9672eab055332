// Scenario a: process spawn -> first HTTP 200 from the example app, per variant.
import { COLD_START_APP } from '../lib/paths.mjs';
import { defineScenario } from '../lib/scenario.mjs';

export default defineScenario({
  id: 'server-cold-start',
  letter: 'a',
  title: 'Server cold start',
  summary: `Time from \`spawn()\` to the first HTTP 200 from \`${COLD_START_APP.path}\` (\`${COLD_START_APP.method} ${COLD_START_APP.firstRequest}\`), one fresh process per sample. The worker probes the port every 2 ms from the moment it spawns the app, so the figure includes loading Node, the telemetry preload, the app's modules, binding the port and answering the first request (where lazily loaded telemetry code runs). The process is killed as soon as the 200 is read.`,
  worker: 'server-cold-start',
  variants: ['bare', 'lookout-full', 'lookout-tracing', 'otel-auto', 'dd-trace', 'adot', 'powertools'],
  baseline: 'bare',
  rounds: { full: 10, quick: 1 },
  timeoutMs: 90_000,
  metrics: [
    { key: 'firstResponseMs', label: 'spawn → first 200', unit: 'ms', better: 'lower' },
    { key: 'firstConnectMs', label: 'spawn → listening', unit: 'ms', better: 'lower' },
    { key: 'firstRequestMs', label: 'first request', unit: 'ms', digits: 1, better: 'lower' },
    { key: 'rssAtFirstResponseMB', label: 'RSS at first 200', unit: 'MB', digits: 1, better: 'lower' },
  ],
  columns: [
    { metric: 'firstResponseMs', show: 'value' },
    { metric: 'firstResponseMs', show: 'delta', label: 'added to bare' },
    { metric: 'firstResponseMs', show: 'ratio', label: '× bare' },
    { metric: 'firstRequestMs', show: 'value' },
    { metric: 'rssAtFirstResponseMB', show: 'value' },
  ],
  chart: ['firstResponseMs'],
  notes: [
    "**Start-up in instructions**, which do not move with the machine's load (`npm run build && node benchmarks/decisions/startup-instructions.mjs`, valgrind cachegrind, millions of instructions, mean of 2 runs, 2026-12-05), before the request path moved to Node's diagnostics channels (commit `6e65f7c`) and after:",
    '',
    '| phase | before | after |',
    '| --- | --- | --- |',
    '| `node -e 1` | 86 | 85 |',
    '| + `@opentelemetry/api` | 162 | 165 |',
    "| + import-in-the-middle + Lookout's core bundle | 333 | 334 |",
    '| + `init()` | 402 | 363 |',
    '| + `require("express")` after `init()` | 736 | 694 |',
    '| `require("express")` alone | 416 | 415 |',
    '',
    "`init()` itself now costs 28 million instructions instead of 69 (no HTTP or Express instrumentation to load, the OTLP exporter loaded at the first export), and Express under Lookout costs what Express alone does (no require hook wraps it). What remains of Lookout's start-up, 279 million instructions over Express alone, is mostly loading and compiling `@opentelemetry/api` and the core bundle (249 million): the +30 ms goal needs that bundle split so that a server loads only the parts it starts.",
  ],
});
