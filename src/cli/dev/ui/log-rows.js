// Log lines as table rows that open to show every field of the line: the logs page and a
// trace's page share them. Which lines are open survives the page's live refreshes.
import { formatTime, h, traceLink } from './dom.js';
import { countRedacted, fieldList, markRedacted, stackOf } from './fields.js';

/** @typedef {import('./api.js').ViewerLog} ViewerLog */

/**
 * @param {ViewerLog} log
 * @param {RegExp} pattern
 */
function badges(log, pattern) {
  const fieldCount = Object.keys(log.fields ?? {}).length;
  const redacted = countRedacted(log.fields, pattern);
  return [
    fieldCount > 0 ? h('span', { class: 'badge' }, `${fieldCount} fields`) : null,
    stackOf(log.fields) ? h('span', { class: 'badge error' }, 'stack') : null,
    redacted > 0
      ? h(
          'span',
          { class: 'badge redacted', title: 'values redacted before the line was written' },
          `${redacted} redacted`,
        )
      : null,
  ];
}

/**
 * Two rows per log line: the line (time, level, message, request id, and the trace or span
 * column) and, below it, its fields, shown when the line is clicked.
 *
 * @param {readonly ViewerLog[]} logs
 * @param {{ pattern: RegExp, expanded: Set<number>, last: 'trace' | 'span' }} options
 */
export function logRows(logs, { pattern, expanded, last }) {
  return logs.flatMap((log) => {
    const expandable = Object.keys(log.fields ?? {}).length > 0;
    const open = expandable && expanded.has(log.seq);
    const cell = h('td', { colspan: 5 });
    // A line's fields are drawn when it is first opened: a line may carry tens of thousands, and
    // drawing every closed line's froze the page for half a minute at each refresh.
    let drawn = false;
    const draw = () => {
      if (drawn || !expandable) return;
      drawn = true;
      cell.append(fieldList(log.fields, pattern));
    };
    if (open) draw();
    const details = h('tr', { class: 'log-details', hidden: !open }, cell);
    const row = h(
      'tr',
      {
        class: `log-row${expandable ? ' expandable' : ''}`,
        'data-seq': log.seq,
        'aria-expanded': expandable ? String(open) : undefined,
        onclick: (/** @type {MouseEvent} */ event) => {
          if (!expandable || (event.target instanceof Element && event.target.closest('a'))) return;
          const nowOpen = !expanded.has(log.seq);
          if (nowOpen) {
            expanded.add(log.seq);
            draw();
          } else expanded.delete(log.seq);
          details.hidden = !nowOpen;
          row.setAttribute('aria-expanded', String(nowOpen));
        },
      },
      h('td', { class: 'mono' }, formatTime(log.timeMs)),
      h(
        'td',
        {
          class: `level level-${log.level}`,
          // The number a logger wrote (pino's 30) stays one hover away.
          title: typeof log.fields?.level === 'number' ? `level ${log.fields.level}` : undefined,
        },
        log.level ?? log.source.toUpperCase(),
      ),
      h(
        'td',
        { class: 'message' },
        h('div', {}, markRedacted(log.message, pattern), ' ', badges(log, pattern)),
        log.service ? h('div', { class: 'muted' }, log.service) : null,
      ),
      h('td', { class: 'mono' }, markRedacted(log.requestId ?? '', pattern)),
      h('td', {}, last === 'trace' ? traceLink(log.traceId) : h('span', { class: 'mono' }, log.spanId ?? '')),
    );
    return [row, details];
  });
}
