import { isSpanContextValid, type SpanContext } from '@opentelemetry/api';

// The last span context found valid. A new span's parent is checked by the lean span's start and
// again by the sampler Lookout wraps around the configured one, and each log line checks the
// active span's (logging/correlation.ts): each check two regular expressions, before every
// traced invocation's handler, on every request and every line. A span context is not changed
// once made (a span hands out the same object each time), so a second check of the same object
// is answered here.
let lastValid: SpanContext | undefined;

/**
 * The api's `isSpanContextValid`, answered at once for the last span context it found valid.
 *
 * @example
 * if (isValidSpanContext(trace.getSpanContext(parent) ?? INVALID_SPAN_CONTEXT)) …
 */
export function isValidSpanContext(spanContext: SpanContext): boolean {
  if (spanContext === lastValid) return true;
  if (!isSpanContextValid(spanContext)) return false;
  lastValid = spanContext;
  return true;
}
