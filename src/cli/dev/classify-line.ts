// Recognises what an app writes on stdout and stderr: Powertools JSON log lines, audit
// entries, EMF documents, and plain text.
import { isEmfDocument, metricsFromEmf } from './from-emf.js';
import { levelName } from './log-level.js';
import { normalizeTraceId } from './normalize-trace-id.js';
import { toJsonObject } from './to-json-value.js';
import type { JsonObject, JsonValue, ViewerAudit, ViewerLog, ViewerMetricPoint } from './viewer-records.js';

export type ClassifiedLine =
  | { readonly kind: 'log'; readonly log: ViewerLog }
  | { readonly kind: 'audit'; readonly audit: ViewerAudit }
  | { readonly kind: 'metrics'; readonly points: ViewerMetricPoint[] };

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/**
 * A message logged as an object (Powertools writes it as it is) shown as its JSON. Pass it as
 * `toJsonValue` made it, nested at most 20 deep: JSON.stringify recurses, and on a message
 * nested 300,000 deep (which JSON.parse reads) it overflowed the stack and ended the viewer.
 */
function objectText(value: JsonValue | undefined): string {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : '';
}

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

// A W3C traceparent some loggers write as a field: version, trace id, parent span id, flags.
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/**
 * The trace and span ids a line carries, under the names loggers use: Powertools and the
 * OpenTelemetry pino, winston and bunyan instrumentations (`trace_id`, `span_id`), X-Ray
 * (`xray_trace_id`), camel case (`traceId`, `spanId`), Elastic Common Schema (`trace.id`,
 * `span.id`, flat or nested), or a `traceparent` field.
 */
function correlationOf(fields: Record<string, unknown>): { traceId?: string; spanId?: string } {
  const nested = (key: string) => {
    const value = fields[key];
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>).id : undefined;
  };
  const traceparent = typeof fields.traceparent === 'string' ? TRACEPARENT.exec(fields.traceparent) : null;
  const traceId = normalizeTraceId(
    fields.trace_id ??
      fields.xray_trace_id ??
      fields.traceId ??
      fields['trace.id'] ??
      nested('trace') ??
      traceparent?.[1],
  );
  const spanId = text(
    fields.span_id ?? fields.spanId ?? fields['span.id'] ?? nested('span') ?? traceparent?.[2],
  );
  return {
    ...(traceId === undefined ? {} : { traceId }),
    ...(spanId === undefined || !/^[0-9a-f]{16}$/i.test(spanId) ? {} : { spanId: spanId.toLowerCase() }),
  };
}

function logFrom(fields: Record<string, unknown>, source: 'stdout' | 'stderr', seq: number): ViewerLog {
  const { traceId, spanId } = correlationOf(fields);
  const kept = toJsonObject(fields);
  return {
    seq,
    timeMs: timeOf(fields.timestamp ?? fields.time),
    level: levelName(fields.level),
    message: text(fields.message) ?? text(fields.msg) ?? objectText(kept.message),
    service: text(fields.service),
    traceId,
    spanId,
    requestId: text(fields.request_id) ?? text(fields.function_request_id),
    source,
    fields: kept,
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
 * one with `audit: true` an audit entry; one with a `level` (a name, or pino's and winston's
 * numbers) and a `message` (Powertools, winston), `msg` (pino, bunyan) or a time (`time`,
 * `timestamp`: pino writes no `msg` for a line logged without one) a structured log line;
 * anything else a plain text line. Empty lines give undefined.
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
  const hasText = parsed.message !== undefined || parsed.msg !== undefined;
  const hasTime = parsed.time !== undefined || parsed.timestamp !== undefined;
  if (levelName(parsed.level) !== undefined && (hasText || hasTime))
    return { kind: 'log', log: logFrom(parsed, source, nextSeq()) };
  return { kind: 'log', log: { ...textLine(line, source, nextSeq()), fields: toJsonObject(parsed) } };
}
