// Audit entries: who did what to which resource, and whether it worked.
import { answerReader } from './api.js';
import { formatTime, h, replace, table, traceLink, truncatedNotice } from './dom.js';

/** @param {HTMLElement} container */
export function renderAudit(container) {
  const list = h('div', { id: 'audit-list' });
  replace(container, list);
  const read = answerReader();

  async function refresh() {
    const answer = /** @type {import('./api.js').AuditAnswer | undefined} */ (await read('api/audit'));
    if (answer === undefined) return;
    const { audit, truncated } = answer;
    const rows = audit.map((entry) =>
      h(
        'tr',
        { class: 'audit-row' },
        h('td', { class: 'mono' }, formatTime(entry.timeMs)),
        h('td', {}, entry.userId ?? ''),
        h('td', {}, entry.action ?? ''),
        h('td', {}, entry.resource ?? ''),
        h('td', {}, h('span', { class: `badge ${entry.status}` }, entry.status ?? '')),
        h(
          'td',
          { class: 'mono' },
          entry.method ?? '',
          entry.method && entry.path ? ' ' : '',
          entry.path ?? '',
        ),
        h('td', {}, traceLink(entry.traceId)),
      ),
    );
    replace(
      list,
      truncated ? truncatedNotice(`the newest ${audit.length} entries`) : null,
      table(
        ['time', 'user', 'action', 'resource', 'status', 'request', 'trace'],
        rows,
        'No audit entries yet.',
      ),
    );
  }

  return { refresh };
}
