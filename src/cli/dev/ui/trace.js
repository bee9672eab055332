// One trace: a waterfall of its spans with each one's offset from the trace's start (click a
// span for its attributes and events), and the log lines and audit entries that carry its
// trace id. It opens on the span where the first error began, or on the root.
import { answerReader, getJson } from './api.js';
import { formatDuration, formatTime, h, replace, table, truncatedNotice } from './dom.js';
import { fieldList, redactionPattern } from './fields.js';
import { logRows } from './log-rows.js';

/**
 * @typedef {import('./api.js').WaterfallSpan} WaterfallSpan
 * @typedef {import('./api.js').TraceSummary} TraceSummary
 * @typedef {import('./api.js').TraceAnswer} TraceAnswer
 */

/**
 * @param {WaterfallSpan} span
 * @param {RegExp} pattern
 */
function spanDetails(span, pattern) {
  return h(
    'div',
    { class: 'panel', id: 'span-details', 'data-span-id': span.spanId },
    h('h2', {}, span.name),
    h(
      'p',
      { class: 'muted' },
      // The service and the status message are the app's text, kept apart from the rest (dom.js).
      `${span.kind} · `,
      span.service ?? 'unknown service',
      ` · starts at +${span.offsetMs === 0 ? '0' : formatDuration(span.offsetMs)} · lasts ${formatDuration(span.durationMs)} · status ${span.status}`,
      span.statusMessage ? [' (', span.statusMessage, ')'] : '',
      ` · span ${span.spanId} · from ${span.source}`,
    ),
    span.orphan
      ? h('p', { class: 'warning' }, `Its parent span ${span.parentSpanId} was not received.`)
      : null,
    h(
      'div',
      { class: 'details' },
      h('div', {}, h('h2', {}, 'Attributes'), fieldList(span.attributes, pattern)),
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
                fieldList(event.attributes, pattern),
              ),
            ),
      ),
    ),
  );
}

/** @param {TraceSummary} summary */
function missingParentRow(summary) {
  return h(
    'div',
    { class: 'waterfall-row missing-parent', title: 'not received' },
    h('div', { class: 'span-name' }, `parent ${summary.missingParentSpanId} (not received)`),
    h('div', { class: 'track' }),
    h('div', { class: 'num mono' }, ''),
    h('div', { class: 'num mono' }, ''),
  );
}

/**
 * Span rows drawn at first, and drawn more at each "show more": the page lays out every row it
 * draws, and a trace of 20,000 spans (the default --max-spans) froze it for seconds on every
 * draw, a click on a span included.
 */
const ROWS_PER_DRAW = 2000;

/**
 * The spans drawn: the first `rows` in waterfall order, and the selected span where it comes
 * later (a trace opens on the span where its first error began, wherever it is).
 *
 * @param {readonly WaterfallSpan[]} spans
 * @param {number} rows
 * @param {string | undefined} selectedId
 */
function drawnSpans(spans, rows, selectedId) {
  if (spans.length <= rows) return spans;
  const first = spans.slice(0, rows);
  const selected = spans.findIndex((span) => span.spanId === selectedId);
  return selected >= rows ? [...first, /** @type {WaterfallSpan} */ (spans[selected])] : first;
}

/**
 * @param {TraceAnswer} detail
 * @param {string | undefined} selectedId
 * @param {(spanId: string) => void} onSelect
 * @param {number} rows how many span rows to draw, at most
 * @param {() => void} onMore draws more rows
 */
