import { trace } from '@opentelemetry/api';
import { getSpanCorrelation, type SpanCorrelation } from '../correlation.js';

/** The ids of the active span, or undefined outside a valid span. */
export function getActiveTraceIds(): SpanCorrelation | undefined {
  const span = trace.getActiveSpan();
  return span === undefined ? undefined : getSpanCorrelation(span);
}

/**
 * Adds `trace_id`, `span_id` and `xray_trace_id` of the active span to `record`, each only
 * when the record has no value of that name: what the app logged itself wins.
 */
export function addMissingTraceIds(record: Record<string, unknown>): void {
  const ids = getActiveTraceIds();
  if (ids === undefined) return;
  if (record.trace_id === undefined) record.trace_id = ids.traceId;
  if (record.span_id === undefined) record.span_id = ids.spanId;
  if (ids.xrayTraceId !== undefined && record.xray_trace_id === undefined)
    record.xray_trace_id = ids.xrayTraceId;
}
