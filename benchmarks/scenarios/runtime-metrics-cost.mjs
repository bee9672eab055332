// Scenario f (ecosystem issue, point 4): what the runtime metrics cost, measured in-process,
// where a loaded machine's noise does not drown a few microseconds (the end-to-end comparison
// is in metrics-cost, whose rounds vary by far more than the 2 µs goal).
import { defineScenario } from '../lib/scenario.mjs';

/** The request rate the per-request figure is amortised over; the cost per request falls as traffic rises. */
export const AMORTISED_OVER_RPS = 1000;

export default defineScenario({
  id: 'runtime-metrics-cost',
  letter: 'f',
  title: 'Runtime metrics cost',
  summary: `CPU of Lookout's runtime metrics (\`RuntimeMetricsCollector\` from the built package), measured in the worker process with no server, alternating the collector off and on in 5 phases of each kind: **background** is the CPU an idle process uses per second with the collector on less with it off (the event-loop delay histogram's timer every 50 ms; under traffic the loop is awake anyway, so this is the dearest case); **sample** is one \`collect()\` (heap, RSS, active handles, the histogram's percentiles), which a server runs every 10 s; **GC observer** is the CPU a fixed allocating workload uses with the collector on less with it off, per collection observed. **Per request at ${AMORTISED_OVER_RPS.toLocaleString('en-US')} req/s** is (background + sample ÷ 10 s) ÷ ${AMORTISED_OVER_RPS.toLocaleString('en-US')}: the per-second costs divided by a fixed rate so that the figure reads against the goal (at half the rate it doubles, at 5,000 req/s it is a fifth), without the GC observer, whose cost follows the collections a request causes rather than time and is shown on its own. Medians over the phases of one run; one run per round.`,
  worker: 'metrics-cost',
  variants: ['runtime-metrics-cpu'],
  baseline: 'runtime-metrics-cpu',
  rounds: { full: 3, quick: 1 },
  timeoutMs: 180_000,
  metrics: [
    {
      key: 'usPerRequest',
      label: `per request at ${AMORTISED_OVER_RPS} req/s`,
      unit: 'µs',
      digits: 2,
      better: 'lower',
    },
    { key: 'backgroundUsPerSecond', label: 'background per second', unit: 'µs', digits: 0, better: 'lower' },
    { key: 'sampleUs', label: 'one sample', unit: 'µs', digits: 1, better: 'lower' },
    {
      key: 'gcObserverUsPerCollection',
      label: 'GC observer per collection',
      unit: 'µs',
      digits: 1,
      better: 'lower',
    },
  ],
  columns: [
    { metric: 'usPerRequest', show: 'value' },
    { metric: 'backgroundUsPerSecond', show: 'value' },
    { metric: 'sampleUs', show: 'value' },
    { metric: 'gcObserverUsPerCollection', show: 'value' },
  ],
  chart: ['usPerRequest'],
  notes: [
    'The GC observer figure is the difference of two medians of a ~100 ms workload with about 45 collections in it; on a shared machine it moves by tens of µs either way, so a negative value is noise, not a saving. `BENCH_DELAY_RESOLUTION_MS` compares other histogram resolutions by hand (docs/decisions/0047-runtime-metrics.md).',
  ],
});
