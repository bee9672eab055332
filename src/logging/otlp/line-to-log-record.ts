import { type Context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { isPastInt64 } from './int64-range.js';

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

const LONG_NUMBER = /\d{19}|\de\+/;

/**
 * The value with every integer past the int64 range as its decimal text, as the line shows it.
 * OTLP/JSON writes every integral number as an int64 `intValue`, and a collector refuses the
 * whole request when one is out of range, losing every record of the batch.
 */
function withInt64Text(value: unknown): unknown {
  if (typeof value === 'number') return isPastInt64(value) ? String(value) : value;
  if (Array.isArray(value)) return value.map(withInt64Text);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = withInt64Text(inner);
    return out;
  }
  return value;
}

/**
 * Turns one line Lookout wrote (a Powertools JSON line: level, message, timestamp, keys, and
 * `trace_id`/`span_id` of the span it was written in) into an OpenTelemetry log record with
 * that trace context. The line is already redacted. Undefined for a line that is not a JSON
 * object (never expected; nothing is exported for it). With `int64Text` (OTLP/JSON), integers
 * past the int64 range are written as their decimal text.
 *
 * @example
 * lineToLogRecord('{"level":"INFO","message":"order created","trace_id":"…","span_id":"…"}');
 */
export function lineToLogRecord(line: string, int64Text = false): LineLogRecord | undefined {
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
  // Only a line with a run of 19 digits or an exponent can hold an integer past int64.
  const fit = int64Text && LONG_NUMBER.test(line);
  for (const [key, value] of Object.entries(fields))
    if (!OWN_KEYS.has(key)) attributes[key] = fit ? withInt64Text(value) : value;
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
