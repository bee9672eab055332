// The trace list: service, operation, duration, status, error count; filters by status,
// route and text.
import { getJson } from './api.js';
import { formatDuration, formatTime, h, replace, table } from './dom.js';

export function renderTraces(container) {
  const status = h(
    'select',
    { name: 'status', 'aria-label': 'status', onchange: () => refresh() },
    h('option', { value: '' }, 'any status'),
    h('option', { value: 'ok' }, 'ok'),
    h('option', { value: 'error' }, 'error'),
  );
  const route = h(
    'select',
    { name: 'route', 'aria-label': 'route', onchange: () => refresh() },
    h('option', { value: '' }, 'any route'),
  );
  const text = h('input', {
    type: 'search',
    name: 'q',
    placeholder: 'search service, operation, trace id…',
    'aria-label': 'search',
    oninput: () => refresh(),
  });
  const list = h('div', { id: 'trace-list' });
  replace(container, h('div', { class: 'filters' }, status, route, text), list);

  function showRoutes(routes) {
    const chosen = route.value;
    replace(
      route,
      h('option', { value: '' }, 'any route'),
      routes.map((name) => h('option', { value: name }, name)),
    );
    route.value = routes.includes(chosen) ? chosen : '';
  }

  async function refresh() {
    const { traces, routes } = await getJson('api/traces', {
      status: status.value,
      route: route.value,
      q: text.value,
    });
    showRoutes(routes);
    const rows = traces.map((trace) =>
      h(
        'tr',
        {
          class: 'link trace-row',
          'data-trace-id': trace.traceId,
          onclick: () => {
            location.hash = `#/trace/${trace.traceId}`;
          },
        },
        h('td', { class: 'mono' }, formatTime(trace.startMs)),
        h('td', {}, trace.service ?? ''),
        h('td', { class: 'operation' }, trace.operation),
        h('td', {}, h('span', { class: `badge ${trace.status}` }, trace.httpStatus ?? trace.status)),
        h('td', { class: 'num' }, formatDuration(trace.durationMs)),
        h('td', { class: 'num' }, trace.spanCount),
        h(
          'td',
          { class: 'num' },
          trace.errorCount > 0 ? h('span', { class: 'badge error' }, trace.errorCount) : '0',
        ),
      ),
    );
    replace(
      list,
      table(
        ['time', 'service', 'operation', 'status', 'duration', 'spans', 'errors'],
        rows,
        'No traces yet. Send a request to the app.',
      ),
    );
  }

  return { refresh };
}
