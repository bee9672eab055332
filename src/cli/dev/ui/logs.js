// The log view: level, text, request id, trace id (click-through to the trace).
import { getJson } from './api.js';
import { formatTime, h, replace, table, traceLink } from './dom.js';

const LEVELS = ['', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'STDOUT', 'STDERR'];

export function renderLogs(container) {
  const level = h(
    'select',
    { name: 'level', 'aria-label': 'level', onchange: () => refresh() },
    LEVELS.map((name) => h('option', { value: name }, name === '' ? 'any level' : name)),
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

  async function refresh() {
    const { logs } = await getJson('api/logs', { level: level.value, q: text.value });
    const rows = logs.map((log) =>
      h(
        'tr',
        { class: 'log-row' },
        h('td', { class: 'mono' }, formatTime(log.timeMs)),
        h('td', { class: `level-${log.level}` }, log.level ?? log.source),
        h(
          'td',
          {},
          h('div', {}, log.message),
          log.service ? h('div', { class: 'muted' }, log.service) : null,
        ),
        h('td', { class: 'mono' }, log.requestId ?? ''),
        h('td', {}, traceLink(log.traceId)),
      ),
    );
    replace(list, table(['time', 'level', 'message', 'request id', 'trace'], rows, 'No log lines yet.'));
  }

  return { refresh };
}
