import { type Attributes, type SpanContext, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { XRaySpanInput } from '../../../src/tracing/xray/xray-document.js';

/** A trace id as Lookout's X-Ray id generator makes them: 8 hex of epoch seconds first. */
export const TRACE_ID = '6650f3a0aabbccddeeff001122334455';
export const XRAY_TRACE_ID = '1-6650f3a0-aabbccddeeff001122334455';
export const EPOCH = 0x6650f3a0;

let counter = 0;
/** A fresh, valid 16-hex span id. */
export function nextSpanId(): string {
  counter += 1;
  return counter.toString(16).padStart(16, 'a');
}

export interface SpanSpec {
  name?: string;
  kind?: SpanKind;
  traceId?: string;
  spanId?: string;
  parent?: { spanId: string; traceId?: string; isRemote?: boolean };
  start?: number;
  durationMs?: number;
  attributes?: Attributes;
  resource?: Attributes;
  status?: { code: SpanStatusCode; message?: string };
  events?: Array<{ name: string; attributes?: Attributes }>;
}

/** A finished span as the exporter receives it, built from a few fields. */
export function makeSpan(spec: SpanSpec = {}): XRaySpanInput {
  const traceId = spec.traceId ?? TRACE_ID;
  const spanId = spec.spanId ?? nextSpanId();
  const context: SpanContext = { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
  const parent: SpanContext | undefined =
    spec.parent === undefined
      ? undefined
      : {
          traceId: spec.parent.traceId ?? traceId,
          spanId: spec.parent.spanId,
          traceFlags: TraceFlags.SAMPLED,
          isRemote: spec.parent.isRemote ?? false,
        };
  const start = spec.start ?? EPOCH + 1;
  const durationNs = Math.round((spec.durationMs ?? 12) * 1e6);
  return {
    name: spec.name ?? 'work',
    kind: spec.kind ?? SpanKind.INTERNAL,
    spanContext: () => context,
    parentSpanContext: parent,
    startTime: [start, 250_000_000],
    endTime: [start + Math.floor((250_000_000 + durationNs) / 1e9), (250_000_000 + durationNs) % 1e9],
    status: spec.status ?? { code: SpanStatusCode.UNSET },
    attributes: spec.attributes ?? {},
    events: spec.events ?? [],
    resource: { attributes: spec.resource ?? { 'service.name': 'orders-api' } },
  };
}

/** Options for mapSpanToDocument with predictable exception ids and no annotation limit hit. */
export function mapOptions(annotationAttributes: string[] = []) {
  let id = 0;
  return {
    annotationAttributes,
    admitAnnotation: () => true,
    newId: () => {
      id += 1;
      return id.toString(16).padStart(16, '0');
    },
  };
}
