import {
  type Context,
  isSpanContextValid,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { LookoutTraceState } from './lookout-trace-state.js';
import { parseTraceParent, RANDOM_FLAG, SAMPLED_FLAG } from './parse-traceparent.js';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';
const FIELDS = [TRACEPARENT, TRACESTATE] as const;

/**
 * Whether a span context's trace id is known to be random in its right-most 7 bytes: the
 * caller said so (`random-trace-id` in the extracted flags), or Lookout's sampler recorded it
 * on the trace state (ids Lookout generated, and every span under a random parent).
 */
export function isRandomTraceId(spanContext: SpanContext): boolean {
  if ((spanContext.traceFlags & RANDOM_FLAG) !== 0) return true;
  const { traceState } = spanContext;
  return traceState instanceof LookoutTraceState && traceState.randomTraceId;
}

/** The header value of a trace state: a Lookout one as is, another only when it is a valid list. */
function serializeTraceState(traceState: SpanContext['traceState']): string {
  if (traceState === undefined) return '';
  if (traceState instanceof LookoutTraceState) return traceState.serialize();
  return LookoutTraceState.from(traceState, false)?.serialize() ?? '';
}

/**
 * One header field's value. Several `tracestate` fields are one list, joined with commas
 * (RFC 9110 field order); a `traceparent` given more than once is invalid.
 */
function readField(carrier: unknown, getter: TextMapGetter, name: string, joinRepeated: boolean) {
  const value = getter.get(carrier, name);
  if (!Array.isArray(value)) return value;
  if (joinRepeated) return value.join(',');
  return value.length === 1 ? value[0] : undefined;
}

/**
 * Lookout's W3C Trace Context propagator, level 1 and level 2, behind OpenTelemetry's
 * `TextMapPropagator` interface (so other instrumentations and user code see no difference):
 *
 * - `traceparent` versions and format as parse-traceparent.ts describes;
 * - the `random-trace-id` flag kept when a trace is continued and set on ids Lookout generates
 *   (random-trace-id-sampler.ts); reserved flags always sent as zero;
 * - `tracestate` read only with a valid `traceparent`, validated as one list (an invalid member
 *   discards the whole header), duplicates dropped, entries this process updates moved to the
 *   front (lookout-trace-state.ts).
 *
 * It replaces `@opentelemetry/core`'s propagator, which keeps neither the random flag nor the
 * whole-header rule and validates keys by level 1's grammar
 * (docs/decisions/0030-own-w3c-trace-context-propagator.md).
 *
 * @example
 * propagation.setGlobalPropagator(new LookoutTraceContextPropagator());
 */
export class LookoutTraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext === undefined || isTracingSuppressed(context) || !isSpanContextValid(spanContext)) return;
    // Flags are 0 to 3 here, one hex digit: the reserved bits are never sent.
    const flags = (spanContext.traceFlags & SAMPLED_FLAG) | (isRandomTraceId(spanContext) ? RANDOM_FLAG : 0);
    setter.set(carrier, TRACEPARENT, `00-${spanContext.traceId}-${spanContext.spanId}-0${flags}`);
    const traceState = serializeTraceState(spanContext.traceState);
    if (traceState !== '') setter.set(carrier, TRACESTATE, traceState);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = readField(carrier, getter, TRACEPARENT, false);
    if (typeof header !== 'string') return context;
    const parent = parseTraceParent(header);
    if (parent === undefined) return context;
    const randomTraceId = (parent.traceFlags & RANDOM_FLAG) !== 0;
    const stateHeader = readField(carrier, getter, TRACESTATE, true);
    const traceState =
      (typeof stateHeader === 'string' ? LookoutTraceState.parse(stateHeader, randomTraceId) : undefined) ??
      LookoutTraceState.empty(randomTraceId);
    // Fields listed one by one: an object spread here costs more than the whole parse.
    return trace.setSpanContext(context, {
      traceId: parent.traceId,
      spanId: parent.spanId,
      traceFlags: parent.traceFlags,
      isRemote: true,
      traceState,
    });
  }

  fields(): string[] {
    return [...FIELDS];
  }
}
