// Recognises what an app writes on stdout and stderr: Powertools JSON log lines, audit
// entries, EMF documents, and plain text.
import { isEmfDocument, metricsFromEmf } from './from-emf.js';
import { normalizeTraceId } from './normalize-trace-id.js';
import { toJsonObject } from './to-json-value.js';
import type { JsonObject, ViewerAudit, ViewerLog, ViewerMetricPoint } from './viewer-records.js';

export type ClassifiedLine =
  | { readonly kind: 'log'; readonly log: ViewerLog }
  | { readonly kind: 'audit'; readonly audit: ViewerAudit }
  | { readonly kind: 'metrics'; readonly points: ViewerMetricPoint[] };

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

function timeOf(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return Date.now();
}

function parseObject(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function auditFrom(entry: Record<string, unknown>, seq: number): ViewerAudit {
  return {
    seq,
    timeMs: timeOf(entry.timestamp),
    traceId: normalizeTraceId(entry.traceId ?? entry.trace_id ?? entry.xray_trace_id),
    userId: text(entry.user_id),
    action: text(entry.action),
    resource: text(entry.resource),
    status: text(entry.status),
    method: text(entry.method),
    path: text(entry.path),
    entry: toJsonObject(entry),
  };
}

function logFrom(fields: Record<string, unknown>, source: 'stdout' | 'stderr', seq: number): ViewerLog {
  return {
    seq,
    timeMs: timeOf(fields.timestamp ?? fields.time),
    level: text(fields.level)?.toUpperCase(),
    message: text(fields.message) ?? text(fields.msg) ?? '',
    service: text(fields.service),
    traceId: normalizeTraceId(fields.trace_id ?? fields.xray_trace_id ?? fields.traceId),
    spanId: text(fields.span_id),
    requestId: text(fields.request_id) ?? text(fields.function_request_id),
    source,
    fields: toJsonObject(fields),
  };
}

function textLine(line: string, source: 'stdout' | 'stderr', seq: number): ViewerLog {
  return {
    seq,
    timeMs: Date.now(),
    level: undefined,
    message: line,
    service: undefined,
    traceId: undefined,
    spanId: undefined,
    requestId: undefined,
    source,
    fields: {} as JsonObject,
  };
}

/**
 * What one output line is. A JSON object with `_aws.CloudWatchMetrics` is an EMF document;
 * one with `audit: true` an audit entry; one with `level` and `message` (Powertools' keys,
 * or `msg` as pino writes) a structured log line; anything else a plain text line. Empty
 * lines give undefined.
 *
 * @example
 * classifyLine('{"level":"INFO","message":"listening"}', 'stdout', () => seq++);
 */
export function classifyLine(
  line: string,
  source: 'stdout' | 'stderr',
  nextSeq: () => number,
): ClassifiedLine | undefined {
  if (line.trim() === '') return undefined;
  const parsed = parseObject(line);
  if (parsed === undefined) return { kind: 'log', log: textLine(line, source, nextSeq()) };
  if (isEmfDocument(parsed)) return { kind: 'metrics', points: metricsFromEmf(parsed, nextSeq) };
  if (parsed.audit === true) return { kind: 'audit', audit: auditFrom(parsed, nextSeq()) };
  if (parsed.level !== undefined && (parsed.message !== undefined || parsed.msg !== undefined))
    return { kind: 'log', log: logFrom(parsed, source, nextSeq()) };
  return { kind: 'log', log: { ...textLine(line, source, nextSeq()), fields: toJsonObject(parsed) } };
}
