import { type Span, trace } from '@opentelemetry/api';
import { isValidSpanContext } from '../context/is-valid-span-context.js';
import { toXRayTraceId } from '../context/xray-trace-id.js';

/** Keys written from the active span; a logger key of the same name does not replace them. */
export const TRACE_KEYS: ReadonlySet<string> = new Set(['trace_id', 'span_id', 'xray_trace_id']);

// Consecutive lines usually belong to the same span: the validity check (two regular
// expressions) answers at once for the last span context it found valid
// (context/is-valid-span-context.ts); and the X-Ray form of the last trace id is kept, so that
// conversion runs once per trace.
let lastTraceId = '';
let lastXRayTraceId: string | undefined;

/**
 * Writes `trace_id`, `span_id` (W3C hex) and `xray_trace_id` of the active span into `out`.
 * Returns false when no valid span is active (tracing off, or outside any span). Reads
 * `@opentelemetry/api`, so it works with any OpenTelemetry setup, Lookout's or the app's.
 */
export function putTraceCorrelation(out: Record<string, unknown>): boolean {
  const span = trace.getActiveSpan();
  if (span === undefined) return false;
  const spanContext = span.spanContext();
  if (!isValidSpanContext(spanContext)) return false;
  const { traceId } = spanContext;
  const xrayTraceId = xrayTraceIdOf(traceId);
  out.trace_id = traceId;
  out.span_id = spanContext.spanId;
  if (xrayTraceId !== undefined) out.xray_trace_id = xrayTraceId;
  return true;
}

function xrayTraceIdOf(traceId: string): string | undefined {
  if (traceId !== lastTraceId) {
    lastXRayTraceId = toXRayTraceId(traceId);
    lastTraceId = traceId;
  }
  return lastXRayTraceId;
}

/** The ids a log line carries for a span, as `putTraceCorrelation` writes them. */
export interface SpanCorrelation {
  readonly traceId: string;
  readonly spanId: string;
  readonly xrayTraceId: string | undefined;
}

/**
 * The correlation ids of `span` (the ones `putTraceCorrelation` writes when it is the active
 * span), or undefined when its context is not valid. For writers that hold the span already.
 */
export function getSpanCorrelation(span: Span): SpanCorrelation | undefined {
  const spanContext = span.spanContext();
  if (!isValidSpanContext(spanContext)) return undefined;
  const { traceId } = spanContext;
  return { traceId, spanId: spanContext.spanId, xrayTraceId: xrayTraceIdOf(traceId) };
}
