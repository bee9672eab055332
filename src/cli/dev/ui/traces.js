// The trace list: service, operation, status, duration, spans, errors; filtered by status,
// route, text, duration and time range, sorted by any column with an arrow; above it, the
// latency histogram of each route with its p50, p95 and p99.
import { answerReader } from './api.js';
import { formatDuration, formatTime, h, replace, table } from './dom.js';
import { latencyHistogram } from './histogram.js';

const RANGES = [
  ['', 'any time'],
  ['300000', 'last 5 min'],
  ['900000', 'last 15 min'],
  ['3600000', 'last hour'],
];

/**
 * Sortable columns: header text -> the API's sort key.
 * @type {Readonly<Record<string, string>>}
 */
const SORTABLE = {
  time: 'time',
  operation: 'operation',
  status: 'status',
  duration: 'duration',
  spans: 'spans',
};
const NUMERIC = new Set(['duration', 'spans', 'errors']);

/** @param {HTMLElement} container */
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
  /**
   * @param {string} name
   * @param {string} label
   */
  const duration = (name, label) =>
    h('input', {
      type: 'number',
      name,
      min: 0,
      step: 'any',
      placeholder: label,
      'aria-label': label,
      class: 'duration',
      oninput: () => refresh(),
    });
  const minMs = duration('minMs', 'min ms');
  const maxMs = duration('maxMs', 'max ms');
  const range = h(
    'select',
    { name: 'range', 'aria-label': 'time range', onchange: () => refresh() },
    RANGES.map(([value, label]) => h('option', { value }, label)),
  );
  const clear = h('button', { type: 'button', onclick: () => reset() }, 'clear filters');
  const histograms = h('div', { id: 'latency', class: 'histograms' });
  const summary = h('p', { class: 'muted', id: 'trace-count' });
  const list = h('div', { id: 'trace-list' });
  const sorting = { sort: 'time', order: 'desc' };
  const read = answerReader();
  replace(
    container,
    h(
      'div',
      { class: 'filters' },
      status,
      route,
      text,
      h('label', { class: 'duration-filter' }, 'duration ', minMs, ' – ', maxMs, ' ms'),
      range,
      clear,
    ),
    h('h2', {}, 'Latency by route'),
    histograms,
    summary,
    list,
  );

  function reset() {
    for (const input of [status, route, text, minMs, maxMs, range]) input.value = '';
    refresh();
  }

  /** @param {string[]} routes */
  function showRoutes(routes) {
    const chosen = route.value;
    replace(
      route,
      h('option', { value: '' }, 'any route'),
      routes.map((name) => h('option', { value: name }, name)),
    );
    route.value = routes.includes(chosen) ? chosen : '';
  }

  /** @param {string} name */
  function header(name) {
    const key = SORTABLE[name];
    const numeric = NUMERIC.has(name);
    if (key === undefined) return h('th', { class: numeric ? 'num' : undefined }, name);
    const active = sorting.sort === key;
    return h(
      'th',
      {
        class: `sortable${active ? ' sorted' : ''}${numeric ? ' num' : ''}`,
        'data-sort': key,
        'aria-sort': active ? (sorting.order === 'asc' ? 'ascending' : 'descending') : 'none',
        title: `sort by ${name}`,
        onclick: () => {
          sorting.order = active && sorting.order === 'desc' ? 'asc' : 'desc';
          sorting.sort = key;
          refresh();
        },
      },
      name,
      active ? (sorting.order === 'asc' ? ' ▲' : ' ▼') : '',
    );
  }

  /**
   * @param {string} routeName
   * @param {number} lower
   * @param {number | undefined} upper
   */
  function pick(routeName, lower, upper) {
    if ([...route.options].some((option) => option.value === routeName)) route.value = routeName;
    minMs.value = String(lower);
    maxMs.value = upper === undefined ? '' : String(upper);
    refresh();
  }

  async function refresh() {
    const query = {
      status: status.value,
      route: route.value,
      q: text.value,
      minMs: minMs.value,
      maxMs: maxMs.value,
      from: range.value === '' ? '' : String(Date.now() - Number(range.value)),
      sort: sorting.sort,
      order: sorting.order,
    };
    // The column headers show the sort order: a new order with the same rows is drawn too.
    const answer = /** @type {import('./api.js').TracesAnswer | undefined} */ (
      await read('api/traces', query, `${sorting.sort} ${sorting.order}`)
    );
    if (answer === undefined) return;
    const { traces, routes, matching, latency } = answer;
    showRoutes(routes);
    replace(
      histograms,
      latency.routes.length === 0
        ? h('div', { class: 'empty' }, 'No traces match.')
        : latency.routes.map((item) =>
            latencyHistogram(item, latency.bucketsMs, (lower, upper) => pick(item.route, lower, upper)),
          ),
    );
    summary.textContent =
      matching > traces.length
        ? `${matching} traces match; the first ${traces.length} are listed.`
        : `${matching} traces`;
    const rows = traces.map((trace) =>
      h(
        'tr',
        {
          class: `link trace-row${trace.complete ? '' : ' incomplete'}`,
          'data-trace-id': trace.traceId,
          onclick: () => {
            location.hash = `#/trace/${trace.traceId}`;
          },
        },
        h('td', { class: 'mono' }, formatTime(trace.startMs)),
        h('td', {}, trace.service ?? ''),
        h(
          'td',
          { class: 'operation' },
          trace.operation,
          trace.complete
            ? null
            : h(
                'span',
                {
                  class: 'badge incomplete',
                  title:
                    trace.missingParentSpanId === undefined
                      ? 'no span is its root: the spans name each other as parents'
                      : `its root's parent ${trace.missingParentSpanId} was not received`,
                },
                'incomplete',
              ),
        ),
        h('td', {}, h('span', { class: `badge ${trace.status}` }, trace.httpStatus ?? trace.status)),
        h('td', { class: 'num duration', 'data-ms': trace.durationMs }, formatDuration(trace.durationMs)),
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
        ['time', 'service', 'operation', 'status', 'duration', 'spans', 'errors'].map(header),
        rows,
        'No traces yet. Send a request to the app.',
      ),
    );
  }

  return { refresh };
}
