// Hand-written SVG bar charts for docs/benchmarks/: per panel (one metric), one horizontal bar
// per variant at the median, a whisker from min to max, and the figures written out. No
// chart library: the output is small, diffable and renders on GitHub.
import { formatRange, formatValue } from './format.mjs';

const WIDTH = 760;
const LABEL_WIDTH = 150;
const TEXT_WIDTH = 210;
const BAR_AREA = WIDTH - LABEL_WIDTH - TEXT_WIDTH - 20;
const ROW = 24;
const PANEL_HEADER = 30;
const COLORS = { baseline: '#8a8f98', lookout: '#0b7a75', peer: '#4a6fa5' };

/**
 * Escapes text for SVG content and attributes.
 * @param {unknown} text
 */
export function escapeXml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/**
 * @typedef {object} ChartRow
 * @property {string} label
 * @property {'baseline' | 'lookout' | 'peer'} kind
 * @property {number} median
 * @property {number} min
 * @property {number} max
 */

/**
 * @typedef {object} ChartPanel
 * @property {import('./scenario.mjs').Metric} metric
 * @property {ChartRow[]} rows
 */

/**
 * @param {{ title: string, panels: ChartPanel[] }} chart
 * @returns {string} an SVG document
 */
export function renderChart({ title, panels }) {
  const parts = [];
  let y = 34;
  for (const panel of panels) {
    const { metric } = panel;
    const scale = metric.scale ?? 1;
    const finite = panel.rows.filter((row) => Number.isFinite(row.median));
    const top = Math.max(...finite.map((row) => row.max * scale), 0) || 1;
    const x = (/** @type {number} */ value) => LABEL_WIDTH + (Math.max(0, value * scale) / top) * BAR_AREA;
    const better = metric.better === 'higher' ? 'higher is better' : 'lower is better';
    parts.push(
      `<text x="10" y="${y + 16}" class="panel">${escapeXml(metric.label)}${metric.unit ? ` (${escapeXml(metric.unit)})` : ''} — median, whiskers min–max, ${better}</text>`,
    );
    y += PANEL_HEADER;
    for (const row of panel.rows) {
      const middle = y + ROW / 2;
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${middle + 4}" class="label">${escapeXml(row.label)}</text>`,
      );
      if (Number.isFinite(row.median)) {
        const end = x(row.median);
        parts.push(
          `<rect x="${LABEL_WIDTH}" y="${middle - 7}" width="${(end - LABEL_WIDTH).toFixed(1)}" height="14" fill="${COLORS[row.kind]}"/>`,
        );
        if (row.max > row.min) {
          const [from, to] = [x(row.min).toFixed(1), x(row.max).toFixed(1)];
          parts.push(
            `<path d="M${from} ${middle}H${to}M${from} ${middle - 5}V${middle + 5}M${to} ${middle - 5}V${middle + 5}" class="whisker"/>`,
          );
        }
        const text =
          row.max > row.min
            ? `${formatValue(row.median, metric)} (${formatRange(row.min, row.max, metric)})`
            : formatValue(row.median, metric);
        parts.push(
          `<text x="${LABEL_WIDTH + BAR_AREA + 14}" y="${middle + 4}" class="value">${escapeXml(text)}</text>`,
        );
      } else {
        parts.push(`<text x="${LABEL_WIDTH + 6}" y="${middle + 4}" class="value">no data</text>`);
      }
      y += ROW;
    }
    y += 10;
  }
  const height = y + 6;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    '<style>text{font:12px -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;fill:#24292f}.title{font-size:15px;font-weight:600}.panel{font-weight:600}.label{text-anchor:end}.whisker{stroke:#24292f;stroke-width:1.2;fill:none}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" class="title">${escapeXml(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
