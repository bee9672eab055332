import type { StoredTrace } from './trace-store.js';
import type { ViewerSpan } from './viewer-records.js';

/** One row of the trace list. */
export interface TraceSummary {
  readonly traceId: string;
  readonly service: string | undefined;
  /** The root span's name, e.g. `GET /orders/:id`. */
  readonly operation: string;
  readonly route: string | undefined;
  readonly method: string | undefined;
  readonly httpStatus: number | undefined;
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount: number;
  /** Spans with status ERROR. */
  readonly errorCount: number;
  /** `error` when any span failed, else `ok`. */
  readonly status: 'ok' | 'error';
  /** Whether the root span (no parent, or a parent not received) is here. */
  readonly complete: boolean;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function number(value: unknown): number | undefined {
  const parsed = typeof value === 'string' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

/** The span the trace hangs from: the earliest span whose parent was not received. */
export function findRoot(spans: readonly ViewerSpan[]): ViewerSpan | undefined {
  const ids = new Set(spans.map((span) => span.spanId));
  let root: ViewerSpan | undefined;
  for (const span of spans) {
    const orphan = span.parentSpanId === undefined || !ids.has(span.parentSpanId);
    if (!orphan) continue;
    const better =
      root === undefined ||
      (root.parentSpanId !== undefined && span.parentSpanId === undefined) ||
      ((root.parentSpanId === undefined) === (span.parentSpanId === undefined) &&
        span.startMs < root.startMs);
    if (better) root = span;
  }
  return root;
}

const cache = new WeakMap<StoredTrace, { version: number; summary: TraceSummary }>();

/**
 * The trace list's row for a trace (cached until the trace gets another span).
 *
 * @example
 * store.traces.traces().map(summarizeTrace);
 */
export function summarizeTrace(trace: StoredTrace): TraceSummary {
  const cached = cache.get(trace);
  if (cached !== undefined && cached.version === trace.version) return cached.summary;
  const spans = trace.spans;
  const root = findRoot(spans) ?? spans[0];
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let errorCount = 0;
  for (const span of spans) {
    start = Math.min(start, span.startMs);
    end = Math.max(end, span.startMs + span.durationMs);
    if (span.status === 'ERROR') errorCount += 1;
  }
  const attributes = root?.attributes ?? {};
  const summary: TraceSummary = {
    traceId: trace.traceId,
    service: root?.service ?? spans.find((span) => span.service !== undefined)?.service,
    operation: root?.name ?? '',
    route: text(attributes['http.route']),
    method: text(attributes['http.request.method']) ?? text(attributes['http.method']),
    httpStatus: number(attributes['http.response.status_code'] ?? attributes['http.status_code']),
    startMs: start,
    durationMs: Math.max(0, end - start),
    spanCount: spans.length,
    errorCount,
    status: errorCount > 0 ? 'error' : 'ok',
    complete: root?.parentSpanId === undefined,
  };
  cache.set(trace, { version: trace.version, summary });
  return summary;
}

export interface TraceFilter {
  /** `ok` or `error`. */
  readonly status?: string | undefined;
  /** Exact route template, e.g. `/orders/:id`. */
  readonly route?: string | undefined;
  /** Case-insensitive text in the trace id, service, operation, route or any span's name. */
  readonly text?: string | undefined;
  readonly limit?: number | undefined;
}

function matchesText(trace: StoredTrace, summary: TraceSummary, needle: string): boolean {
  const haystack = [summary.traceId, summary.service, summary.operation, summary.route, summary.httpStatus];
  if (haystack.some((value) => value !== undefined && String(value).toLowerCase().includes(needle)))
    return true;
  return trace.spans.some((span) => span.name.toLowerCase().includes(needle));
}

/**
 * Trace list rows, newest first, filtered by status, route and text.
 *
 * @example
 * queryTraces(store.traces.traces(), { status: 'error', limit: 50 });
 */
export function queryTraces(traces: readonly StoredTrace[], filter: TraceFilter = {}): TraceSummary[] {
  const needle = filter.text?.trim().toLowerCase() ?? '';
  const rows: TraceSummary[] = [];
  for (const trace of traces) {
    const summary = summarizeTrace(trace);
    if (filter.status && summary.status !== filter.status) continue;
    if (filter.route && summary.route !== filter.route) continue;
    if (needle !== '' && !matchesText(trace, summary, needle)) continue;
    rows.push(summary);
  }
  rows.sort((a, b) => b.startMs - a.startMs);
  return rows.slice(0, filter.limit ?? 200);
}
