// Small DOM helpers. Telemetry is shown with text nodes only (never parsed as HTML).

/** Creates an element: h('td', { class: 'num', style: { color: 'red' } }, 'text', childNode). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    // Styles go through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    else if (name === 'style') Object.assign(element.style, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces a container's content. */
export function replace(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

export function formatDuration(ms) {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatTime(ms) {
  if (!Number.isFinite(ms)) return '';
  const date = new Date(ms);
  const pad = (value, size = 2) => String(value).padStart(size, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

export function formatValue(value) {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** A definition list of key/value pairs. */
export function keyValues(object) {
  const entries = Object.entries(object ?? {});
  if (entries.length === 0) return h('p', { class: 'muted' }, 'none');
  return h(
    'dl',
    { class: 'kv' },
    entries.flatMap(([key, value]) => [h('dt', {}, key), h('dd', { class: 'mono' }, formatValue(value))]),
  );
}

export function traceLink(traceId) {
  if (!traceId) return '';
  return h('a', { class: 'mono', href: `#/trace/${traceId}` }, traceId.slice(0, 12));
}

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
        headers.map((name) => h('th', {}, name)),
      ),
    ),
    h('tbody', {}, rows),
  );
}
