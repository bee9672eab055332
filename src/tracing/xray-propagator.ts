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
    if (
      spanContext === undefined ||
      (!UPPER_HEX.test(spanContext.traceId) && !UPPER_HEX.test(spanContext.spanId))
    )
      return extracted;
    return trace.setSpanContext(context, {
      ...spanContext,
      traceId: spanContext.traceId.toLowerCase(),
      spanId: spanContext.spanId.toLowerCase(),
    });
  }
}
