import { type Context, type TextMapGetter, trace } from '@opentelemetry/api';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';

const UPPER_HEX = /[A-F]/;

/**
 * The X-Ray propagator (`X-Amzn-Trace-Id`), with the extracted ids in lower case. Hex digits
 * are case-insensitive in an X-Ray header and the upstream propagator accepts upper-case ones as
 * they are, but every id Lookout writes is lower case: the W3C `traceparent` sent downstream
 * must be (an upper-case one is refused there), and the X-Ray exporter, the Lambda header and
 * log correlation match ids as lower-case text; a request continued with upper-case ids lost
 * every span it made. The common header is already lower case and passes through untouched.
 *
 * @example
 * propagation.setGlobalPropagator(new LookoutXRayPropagator());
 */
export class LookoutXRayPropagator extends AWSXRayPropagator {
  override extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const extracted = super.extract(context, carrier, getter);
    if (extracted === context) return extracted;
    const spanContext = trace.getSpanContext(extracted);
    if (spanContext === undefined) return extracted;
    const upperCase = UPPER_HEX.test(spanContext.traceId) || UPPER_HEX.test(spanContext.spanId);
    const traceId = upperCase ? spanContext.traceId.toLowerCase() : spanContext.traceId;
    // The upstream propagator keeps the trace state an earlier propagator extracted (the
    // `tracestate` beside a `traceparent`), whatever trace that was. A `traceparent` of another
    // trace than this header's (a caller's own, under API Gateway's X-Ray header) is overridden
    // here, and its `tracestate`, which W3C Trace Context ties to it, goes with it: otherwise it
    // travelled on every outgoing call with this trace's traceparent.
    const foreignState =
      spanContext.traceState !== undefined && trace.getSpanContext(context)?.traceId !== traceId;
    if (!upperCase && !foreignState) return extracted;
    const { traceState, ...rest } = spanContext;
    return trace.setSpanContext(context, {
      ...rest,
      ...(foreignState || traceState === undefined ? {} : { traceState }),
      traceId,
      spanId: upperCase ? spanContext.spanId.toLowerCase() : spanContext.spanId,
    });
  }
}
