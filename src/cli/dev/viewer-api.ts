// The viewer's JSON API, read by the page and by tests: /api/stats, /api/traces,
// /api/traces/:traceId, /api/logs, /api/audit, /api/metrics, /api/metrics/points.
import { normalizeTraceId } from './normalize-trace-id.js';
import type { RingBuffer } from './ring-buffer.js';
import { summarizeMetrics } from './summarize-metrics.js';
import {
  filterTraces,
  LATENCY_BUCKETS_MS,
  latencyByRoute,
  summarizeTrace,
  TRACE_SORTS,
  type TraceFilter,
  type TraceSort,
} from './summarize-trace.js';
import type { TelemetryStore } from './telemetry-store.js';
import { SerializedList } from './to-json-text.js';
import { type TraceDetail, traceDetail, type WaterfallSpan } from './trace-detail.js';
import type { StoredTrace } from './trace-store.js';
import type { ViewerLog } from './viewer-records.js';

export interface ApiResult {
  readonly status: number;
  /** The answer; its lists are SerializedLists, to be sent with toJsonText. */
  readonly body: unknown;
}

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 5000;

/**
 * Most bytes (UTF-8 JSON) of the records one list of an answer holds. A count alone does not
 * bound an answer: 200 log lines of 1 MiB are 200 MiB, and a line of control characters takes
 * six times its length once escaped, so one request made the viewer build hundreds of MB. Past
 * this a list stops, says `truncated`, and gives the cursor to read on from. It always holds its
 * first record, whatever its size, so that reading on never stalls: one record is bounded where
 * it is read (a line of 1 MiB, an OTLP body of 32 MiB).
 */
export const MAX_LIST_BYTES = 16 * 1024 * 1024;

/** Most bytes of the names a list is filtered by (the levels held, the routes). */
const MAX_NAMES_BYTES = 64 * 1024;

/**
 * The first `items` whose JSON fits in `maxBytes` (and the first whatever its size); `truncated`
 * when some were left out. Each item is serialised to be measured (an estimate would be off six
 * times for escaped text), and the answer is sent with those texts (toJsonText), so that no
 * item is serialised twice.
 */
function withinBytes<T>(
  items: readonly T[],
  maxBytes = MAX_LIST_BYTES,
): { items: T[]; list: SerializedList<T>; truncated: boolean } {
  const texts: string[] = [];
  let bytes = 0;
  for (let index = 0; index < items.length; index += 1) {
    // `null`: what JSON.stringify writes for an array item it cannot serialise.
    const text = JSON.stringify(items[index]) ?? 'null';
    bytes += Buffer.byteLength(text) + 1;
    if (bytes > maxBytes && index > 0) {
      const kept = items.slice(0, index);
      return { items: kept, list: new SerializedList(kept, texts), truncated: true };
    }
    texts.push(text);
  }
  const kept = [...items];
  return { items: kept, list: new SerializedList(kept, texts), truncated: false };
}

/**
 * A page of records newest first, at most `limit` of them and MAX_LIST_BYTES, from those with
 * a `seq` below the `before` parameter (all when it is absent). `nextBefore` is where the next
 * page starts, present when more records may match: the list was cut by `limit` or by bytes.
 */
function pageOf<T extends { readonly seq: number }>(
  ring: RingBuffer<T>,
  query: URLSearchParams,
  matches: (item: T) => boolean,
): { list: SerializedList<T>; truncated: boolean; nextBefore?: number } {
  const limit = limitOf(query);
  const before = numberParam(query, 'before') ?? Number.POSITIVE_INFINITY;
  const candidates = ring.newest(limit, (item) => item.seq < before && matches(item));
  const { items, list, truncated } = withinBytes(candidates);
  const last = items.at(-1);
  if (last !== undefined && (truncated || candidates.length === limit))
    return { list, truncated, nextBefore: last.seq };
  return { list, truncated };
}

function limitOf(query: URLSearchParams): number {
  const raw = Number(query.get('limit') ?? DEFAULT_LIMIT);
  return Number.isInteger(raw) && raw > 0 ? Math.min(raw, MAX_LIMIT) : DEFAULT_LIMIT;
}

