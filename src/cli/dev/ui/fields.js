// Structured values as the page shows them: nested objects as nested lists, text with line
// breaks (stack traces) as preformatted blocks, and what redaction rewrote marked as such.
import { h } from './dom.js';

/** Keys whose string value is a stack trace, shown as a block even when it has one line. */
const STACK_KEYS = new Set(['stack', 'stacktrace', 'exception.stacktrace', 'err.stack', 'error.stack']);
const MAX_DEPTH = 8;
/**
 * Fields drawn at first in one list; "show all" draws the rest. A span may carry 100,000
 * attributes (and a log line tens of thousands of fields): all drawn, its trace's page took
 * seconds to open, and as long again at every click on a span while it was the one shown.
 */
const FIELDS_PER_DRAW = 1000;

/** @param {string} text */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What redaction leaves behind: the censor (Lookout's `[REDACTED]` or the app's own, which pino
 * writes as `[Redacted]`) and masked e-mail addresses (`ja***@example.com`).
 */
export function redactionPattern(censor = '[REDACTED]') {
  const censors = [...new Set([censor, '[REDACTED]'])].map(escapeRegExp).join('|');
  return new RegExp(`${censors}|[^\\s@"]{0,2}\\*\\*\\*@[^\\s"]+`, 'gi');
}

/**
 * Text with every redacted part wrapped in <mark class="redacted">.
 *
 * @param {string} text
 * @param {RegExp} pattern from `redactionPattern`
 */
export function markRedacted(text, pattern) {
  /** @type {(string | HTMLElement)[]} */
  const parts = [];
  let last = 0;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(h('mark', { class: 'redacted', title: 'redacted before it was written' }, match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * How many string values in a value (at any depth) hold something redacted.
 *
 * @param {unknown} value
 * @param {RegExp} pattern
 * @returns {number}
 */
export function countRedacted(value, pattern, depth = 0) {
  if (typeof value === 'string') {
    pattern.lastIndex = 0;
    return pattern.test(value) ? 1 : 0;
  }
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return 0;
  return Object.values(value).reduce(
    (/** @type {number} */ sum, inner) => sum + countRedacted(inner, pattern, depth + 1),
    0,
  );
}

/**
 * The stack trace a log line carries (Powertools' `error.stack`, pino's `err.stack`, a `stack` field).
 *
 * @param {Readonly<Record<string, any>> | undefined} fields a log line's fields, any shape
 */
export function stackOf(fields) {
  for (const value of [fields?.error?.stack, fields?.err?.stack, fields?.stack]) {
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * @param {string} key
 * @param {unknown} value
 * @param {RegExp} pattern
 * @param {number} depth
 * @returns {HTMLElement}
 */
function valueView(key, value, pattern, depth) {
  if (typeof value === 'string') {
    if (value.includes('\n') || STACK_KEYS.has(key))
      return h('pre', { class: 'multiline' }, markRedacted(value, pattern));
    return h('span', {}, markRedacted(value, pattern));
  }
  if (value !== null && typeof value === 'object' && depth < MAX_DEPTH)
    return fieldList(value, pattern, depth + 1);
  return h('span', {}, JSON.stringify(value));
}

/**
 * A definition list of an object's fields, nested objects as nested lists.
 *
 * @example
 * fieldList({ user: { email: 'ja***@example.com' }, error: { stack: 'Error\n  at x' } }, redactionPattern());
 * @param {object | undefined} object
 * @param {RegExp} pattern
 * @returns {HTMLElement}
 */
export function fieldList(object, pattern, depth = 0) {
  const entries = Object.entries(object ?? {});
  if (entries.length === 0) return h('p', { class: 'muted' }, 'none');
  const list = h('dl', { class: depth === 0 ? 'kv' : 'kv nested' });
  /** @param {[string, unknown][]} drawn */
  const draw = (drawn) =>
    list.append(
      ...drawn.flatMap(([key, value]) => [
        h('dt', {}, key),
        h('dd', { class: 'mono', 'data-field': key }, valueView(key, value, pattern, depth)),
      ]),
    );
  draw(entries.slice(0, FIELDS_PER_DRAW));
  if (entries.length <= FIELDS_PER_DRAW) return list;
  const more = h(
    'button',
    {
      type: 'button',
      class: 'more-fields',
      onclick: () => {
        more.remove();
        draw(entries.slice(FIELDS_PER_DRAW));
      },
    },
    `show all ${entries.length} fields`,
  );
  return h('div', {}, list, more);
}