function waterfall(detail, selectedId, onSelect, rows, onMore) {
  const { summary } = detail;
  const spans = drawnSpans(detail.spans, rows, selectedId);
  const hidden = detail.spans.length - spans.length;
  const total = Math.max(summary.durationMs, 1e-6);
  return h(
    'div',
    { class: 'waterfall', id: 'waterfall' },
    h(
      'div',
      { class: 'waterfall-row waterfall-header' },
      h('div', {}, 'span'),
      h('div', {}, ''),
      h('div', { class: 'num' }, 'starts at'),
      h('div', { class: 'num' }, 'duration'),
    ),
    summary.missingParentSpanId === undefined ? null : missingParentRow(summary),
    spans.map((span) =>
      h(
        'div',
        {
          class: `waterfall-row span-row${span.spanId === selectedId ? ' selected' : ''}${span.orphan ? ' orphan' : ''}`,
          'data-span-id': span.spanId,
          'aria-selected': span.spanId === selectedId ? 'true' : 'false',
          onclick: () => onSelect(span.spanId),
        },
        h(
          'div',
          {
            class: 'span-name',
            style: {
              paddingLeft: `${(span.depth + (summary.missingParentSpanId === undefined ? 0 : 1)) * 14}px`,
            },
            title: span.name,
          },
          span.name,
          h('span', { class: 'kind' }, span.kind),
        ),
        h(
          'div',
          { class: 'track' },
          h('div', {
            class: `bar ${span.status}`,
            style: {
              left: `${(span.offsetMs / total) * 100}%`,
              width: `${(span.durationMs / total) * 100}%`,
            },
          }),
        ),
        h(
          'div',
          { class: 'num mono offset' },
          span.offsetMs === 0 ? '+0' : `+${formatDuration(span.offsetMs)}`,
        ),
        h('div', { class: 'num mono' }, formatDuration(span.durationMs)),
      ),
    ),
    hidden > 0
      ? h(
          'p',
          { class: 'muted', id: 'more-spans' },
          `${hidden} more spans not drawn. `,
          h('button', { type: 'button', onclick: onMore }, `show ${Math.min(hidden, ROWS_PER_DRAW)} more`),
        )
      : null,
  );
}

/** @param {readonly import('./api.js').ViewerAudit[]} entries */
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

/** @param {TraceSummary} summary */
function incompleteNotice(summary) {
  return h(
    'p',
    { class: 'warning', id: 'incomplete' },
    h('b', {}, 'Incomplete trace. '),
    summary.missingParentSpanId === undefined
      ? 'No span is its root: every span names a parent that is here, in a cycle (a span that is its own parent, or spans naming each other), which the tracer that sent them got wrong.'
      : `Its root span's parent ${summary.missingParentSpanId} was not received: the trace was continued from a caller whose spans are not here (another service, API Gateway, a browser), or the root was dropped.`,
  );
}

/**
 * @param {HTMLElement} container
 * @param {string} traceId
 */
export function renderTrace(container, traceId) {
  /** @type {string | undefined} the span clicked last */
  let selected;
  /** @type {TraceAnswer | undefined} */
  let last;
  /** @type {RegExp} */
  let pattern = redactionPattern();
  let censorKnown = false;
  /** @type {Set<number>} */
  const expanded = new Set();
  const read = answerReader();
  let rows = ROWS_PER_DRAW;

  /** @param {TraceAnswer} detail */
  function show(detail) {
    last = detail;
    const { summary, spans, logs, audit } = detail;
    const chosen =
      spans.find((span) => span.spanId === selected) ??
      spans.find((span) => span.spanId === detail.selectedSpanId);
    replace(
      container,
      h('p', {}, h('a', { href: '#/traces' }, '← traces')),
      h(
        'div',
        { class: 'panel' },
        h('h2', { id: 'trace-title' }, summary.service ?? '', ' ', summary.operation),
        h(
          'p',
          { class: 'muted' },
          `trace ${summary.traceId} · ${formatTime(summary.startMs)} · ${formatDuration(summary.durationMs)} · ${summary.spanCount} spans · ${summary.errorCount} errors`,
        ),
        summary.complete ? null : incompleteNotice(summary),
        detail.truncated
          ? truncatedNotice(
              `${spans.length} of ${summary.spanCount} spans, ${logs.length} log lines and ${audit.length} audit entries`,
            )
          : null,
        waterfall(
          detail,
          chosen?.spanId,
          (spanId) => {
            selected = spanId;
            if (last !== undefined) show(last);
          },
          rows,
          () => {
            rows += ROWS_PER_DRAW;
            if (last !== undefined) show(last);
          },
        ),
      ),
      chosen ? spanDetails(chosen, pattern) : null,
      h('h2', {}, `Log lines (${logs.length})`),
      h(
        'div',
        { id: 'trace-logs' },
        table(
          ['time', 'level', 'message', 'request id', 'span'],
          logRows(logs, { pattern, expanded, last: 'span' }),
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
    if (!censorKnown) {
      /** @type {import('./api.js').StatsAnswer} */
      const stats = await getJson('api/stats');
      pattern = redactionPattern(stats.redaction?.censor);
      censorKnown = true;
    }
    const detail = /** @type {TraceAnswer | undefined} */ (
      await read(`api/traces/${encodeURIComponent(traceId)}`)
    );
    if (detail !== undefined) show(detail);
  }

  return { refresh };
}
