// The log view: time, level, message, request id and a link to the trace; click a line for
// every field it carries (stacks with their line breaks, redacted values marked).
import { answerReader, getJson } from './api.js';
import { h, replace, table, truncatedNotice } from './dom.js';
import { redactionPattern } from './fields.js';
import { logRows } from './log-rows.js';

/** @param {HTMLElement} container */
export function renderLogs(container) {
  const level = h(
    'select',
    { name: 'level', 'aria-label': 'level', onchange: () => refresh() },
    h('option', { value: '' }, 'any level'),
  );
  const text = h('input', {
    type: 'search',
    name: 'q',
    placeholder: 'search message, request id…',
    'aria-label': 'search',
    oninput: () => refresh(),
  });
  const list = h('div', { id: 'log-list' });
  replace(container, h('div', { class: 'filters' }, level, text), list);
  /** @type {Set<number>} */
  const expanded = new Set();
  /** @type {RegExp | undefined} */
  let pattern;
  const read = answerReader();

  /** @param {string[]} levels */
  function showLevels(levels) {
    const chosen = level.value;
    replace(
      level,
      h('option', { value: '' }, 'any level'),
      levels.map((name) => h('option', { value: name }, name)),
    );
    level.value = levels.includes(chosen) ? chosen : '';
  }

  async function refresh() {
    if (pattern === undefined) {
      /** @type {import('./api.js').StatsAnswer} */
      const stats = await getJson('api/stats');
      pattern = redactionPattern(stats.redaction?.censor);
    }
    const answer = /** @type {import('./api.js').LogsAnswer | undefined} */ (
      await read('api/logs', { level: level.value, q: text.value })
    );
    if (answer === undefined) return;
    const { logs, levels, truncated } = answer;
    showLevels(levels);
    replace(
      list,
      truncated ? truncatedNotice(`the newest ${logs.length} lines that match`) : null,
      table(
        ['time', 'level', 'message', 'request id', 'trace'],
        logRows(logs, { pattern, expanded, last: 'trace' }),
        'No log lines yet.',
      ),
    );
  }

  return { refresh };
}
