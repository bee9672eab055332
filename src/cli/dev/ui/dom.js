// Small DOM helpers. Telemetry is shown with text nodes only (never parsed as HTML).

/**
 * What `h` and `replace` append: nodes, text, numbers, nested lists; null, undefined and false
 * are left out.
 * @typedef {Node | string | number | boolean | null | undefined | Child[]} Child
 */

/**
 * Creates an element: h('td', { class: 'num', style: { color: 'red' } }, 'text', childNode).
 * `on…` attributes are event listeners, `style` is set through the CSSOM, `true` is an empty
 * attribute and null, undefined and false leave the attribute out.
 *
 * @template {keyof HTMLElementTagNameMap} Tag
 * @param {Tag} tag
 * @param {Record<string, unknown>} [attributes]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[Tag]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function')
      element.addEventListener(name.slice(2), /** @type {EventListener} */ (value));
    // Styles go through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    else if (name === 'style') Object.assign(element.style, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/**
 * Unicode's explicit direction controls: embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069). In telemetry text they would reorder what follows them in the same line: a
 * service named `orders\u202E` shows the operation after it backwards, and a duration's digits
 * reversed (`lasts 21.5 ms` for 12.5).
 */
const DIRECTION_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/**
 * A text child: a text node, or, when it holds direction controls, a <bdi> around it, which keeps
 * their effect inside it (even an unmatched closing control cannot end the isolation).
 *
 * @param {string} text
 */
function textNode(text) {
  if (!DIRECTION_CONTROLS.test(text)) return document.createTextNode(text);
  const isolated = document.createElement('bdi');
  isolated.textContent = text;
  return isolated;
}

/**
 * @param {Element} element
 * @param {Child[]} children
 */
function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : textNode(String(child)));
  }
}

/**
 * Replaces a container's content.
 *
 * @param {Element} container
 * @param {...Child} children
 */
export function replace(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

/**
 * A duration or an offset in milliseconds, down to nanoseconds: 0.00025 -> "250 ns".
 *
 * @param {number | null | undefined} ms
 */
export function formatDuration(ms) {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '';
  if (ms < 0.001) return `${Math.round(ms * 1e6)} ns`;
  if (ms < 1) {
    const micros = ms * 1000;
    return `${micros < 10 ? micros.toFixed(1) : micros.toFixed(0)} µs`;
  }
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * A time of day, to the millisecond: 13:04:05.123.
 *
 * @param {number} ms epoch milliseconds
 */
export function formatTime(ms) {
  if (!Number.isFinite(ms)) return '';
  const date = new Date(ms);
  const pad = (/** @type {number} */ value, size = 2) => String(value).padStart(size, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** @param {unknown} value */
export function formatValue(value) {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * A link to a trace's page, or nothing without a trace id.
 *
 * @param {string | undefined} traceId
 */
export function traceLink(traceId) {
  if (!traceId) return '';
  return h('a', { class: 'mono', href: `#/trace/${traceId}` }, traceId.slice(0, 12));
}

/**
 * A table; a header is a name or a ready `th` element.
 *
 * @param {(string | Node)[]} headers
 * @param {Node[]} rows
 * @param {string} emptyText shown instead of an empty table
 */
export function table(headers, rows, emptyText) {
  if (rows.length === 0) return h('div', { class: 'empty' }, emptyText);
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((header) => (header instanceof Node ? header : h('th', {}, header))),
      ),
    ),
    h('tbody', {}, rows),
  );
}

/**
 * Says that the server cut a list at the most bytes an answer holds (16 MiB), and what is shown.
 *
 * @param {string} shown e.g. "the newest 3 lines that match"
 */
export function truncatedNotice(shown) {
  return h(
    'p',
    { class: 'warning truncated' },
    `Showing ${shown}: an answer holds at most 16 MiB, and these records are large. Narrow the filter to see others.`,
  );
}
