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
});
