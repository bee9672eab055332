// Number formatting shared by the tables and the charts. A metric describes how its raw
// values read: `unit`, `digits` after the point, and `scale` (raw bytes shown in MB have
// scale 1e-6).

/**
 * @typedef {{ unit?: string, digits?: number, scale?: number }} Display
 */

/**
 * A number with thousands separators and a fixed number of decimals.
 * @param {number} value
 * @param {number} [digits]
 */
export function formatNumber(value, digits = 0) {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * @param {string} text
 * @param {string | undefined} unit
 */
function withUnit(text, unit) {
  if (!unit) return text;
  return unit === 'x' ? `${text}x` : `${text} ${unit}`;
}

/**
 * A raw value as it reads: `1,234 ms`, `12.3 MB`.
 * @param {number} value
 * @param {Display} metric
 */
export function formatValue(value, metric) {
  return withUnit(formatNumber(value * (metric.scale ?? 1), metric.digits ?? 0), metric.unit);
}

/**
 * A raw range: `1,101–1,240 ms`.
 * @param {number} min
 * @param {number} max
 * @param {Display} metric
 */
export function formatRange(min, max, metric) {
  const scale = metric.scale ?? 1;
  const digits = metric.digits ?? 0;
  return withUnit(`${formatNumber(min * scale, digits)}–${formatNumber(max * scale, digits)}`, metric.unit);
}

/**
 * A signed raw difference: `+12 ms`, `−3.5 MB`, `±0 ms`.
 * @param {number} value
 * @param {Display} metric
 */
export function formatDelta(value, metric) {
  if (!Number.isFinite(value)) return '–';
  const digits = metric.digits ?? 0;
  const scaled = value * (metric.scale ?? 1);
  const rounded = Number(scaled.toFixed(digits));
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±';
  return `${sign}${withUnit(formatNumber(Math.abs(scaled), digits), metric.unit)}`;
}

/**
 * A ratio: `0.82x`.
 * @param {number} value
 */
export function formatRatio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : '–';
}
