import { percentile } from './summarize-metrics.js';
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
  /** The earliest span's start, exact epoch nanoseconds as a decimal string. */
  readonly startNs: string;
  /** From the earliest start to the latest end, computed from nanoseconds. */
  readonly durationMs: number;
  readonly spanCount: number;
  /** Spans with status ERROR. */
  readonly errorCount: number;
  /** `error` when any span failed, else `ok`. */
  readonly status: 'ok' | 'error';
  /** The span the trace hangs from. */
  readonly rootSpanId: string | undefined;
  /**
   * The root's parent when it was not received: the trace was continued from a caller (another
   * service, a browser, API Gateway) whose spans are not here, or its root was dropped. Undefined
   * for an incomplete trace whose every span's parent is here (their parents form a cycle).
   */
  readonly missingParentSpanId: string | undefined;
  /** Whether the root span (no parent at all) is here; false marks an incomplete trace. */
  readonly complete: boolean;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function number(value: unknown): number | undefined {
  const parsed = typeof value === 'string' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

/** Orders spans by exact start, then by arrival (the sort is stable). */
export function byStart(a: ViewerSpan, b: ViewerSpan): number {
  const difference = BigInt(a.startNs) - BigInt(b.startNs);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
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
      ((root.parentSpanId === undefined) === (span.parentSpanId === undefined) && byStart(span, root) < 0);
    if (better) root = span;
  }
  return root;
}

/** The extent of a set of spans, in exact nanoseconds. */
export function extentNs(spans: readonly ViewerSpan[]): { startNs: bigint; endNs: bigint } {
  let startNs: bigint | undefined;
  let endNs: bigint | undefined;
  for (const span of spans) {
    const start = BigInt(span.startNs);
    const end = BigInt(span.endNs);
    if (startNs === undefined || start < startNs) startNs = start;
    if (endNs === undefined || end > endNs) endNs = end;
  }
  return { startNs: startNs ?? 0n, endNs: endNs ?? 0n };
}

/** Nanoseconds as fractional milliseconds. */
export const nsToMs = (ns: bigint): number => Number(ns) / 1e6;

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
  const found = findRoot(spans);
  // No root when every span's parent is here: a span that is its own parent, or spans naming
  // each other. The first span stands in, and no parent is named as missing: none was lost.
  const root = found ?? spans[0];
  const { startNs, endNs } = extentNs(spans);
  let errorCount = 0;
  for (const span of spans) if (span.status === 'ERROR') errorCount += 1;
  const attributes = root?.attributes ?? {};
  const summary: TraceSummary = {
    traceId: trace.traceId,
    service: root?.service ?? spans.find((span) => span.service !== undefined)?.service,
    operation: root?.name ?? '',
    route: text(attributes['http.route']),
    method: text(attributes['http.request.method']) ?? text(attributes['http.method']),
    httpStatus: number(attributes['http.response.status_code'] ?? attributes['http.status_code']),
    startMs: nsToMs(startNs),
    startNs: startNs.toString(),
    durationMs: Math.max(0, nsToMs(endNs - startNs)),
    spanCount: spans.length,
    errorCount,
    status: errorCount > 0 ? 'error' : 'ok',
    rootSpanId: root?.spanId,
    missingParentSpanId: found?.parentSpanId,
    complete: root?.parentSpanId === undefined,
  };
  cache.set(trace, { version: trace.version, summary });
  return summary;
}

/** What the trace list can be sorted by. */
export const TRACE_SORTS = ['time', 'duration', 'status', 'operation', 'spans'] as const;
export type TraceSort = (typeof TRACE_SORTS)[number];

export interface TraceFilter {
  /** `ok` or `error`. */
  readonly status?: string | undefined;
  /** Exact route template, e.g. `/orders/:id`. */
  readonly route?: string | undefined;
  /** Case-insensitive text in the trace id, service, operation, route or any span's name. */
  readonly text?: string | undefined;
  /** Shortest duration kept, in milliseconds (inclusive). */
  readonly minMs?: number | undefined;
  /** Longest duration kept, in milliseconds (exclusive, so that histogram buckets do not overlap). */
  readonly maxMs?: number | undefined;
  /** Earliest start kept, epoch milliseconds (inclusive). */
  readonly fromMs?: number | undefined;
  /** Latest start kept, epoch milliseconds (exclusive). */
  readonly toMs?: number | undefined;
  /** @default "time" */
  readonly sort?: TraceSort | undefined;
  /** @default "desc" */
  readonly order?: 'asc' | 'desc' | undefined;
  readonly limit?: number | undefined;
}

