// Flattens decoded trace requests into one plain record per span, carrying its resource and
// scope, with attributes as plain objects: the shape a viewer lists and a test asserts on.
import {
  type Attributes,
  enumName,
  type FlatScope,
  flattenResource,
  flattenScope,
  orUndefined,
  toAttributes,
} from './flatten-values.js';
import { type OtlpTraceRequest, SPAN_KIND, STATUS_CODE } from './traces-schema.js';

/** Span kinds by their OTLP enum value. */
export const SPAN_KINDS = SPAN_KIND.names;
export type SpanKindName = (typeof SPAN_KINDS)[number];

/** Span status codes by their OTLP enum value. */
export const STATUS_CODES = STATUS_CODE.names;
export type StatusCodeName = (typeof STATUS_CODES)[number];

export interface FlatSpanEvent {
  readonly name: string;
  readonly timeUnixNano: bigint;
  readonly attributes: Attributes;
}

export interface FlatSpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string;
  readonly flags: number;
  readonly attributes: Attributes;
}

/** One span, with its resource and scope. */
export interface FlatSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly traceState: string;
  readonly flags: number;
  readonly name: string;
  /** The kind's name; an enum value outside the known ones reads `UNSPECIFIED`. */
  readonly kind: SpanKindName;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  /** `end - start` in milliseconds (fractional). */
  readonly durationMs: number;
  readonly attributes: Attributes;
  readonly events: readonly FlatSpanEvent[];
  readonly links: readonly FlatSpanLink[];
  readonly status: { readonly code: StatusCodeName; readonly message: string };
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
  readonly resource: Attributes;
  readonly scope: FlatScope;
}

/**
 * One record per span in a decoded trace request, in the order they arrived.
 *
 * @example
 * const spans = flattenSpans(decodeTraceRequest(body));
 * const server = spans.find((span) => span.kind === 'SERVER');
 */
export function flattenSpans(request: OtlpTraceRequest): FlatSpan[] {
  const spans: FlatSpan[] = [];
  for (const resourceSpans of request.resourceSpans) {
    const resource = flattenResource(resourceSpans.resource);
    for (const scopeSpans of resourceSpans.scopeSpans) {
      const scope = flattenScope(scopeSpans.scope);
      for (const span of scopeSpans.spans) {
        const startTimeUnixNano = BigInt(span.startTimeUnixNano);
        const endTimeUnixNano = BigInt(span.endTimeUnixNano);
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: orUndefined(span.parentSpanId),
          traceState: span.traceState,
          flags: span.flags,
          name: span.name,
          kind: enumName(SPAN_KINDS, span.kind),
          startTimeUnixNano,
          endTimeUnixNano,
          durationMs: Number(endTimeUnixNano - startTimeUnixNano) / 1e6,
          attributes: toAttributes(span.attributes),
          events: span.events.map((event) => ({
            name: event.name,
            timeUnixNano: BigInt(event.timeUnixNano),
            attributes: toAttributes(event.attributes),
          })),
          links: span.links.map((link) => ({
            traceId: link.traceId,
            spanId: link.spanId,
            traceState: link.traceState,
            flags: link.flags,
            attributes: toAttributes(link.attributes),
          })),
          status: { code: enumName(STATUS_CODES, span.status.code), message: span.status.message },
          droppedAttributesCount: span.droppedAttributesCount,
          droppedEventsCount: span.droppedEventsCount,
          droppedLinksCount: span.droppedLinksCount,
          resource,
          scope,
        });
      }
    }
  }
  return spans;
}
