// The viewer's JSON API, read by the page and by tests: /api/stats, /api/traces,
// /api/traces/:traceId, /api/logs, /api/audit, /api/metrics, /api/metrics/points.
import { normalizeTraceId } from './normalize-trace-id.js';
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
import { traceDetail } from './trace-detail.js';
import type { ViewerLog } from './viewer-records.js';

export interface ApiResult {
  readonly status: number;
  readonly body: unknown;
}

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 5000;

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
    return {
      status: 200,
      body: {
        traces: matching.slice(0, limitOf(query)),
        /** How many traces pass the filter (the list shows at most `limit`). */
        matching: matching.length,
        routes: [...routes].sort(),
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
    return {
      status: 200,
      body: {
        ...traceDetail(trace),
        logs: store.logs.newest(MAX_LIMIT, (log) => log.traceId === traceId).reverse(),
        audit: store.audit.newest(MAX_LIMIT, (entry) => entry.traceId === traceId).reverse(),
      },
    };
  }
  if (path === '/api/logs') {
    const level = optional(query, 'level')?.toUpperCase();
    const needle = optional(query, 'q')?.toLowerCase() ?? '';
    const traceId = normalizeTraceId(optional(query, 'traceId'));
    const levels = new Set<string>();
    for (const log of store.logs.toArray()) levels.add(log.level ?? log.source.toUpperCase());
    return {
      status: 200,
      body: {
        logs: store.logs.newest(limitOf(query), (log) => logMatches(log, level, needle, traceId)),
        /** Every level held, for the filter. */
        levels: [...levels].sort(),
      },
    };
  }
  if (path === '/api/audit') {
    const traceId = normalizeTraceId(optional(query, 'traceId'));
    return {
      status: 200,
      body: {
        audit: store.audit.newest(
          limitOf(query),
          (entry) => traceId === undefined || entry.traceId === traceId,
        ),
      },
    };
  }
  if (path === '/api/metrics') return { status: 200, body: summarizeMetrics(store.metrics.toArray()) };
  if (path === '/api/metrics/points') {
    const name = optional(query, 'name');
    return {
      status: 200,
      body: {
        points: store.metrics.newest(limitOf(query), (point) => name === undefined || point.name === name),
      },
    };
  }
  return undefined;
}
