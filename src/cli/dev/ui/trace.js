// One trace: a waterfall of its spans (click one for its attributes and events), and the log
// lines and audit entries that carry its trace id.
import { getJson } from './api.js';
import { formatDuration, formatTime, h, keyValues, replace, table } from './dom.js';

/** Spans in tree order (children after their parent, by start time), with their depth. */
function inTreeOrder(spans) {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : '';
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(span);
  }
  const ordered = [];
  const visit = (parent, depth) => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.startMs - b.startMs);
    for (const span of list) {
      ordered.push({ span, depth });
      if (depth < 50) visit(span.spanId, depth + 1);
    }
  };
  visit('', 0);
  return ordered;
}

function spanDetails(span) {
  return h(
    'div',
    { class: 'panel', id: 'span-details' },
    h('h2', {}, span.name),
    h(
      'p',
      { class: 'muted' },
      `${span.kind} · ${span.service ?? 'unknown service'} · ${formatDuration(span.durationMs)} · status ${span.status}`,
      span.statusMessage ? ` (${span.statusMessage})` : '',
      ` · span ${span.spanId} · from ${span.source}`,
    ),
    h(
      'div',
      { class: 'details' },
      h('div', {}, h('h2', {}, 'Attributes'), keyValues(span.attributes)),
      h(
        'div',
        {},
        h('h2', {}, 'Events'),
        span.events.length === 0
          ? h('p', { class: 'muted' }, 'none')
          : span.events.map((event) =>
              h(
                'div',
                { class: 'event' },
                h('b', {}, event.name),
                ' ',
                h('span', { class: 'muted mono' }, formatTime(event.timeMs)),
                keyValues(event.attributes),
              ),
            ),
      ),
    ),
  );
}

function waterfall(spans, selectedId, onSelect) {
  const start = Math.min(...spans.map((span) => span.startMs));
  const end = Math.max(...spans.map((span) => span.startMs + span.durationMs));
  const total = Math.max(end - start, 0.001);
  return h(
    'div',
    { class: 'waterfall', id: 'waterfall' },
    inTreeOrder(spans).map(({ span, depth }) =>
      h(
        'div',
        {
          class: `span-row${span.spanId === selectedId ? ' selected' : ''}`,
          'data-span-id': span.spanId,
          onclick: () => onSelect(span.spanId),
        },
        h(
          'div',
          { class: 'span-name', style: { paddingLeft: `${depth * 14}px` }, title: span.name },
          span.name,
          h('span', { class: 'kind' }, span.kind),
        ),
        h(
          'div',
          { class: 'track' },
          h('div', {
            class: `bar ${span.status}`,
            style: {
              left: `${((span.startMs - start) / total) * 100}%`,
              width: `${(span.durationMs / total) * 100}%`,
            },
          }),
        ),
        h('div', { class: 'num mono' }, formatDuration(span.durationMs)),
      ),
    ),
  );
}

function logRows(logs) {
  return logs.map((log) =>
    h(
      'tr',
      { class: 'log-row' },
      h('td', { class: 'mono' }, formatTime(log.timeMs)),
      h('td', { class: `level-${log.level}` }, log.level ?? log.source),
      h('td', {}, log.message),
      h('td', { class: 'mono' }, log.requestId ?? ''),
      h('td', { class: 'mono' }, log.spanId ?? ''),
    ),
  );
}

function auditRows(entries) {
  return entries.map((entry) =>
    h(
      'tr',
      { class: 'audit-row' },
      h('td', { class: 'mono' }, formatTime(entry.timeMs)),
      h('td', {}, entry.userId ?? ''),
      h('td', {}, entry.action ?? ''),
      h('td', {}, entry.resource ?? ''),
      h('td', {}, h('span', { class: `badge ${entry.status}` }, entry.status ?? '')),
    ),
  );
}

export function renderTrace(container, traceId) {
  let selected;
  let last;

  function show(detail) {
    last = detail;
    const { summary, spans, logs, audit } = detail;
    const chosen = spans.find((span) => span.spanId === selected) ?? spans[0];
    replace(
      container,
      h('p', {}, h('a', { href: '#/traces' }, '← traces')),
      h(
        'div',
        { class: 'panel' },
        h('h2', { id: 'trace-title' }, `${summary.service ?? ''} ${summary.operation}`),
        h(
          'p',
          { class: 'muted' },
          `trace ${summary.traceId} · ${formatTime(summary.startMs)} · ${formatDuration(summary.durationMs)} · ${summary.spanCount} spans · ${summary.errorCount} errors`,
        ),
        waterfall(spans, chosen?.spanId, (spanId) => {
          selected = spanId;
          show(last);
        }),
      ),
      chosen ? spanDetails(chosen) : null,
      h('h2', {}, `Log lines (${logs.length})`),
      h(
        'div',
        { id: 'trace-logs' },
        table(
          ['time', 'level', 'message', 'request id', 'span'],
          logRows(logs),
          'No log lines with this trace id.',
        ),
      ),
      h('h2', {}, `Audit entries (${audit.length})`),
      h(
        'div',
        { id: 'trace-audit' },
        table(
          ['time', 'user', 'action', 'resource', 'status'],
          auditRows(audit),
          'No audit entries with this trace id.',
        ),
      ),
    );
  }

  async function refresh() {
    show(await getJson(`api/traces/${encodeURIComponent(traceId)}`));
  }

  return { refresh };
}
