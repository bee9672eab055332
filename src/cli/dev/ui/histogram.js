// A latency histogram of one route: one bar per duration bucket (logarithmic), and the p50,
// p95 and p99 marked on the same axis. Hand-drawn SVG, like the charts.
import { formatDuration, h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 360;
const HEIGHT = 120;
const PAD = { left: 8, right: 8, top: 26, bottom: 18 };
/** @type {[name: 'p50' | 'p95' | 'p99', color: string][]} */
const MARKERS = [
  ['p50', '#12805c'],
  ['p95', '#b54708'],
  ['p99', '#d92d20'],
];

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attributes
 * @param {string} [text]
 */
function svg(tag, attributes, text) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A bucket bound, short: 0.25 -> "250µs", 2.5 -> "2.5ms", 1000 -> "1s". */
/** @param {number} ms */
function compact(ms) {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${ms}ms`;
  return `${ms / 1000}s`;
}

/**
 * Lower and upper bound of bucket `index` (the last one has no upper bound).
 *
 * @param {readonly number[]} bucketsMs
 * @param {number} index
 * @returns {[lower: number, upper: number]}
 */
function boundsOf(bucketsMs, index) {
  // Bucket 0 starts at 0; every other index has a bound before it.
  return [index === 0 ? 0 : (bucketsMs[index - 1] ?? 0), bucketsMs[index] ?? Number.POSITIVE_INFINITY];
}

/**
 * Where a duration falls on the axis, in buckets: the index plus its logarithmic place inside.
 *
 * @param {readonly number[]} bucketsMs
 * @param {number} ms
 */
function position(bucketsMs, ms) {
  const index = bucketsMs.findIndex((bound) => ms < bound);
  if (index < 0) return bucketsMs.length + 0.5;
  const [lower, upper] = boundsOf(bucketsMs, index);
  if (lower <= 0) return index + ms / upper;
  return index + Math.log(ms / lower) / Math.log(upper / lower);
}

/**
 * One route's histogram: `{ route, count, p50, p95, p99, counts }` over `bucketsMs`.
 * `onPick(minMs, maxMs)` runs when a bar is clicked (to filter the list to that bucket).
 *
 * @param {import('./api.js').RouteLatency} latency
 * @param {readonly number[]} bucketsMs
 * @param {(minMs: number, maxMs: number | undefined) => void} onPick
 */
export function latencyHistogram(latency, bucketsMs, onPick) {
  const used = latency.counts.flatMap((count, index) => (count > 0 ? [index] : []));
  // The used buckets and one on each side, at least six.
  let first = Math.max(0, (used[0] ?? 0) - 1);
  let last = Math.min(latency.counts.length - 1, (used.at(-1) ?? 0) + 1);
  while (last - first < 5) {
    if (first > 0) first -= 1;
    if (last - first < 5 && last < latency.counts.length - 1) last += 1;
    if (first === 0 && last === latency.counts.length - 1) break;
  }
  const slots = last - first + 1;
  const slot = (WIDTH - PAD.left - PAD.right) / slots;
  const max = Math.max(...latency.counts, 1);
  const plot = HEIGHT - PAD.top - PAD.bottom;
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': `latency histogram of ${latency.route}`,
  });
  for (let index = first; index <= last; index += 1) {
    const count = latency.counts[index] ?? 0;
    const x = PAD.left + (index - first) * slot;
    const height = (count / max) * plot;
    const [lower, upper] = boundsOf(bucketsMs, index);
    const bar = svg('rect', {
      x: x + 1,
      y: PAD.top + plot - height,
      width: Math.max(1, slot - 2),
      height: Math.max(count > 0 ? 1 : 0, height),
      class: 'histogram-bar',
      'data-count': count,
      'data-min-ms': lower,
      'data-max-ms': Number.isFinite(upper) ? upper : '',
    });
    bar.append(
      svg(
        'title',
        {},
        `${count} traces from ${formatDuration(lower)}${Number.isFinite(upper) ? ` to ${formatDuration(upper)}` : ' up'}`,
      ),
    );
    bar.addEventListener('click', () => onPick(lower, Number.isFinite(upper) ? upper : undefined));
    root.append(bar);
    if ((index - first) % 2 === 0 && Number.isFinite(upper)) {
      root.append(
        svg(
          'text',
          { x: x + slot, y: HEIGHT - 4, 'text-anchor': 'middle', 'font-size': 9, fill: '#667085' },
          compact(upper),
        ),
      );
    }
  }
  // Labels of markers that sit close together go on two rows, so none hides another.
  let previous = Number.NEGATIVE_INFINITY;
  let row = 0;
  for (const [name, color] of MARKERS) {
    const x = PAD.left + (position(bucketsMs, latency[name]) - first) * slot;
    row = x - previous < 18 ? 1 - row : 0;
    previous = x;
    const top = PAD.top - 14 + row * 9;
    root.append(
      svg('line', {
        x1: x,
        x2: x,
        y1: top + 2,
        y2: PAD.top + plot,
        stroke: color,
        'stroke-width': 1.5,
        'data-marker': name,
      }),
    );
    root.append(svg('text', { x, y: top, 'text-anchor': 'middle', 'font-size': 9, fill: color }, name));
  }
  return h(
    'div',
    { class: 'panel histogram', 'data-route': latency.route },
    h('h3', {}, latency.route),
    root,
    h(
      'div',
      { class: 'percentiles mono' },
      h('span', {}, `n ${latency.count}`),
      MARKERS.map(([name]) =>
        h(
          'span',
          { 'data-percentile': name, 'data-ms': latency[name] },
          `${name} ${formatDuration(latency[name])}`,
        ),
      ),
    ),
  );
}