function matchesText(trace: StoredTrace, summary: TraceSummary, needle: string): boolean {
  const haystack = [summary.traceId, summary.service, summary.operation, summary.route, summary.httpStatus];
  if (haystack.some((value) => value !== undefined && String(value).toLowerCase().includes(needle)))
    return true;
  return trace.spans.some((span) => span.name.toLowerCase().includes(needle));
}

const COMPARE: Record<TraceSort, (a: TraceSummary, b: TraceSummary) => number> = {
  time: (a, b) => a.startMs - b.startMs,
  duration: (a, b) => a.durationMs - b.durationMs,
  // Errors last in ascending order, so descending (the default) puts them first.
  status: (a, b) =>
    Number(a.status === 'error') - Number(b.status === 'error') || (a.httpStatus ?? 0) - (b.httpStatus ?? 0),
  operation: (a, b) => (a.operation < b.operation ? -1 : a.operation > b.operation ? 1 : 0),
  spans: (a, b) => a.spanCount - b.spanCount,
};

/**
 * Every trace that passes the filter (status, route, text, duration, time range), sorted as
 * asked (newest first by default), without the limit: the latency histograms read them all.
 *
 * @example
 * filterTraces(store.traces.traces(), { minMs: 100, sort: 'duration' });
 */
export function filterTraces(traces: readonly StoredTrace[], filter: TraceFilter = {}): TraceSummary[] {
  const needle = filter.text?.trim().toLowerCase() ?? '';
  const rows: TraceSummary[] = [];
  for (const trace of traces) {
    const summary = summarizeTrace(trace);
    if (filter.status && summary.status !== filter.status) continue;
    if (filter.route && summary.route !== filter.route) continue;
    if (filter.minMs !== undefined && summary.durationMs < filter.minMs) continue;
    if (filter.maxMs !== undefined && summary.durationMs >= filter.maxMs) continue;
    if (filter.fromMs !== undefined && summary.startMs < filter.fromMs) continue;
    if (filter.toMs !== undefined && summary.startMs >= filter.toMs) continue;
    if (needle !== '' && !matchesText(trace, summary, needle)) continue;
    rows.push(summary);
  }
  const compare = COMPARE[filter.sort ?? 'time'];
  const direction = filter.order === 'asc' ? 1 : -1;
  // Ties keep the newest first whatever the order, so a sorted list does not shuffle on refresh.
  rows.sort((a, b) => direction * compare(a, b) || b.startMs - a.startMs);
  return rows;
}

/**
 * Trace list rows: filtered and sorted as `filterTraces`, then cut to `limit` (200).
 *
 * @example
 * queryTraces(store.traces.traces(), { status: 'error', limit: 50 });
 */
export function queryTraces(traces: readonly StoredTrace[], filter: TraceFilter = {}): TraceSummary[] {
  return filterTraces(traces, filter).slice(0, filter.limit ?? 200);
}

/** Upper bounds of the latency histogram's buckets, in milliseconds; the last bucket is open. */
export const LATENCY_BUCKETS_MS = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
] as const;

/** The latency of one route (or, for a trace without one, its operation). */
export interface RouteLatency {
  readonly route: string;
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly maxMs: number;
  /** Traces per bucket: `counts[i]` for durations below `LATENCY_BUCKETS_MS[i]` (and at least the bound before); the last is above every bound. */
  readonly counts: readonly number[];
}

const MAX_ROUTES = 12;

/**
 * Latency per route over the given rows: p50, p95, p99 (nearest rank, from every trace's
 * duration) and a histogram with the buckets of `LATENCY_BUCKETS_MS`. The busiest
 * routes first, at most 12.
 *
 * @example
 * latencyByRoute(filterTraces(traces, { status: 'ok' }));
 */
export function latencyByRoute(rows: readonly TraceSummary[]): RouteLatency[] {
  const byRoute = new Map<string, number[]>();
  for (const row of rows) {
    const key = row.route ?? row.operation;
    const durations = byRoute.get(key) ?? [];
    durations.push(row.durationMs);
    byRoute.set(key, durations);
  }
  const result: RouteLatency[] = [];
  for (const [route, durations] of byRoute) {
    durations.sort((a, b) => a - b);
    const counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
    for (const duration of durations) {
      const index = LATENCY_BUCKETS_MS.findIndex((bound) => duration < bound);
      const bucket = index < 0 ? LATENCY_BUCKETS_MS.length : index;
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    result.push({
      route,
      count: durations.length,
      p50: percentile(durations, 50),
      p95: percentile(durations, 95),
      p99: percentile(durations, 99),
      maxMs: durations.at(-1) ?? 0,
      counts,
    });
  }
  result.sort((a, b) => b.count - a.count || (a.route < b.route ? -1 : 1));
  return result.slice(0, MAX_ROUTES);
}
