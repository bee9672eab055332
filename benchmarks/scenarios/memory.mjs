// Scenario e: resident memory of each server variant, read from the steady-state runs.
import { defineScenario } from '../lib/scenario.mjs';
import steadyState from './server-steady-state.mjs';

export default defineScenario({
  id: 'memory',
  letter: 'e',
  title: 'Memory',
  summary:
    'VmRSS of the app process (from `/proc/<pid>/status`) in each steady-state run: once the app has answered its first hello and realistic request (before load), and after both measured load runs. No runs of its own: it re-reads scenario b, so the rounds are the same.',
  derivedFrom: steadyState.id,
  variants: steadyState.variants,
  baseline: 'bare',
  rounds: steadyState.rounds,
  timeoutMs: steadyState.timeoutMs,
  metrics: steadyState.metrics.filter((metric) => metric.key.startsWith('rss')),
  columns: [
    { metric: 'rssIdleMB', show: 'value' },
    { metric: 'rssIdleMB', show: 'delta', label: 'before load, over bare' },
    { metric: 'rssAfterMB', show: 'value' },
    { metric: 'rssAfterMB', show: 'delta', label: 'after load, over bare' },
  ],
  chart: ['rssAfterMB'],
});
