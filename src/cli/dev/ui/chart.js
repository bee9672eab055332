// Hand-written SVG charts: lines or bars over time, a y axis with three ticks. No library.
import { formatTime, h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 480;
const HEIGHT = 160;
const PAD = { left: 44, right: 8, top: 8, bottom: 20 };
export const COLORS = ['#2f6fde', '#d92d20', '#12805c', '#b54708', '#7a5af8'];

/** The colour of the series at `index`: the colours repeat. @param {number} index */
const colorOf = (index) => COLORS[index % COLORS.length] ?? '#2f6fde';

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attributes
 * @param {...(Element | null | undefined)} children
 */
function svg(tag, attributes, ...children) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) if (child) element.append(child);
  return element;
}

/** @param {number} value */
function label(value) {
  if (Math.abs(value) >= 1000) return `${(value / 1000).toFixed(1)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
}

/**
 * @typedef {{
 *   title: string,
 *   unit?: import('./dom.js').Child,
 *   kind?: 'line' | 'bar',
 *   bucketMs: number,
 *   series: { name: string, points: readonly import('./api.js').SeriesPoint[] }[],
 * }} ChartOptions
 */

/**
 * A chart of one or more series over time buckets of `bucketMs`:
 * { title, unit, kind: 'line' | 'bar', bucketMs, series: [{ name, points: [{ t, value }] }] }.
 *
 * @param {ChartOptions} options
 */
export function chart({ title, unit, kind = 'line', bucketMs, series }) {
  const all = series.flatMap((item) => item.points);
  const box = h('div', { class: 'panel chart', 'data-chart': title });
  box.append(h('h3', {}, title, unit ? [' (', unit, ')'] : null));
  if (all.length === 0) {
    box.append(h('div', { class: 'empty' }, 'no data yet'));
    return box;
  }
  const t0 = Math.min(...all.map((point) => point.t));
  const t1 = Math.max(...all.map((point) => point.t));
  const max = Math.max(...all.map((point) => point.value), 0) || 1;
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  // One slot per time bucket; a value sits in the middle of its slot.
  const slots = Math.round((t1 - t0) / bucketMs) + 1;
  const slotWidth = innerWidth / slots;
  const x = (/** @type {number} */ t) => PAD.left + ((t - t0) / bucketMs + 0.5) * slotWidth;
  const y = (/** @type {number} */ value) => PAD.top + innerHeight - (value / max) * innerHeight;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title });
  for (const fraction of [0, 0.5, 1]) {
    const value = max * fraction;
    root.append(
      svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(value), y2: y(value), stroke: '#e3e6ec' }),
    );
    const text = svg('text', {
      x: PAD.left - 4,
      y: y(value) + 4,
      'text-anchor': 'end',
      'font-size': 10,
      fill: '#667085',
    });
    text.textContent = label(value);
    root.append(text);
  }
  // Time labels at the plot's edges: the first and last bucket.
  /** @type {[t: number, left: number, anchor: string][]} */
  const ends =
    t1 === t0
      ? [[t0, WIDTH / 2, 'middle']]
      : [
          [t0, PAD.left, 'start'],
          [t1, WIDTH - PAD.right, 'end'],
        ];
  for (const [t, left, anchor] of ends) {
    const text = svg('text', {
      x: left,
      y: HEIGHT - 4,
      'text-anchor': anchor,
      'font-size': 10,
      fill: '#667085',
    });
    text.textContent = formatTime(t).slice(0, 8);
    root.append(text);
  }
  const barWidth = Math.max(2, Math.min(24, (slotWidth * 0.8) / series.length));
  series.forEach((item, index) => {
    const color = colorOf(index);
    if (kind === 'bar') {
      for (const point of item.points) {
        const left = x(point.t) - (barWidth * series.length) / 2 + index * barWidth;
        root.append(
          svg('rect', {
            x: left,
            y: y(point.value),
            width: barWidth - 1,
            height: Math.max(0, y(0) - y(point.value)),
            fill: color,
          }),
        );
      }
    } else {
      const path = item.points
        .map((point, i) => `${i === 0 ? 'M' : 'L'}${x(point.t).toFixed(1)},${y(point.value).toFixed(1)}`)
        .join(' ');
      root.append(svg('path', { d: path, fill: 'none', stroke: color, 'stroke-width': 2 }));
      for (const point of item.points)
        root.append(svg('circle', { cx: x(point.t), cy: y(point.value), r: 2.5, fill: color }));
    }
  });
  box.append(root);
  if (series.length > 1) {
    box.append(
      h(
        'div',
        { class: 'legend' },
        series.map((item, index) =>
          h('span', {}, h('span', { class: 'swatch', style: { background: colorOf(index) } }), item.name),
        ),
      ),
    );
  }
  return box;
}