const optional = (query: URLSearchParams, name: string): string | undefined => {
  const value = query.get(name)?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/** A number parameter; undefined when absent or not a finite number. */
function numberParam(query: URLSearchParams, name: string): number | undefined {
  const value = optional(query, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** A percent-decoded path segment; undefined when its escapes are malformed (`%E0%A4%A`). */
function decodeOrUndefined(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const details = new WeakMap<
  StoredTrace,
  { version: number; detail: TraceDetail; spans: { items: WaterfallSpan[]; truncated: boolean } }
>();

/**
 * A trace's waterfall and its spans within MAX_LIST_BYTES, kept until the trace gets another
 * span: its page asks again on every live update, and building them takes about a second for
 * 20,000 spans, while which the viewer receives nothing. The spans' texts are not kept (they
 * would double what a trace costs): the first answer sends those it measured, a later one
 * serialises the kept spans once.
 */
function boundedDetail(trace: StoredTrace): {
  detail: TraceDetail;
  spans: { items: WaterfallSpan[]; truncated: boolean };
  list: SerializedList<WaterfallSpan> | WaterfallSpan[];
} {
  const cached = details.get(trace);
  if (cached !== undefined && cached.version === trace.version)
    return { ...cached, list: cached.spans.items };
  const detail = traceDetail(trace);
  const { items, list, truncated } = withinBytes(detail.spans);
  const entry = { version: trace.version, detail, spans: { items, truncated } };
  details.set(trace, entry);
  return { ...entry, list };
}

function traceFilterOf(query: URLSearchParams): TraceFilter {
  const sort = optional(query, 'sort');
  const order = optional(query, 'order');
  return {
    status: optional(query, 'status'),
    route: optional(query, 'route'),
    text: optional(query, 'q'),
    minMs: numberParam(query, 'minMs'),
    maxMs: numberParam(query, 'maxMs'),
    fromMs: numberParam(query, 'from'),
    toMs: numberParam(query, 'to'),
    sort: TRACE_SORTS.includes(sort as TraceSort) ? (sort as TraceSort) : undefined,
    order: order === 'asc' || order === 'desc' ? order : undefined,
  };
}

function logMatches(
  log: ViewerLog,
  level: string | undefined,
  needle: string,
  traceId: string | undefined,
): boolean {
  if (traceId !== undefined && log.traceId !== traceId) return false;
  if (level !== undefined && (log.level ?? log.source.toUpperCase()) !== level) return false;
  if (needle === '') return true;
  return (
    log.message.toLowerCase().includes(needle) ||
    (log.requestId?.toLowerCase().includes(needle) ?? false) ||
    (log.traceId?.includes(needle) ?? false)
  );
}

/**
 * Answers one GET of the JSON API; undefined for a path it does not know.
 *
 * @example
 * const result = answerApi(store, '/api/traces', new URLSearchParams('status=error'), stats);
 */
export function answerApi(
  store: TelemetryStore,
  path: string,
  query: URLSearchParams,
  stats: () => unknown,
): ApiResult | undefined {
  if (path === '/api/stats') return { status: 200, body: stats() };
  if (path === '/api/traces') {
    const traces = store.traces.traces();
    const routes = new Set<string>();
    for (const trace of traces) {
      const route = summarizeTrace(trace).route;
      if (route !== undefined) routes.add(route);
    }
    const matching = filterTraces(traces, traceFilterOf(query));
    const listed = withinBytes(matching.slice(0, limitOf(query)));
    return {
      status: 200,
      body: {
        traces: listed.list,
        /** How many traces pass the filter (the list shows at most `limit`, and MAX_LIST_BYTES). */
        matching: matching.length,
        truncated: listed.truncated,
        routes: withinBytes([...routes].sort(), MAX_NAMES_BYTES).list,
        latency: { bucketsMs: LATENCY_BUCKETS_MS, routes: latencyByRoute(matching) },
      },
    };
  }
  if (path.startsWith('/api/traces/')) {
    const traceId = normalizeTraceId(decodeOrUndefined(path.slice('/api/traces/'.length)));
    // An id that is no trace id was never dropped: saying so would send the user looking for it.
    if (traceId === undefined)
      return {
        status: 400,
        body: {
          error: 'not a trace id (32 hex digits, or an X-Ray id such as 1-5759e988-bd862e3fe1be46a994272793)',
        },
      };
    const trace = store.traces.get(traceId);
    if (trace === undefined)
      return { status: 404, body: { error: 'no such trace (it may have been dropped)' } };
    const { detail, spans, list } = boundedDetail(trace);
    const logs = withinBytes(store.logs.newest(MAX_LIMIT, (log) => log.traceId === traceId));
    const audit = withinBytes(store.audit.newest(MAX_LIMIT, (entry) => entry.traceId === traceId));
    return {
      status: 200,
      body: {
        ...detail,
        spans: list,
        // The newest lines and entries are kept when there are too many, shown oldest first.
        logs: logs.list.reversed(),
        audit: audit.list.reversed(),
        /** Whether a list was cut at MAX_LIST_BYTES (spans: fewer than `summary.spanCount`). */
        truncated: spans.truncated || logs.truncated || audit.truncated,
      },
    };
  }
  if (path === '/api/logs') {
    const level = optional(query, 'level')?.toUpperCase();
    const needle = optional(query, 'q')?.toLowerCase() ?? '';
    const traceId = normalizeTraceId(optional(query, 'traceId'));
    const levels = new Set<string>();
    for (const log of store.logs.toArray()) levels.add(log.level ?? log.source.toUpperCase());
    const page = pageOf(store.logs, query, (log) => logMatches(log, level, needle, traceId));
    return {
      status: 200,
      body: {
        logs: page.list,
        truncated: page.truncated,
        ...(page.nextBefore === undefined ? {} : { nextBefore: page.nextBefore }),
        /** Every level held, for the filter (a logger may name levels as it likes: bounded). */
        levels: withinBytes([...levels].sort(), MAX_NAMES_BYTES).list,
      },
    };
  }
  if (path === '/api/audit') {
    const traceId = normalizeTraceId(optional(query, 'traceId'));
    const page = pageOf(store.audit, query, (entry) => traceId === undefined || entry.traceId === traceId);
    return {
      status: 200,
      body: {
        audit: page.list,
        truncated: page.truncated,
        ...(page.nextBefore === undefined ? {} : { nextBefore: page.nextBefore }),
      },
    };
  }
  if (path === '/api/metrics') return { status: 200, body: summarizeMetrics(store.metrics.toArray()) };
  if (path === '/api/metrics/points') {
    const name = optional(query, 'name');
    const page = pageOf(store.metrics, query, (point) => name === undefined || point.name === name);
    return {
      status: 200,
      body: {
        points: page.list,
        truncated: page.truncated,
        ...(page.nextBefore === undefined ? {} : { nextBefore: page.nextBefore }),
      },
    };
  }
  return undefined;
}
