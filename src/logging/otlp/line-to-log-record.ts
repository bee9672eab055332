import { type Context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';

/** The parts of an OpenTelemetry log record Lookout fills from one of its lines. */
export interface LineLogRecord {
  readonly timestamp: number | undefined;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: string;
  readonly attributes: Record<string, unknown>;
  readonly context: Context | undefined;
}

// OpenTelemetry's severity numbers (the first of each range) for Powertools' levels.
const SEVERITY: Readonly<Record<string, number>> = {
  TRACE: 1,
  DEBUG: 5,
  INFO: 9,
  WARN: 13,
  ERROR: 17,
  CRITICAL: 21,
};

// Keys that become the record's own fields: the level, the message, the time, and the trace
// context (trace_id / span_id become the record's trace context, not attributes).
const OWN_KEYS: ReadonlySet<string> = new Set(['level', 'message', 'timestamp', 'trace_id', 'span_id']);
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * Turns one line Lookout wrote (a Powertools JSON line: level, message, timestamp, keys, and
 * `trace_id`/`span_id` of the span it was written in) into an OpenTelemetry log record with
 * that trace context. The line is already redacted. Undefined for a line that is not a JSON
 * object (never expected; nothing is exported for it).
 *
 * @example
 * lineToLogRecord('{"level":"INFO","message":"order created","trace_id":"…","span_id":"…"}');
 */
export function lineToLogRecord(line: string): LineLogRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const fields = parsed as Record<string, unknown>;
  const level = typeof fields.level === 'string' ? fields.level.toUpperCase() : 'INFO';
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (!OWN_KEYS.has(key)) attributes[key] = value;
  const time = typeof fields.timestamp === 'string' ? Date.parse(fields.timestamp) : Number.NaN;
  const traceId = fields.trace_id;
  const spanId = fields.span_id;
  const context =
    typeof traceId === 'string' &&
    TRACE_ID.test(traceId) &&
    typeof spanId === 'string' &&
    SPAN_ID.test(spanId)
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId,
          spanId,
          traceFlags: TraceFlags.SAMPLED,
          isRemote: false,
        })
      : undefined;
  return {
    timestamp: Number.isFinite(time) ? time : undefined,
    severityNumber: SEVERITY[level] ?? SEVERITY.INFO ?? 9,
    severityText: level,
    body: typeof fields.message === 'string' ? fields.message : JSON.stringify(fields.message ?? ''),
    attributes,
    context,
  };
}
