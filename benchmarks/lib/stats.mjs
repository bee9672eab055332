// Statistics for alternated benchmark runs. Pure functions, unit-tested in
// test/unit/benchmarks/stats.test.ts.
//
// Runs are alternated (A B C A B C …), so each round holds at most one sample per variant
// taken under the same machine conditions. Comparisons to the baseline are therefore made
// round by round (the ratio or difference inside one round) and summarised by their median:
// a noisy round moves every variant in it and cancels out of its ratio.

/**
 * The median of a list of numbers (the mean of the two middle values for an even count).
 * @param {readonly number[]} values
 * @returns {number} NaN for an empty list
 */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  // The list is not empty, so the middle indexes are inside it.
  const at = (/** @type {number} */ index) => /** @type {number} */ (sorted[index]);
  return sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

/**
 * The smallest and the largest value.
 * @param {readonly number[]} values
 * @returns {{ min: number, max: number }} NaN for both for an empty list
 */
export function minMax(values) {
  if (values.length === 0) return { min: Number.NaN, max: Number.NaN };
  let min = /** @type {number} */ (values[0]); // the list is not empty
  let max = min;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

/**
 * The value at a percentile (0–100) by the nearest-rank method, as latency tools report it.
 * @param {readonly number[]} values
 * @param {number} percent
 */
export function percentile(values, percent) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((percent / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * Median with spread.
 * @param {readonly number[]} values
 * @returns {{ median: number, min: number, max: number, count: number }}
 */
export function summarize(values) {
  return { median: median(values), ...minMax(values), count: values.length };
}

/**
 * @typedef {{ round: number, variant: string, metrics?: Record<string, number>, error?: string }} Run
 */

/**
 * One metric's value per round for one variant; rounds where the run failed or did not
 * report the metric are absent.
 * @param {readonly Run[]} runs
 * @param {string} variant
 * @param {string} metric
 * @returns {Map<number, number>}
 */
export function valuesByRound(runs, variant, metric) {
  const byRound = new Map();
  for (const run of runs) {
    if (run.variant !== variant || run.error !== undefined) continue;
    const value = run.metrics?.[metric];
    if (typeof value === 'number' && Number.isFinite(value)) byRound.set(run.round, value);
  }
  return byRound;
}

/**
 * Per-round comparisons of a variant to another (usually the baseline): `ratio` is
 * variant / other, `delta` is variant − other, each computed inside a round and only for
 * rounds where both have a value.
 * @param {readonly Run[]} runs
 * @param {string} variant
 * @param {string} other
 * @param {string} metric
 * @returns {{ ratios: number[], deltas: number[], rounds: number[] }}
 */
export function pairedByRound(runs, variant, other, metric) {
  const mine = valuesByRound(runs, variant, metric);
  const theirs = valuesByRound(runs, other, metric);
  const ratios = [];
  const deltas = [];
  const rounds = [];
  for (const [round, value] of [...mine].sort(([a], [b]) => a - b)) {
    const reference = theirs.get(round);
    if (reference === undefined) continue;
    rounds.push(round);
    deltas.push(value - reference);
    ratios.push(reference === 0 ? Number.NaN : value / reference);
  }
  return { ratios: ratios.filter((ratio) => Number.isFinite(ratio)), deltas, rounds };
}

/**
 * Everything the report shows for one variant and one metric.
 * @param {readonly Run[]} runs
 * @param {string} variant
 * @param {string} baseline
 * @param {string} metric
 */
export function summarizeVariant(runs, variant, baseline, metric) {
  const values = [...valuesByRound(runs, variant, metric).values()];
  const paired = pairedByRound(runs, variant, baseline, metric);
  return {
    value: summarize(values),
    ratio: summarize(paired.ratios),
    delta: summarize(paired.deltas),
  };
}
