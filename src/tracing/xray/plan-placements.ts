import { isValidTraceId, SpanKind } from '@opentelemetry/api';
import { fromXRayTraceId, toXRayTraceId } from '../xray-trace-id.js';
import type { LambdaTraceHeader } from './lambda-trace-header.js';
import type { SpanPlacement } from './map-span.js';
import type { XRaySpanInput } from './xray-document.js';

/** Trace ids the exporter remembers between batches (bounded by its owner). */
export interface TraceMemory {
  has(traceId: string): boolean;
  add(traceId: string): void;
}

const ZERO_SPAN_ID = '0000000000000000';

// The Lambda header's root and its OpenTelemetry form, kept from the last batch: the batches
// of one invocation share its header.
let lastRoot = '';
let lastInvocationTrace: string | undefined;

function invocationTraceOf(root: string): string | undefined {
  if (root !== lastRoot) {
    lastInvocationTrace = fromXRayTraceId(root);
    lastRoot = root;
  }
  return lastInvocationTrace;
}

function parentIdOf(span: XRaySpanInput): string | undefined {
  const id = span.parentSpanContext?.spanId;
  return id !== undefined && id !== ZERO_SPAN_ID && /^[0-9a-f]{16}$/.test(id) ? id : undefined;
}

function isLocalRoot(span: XRaySpanInput): boolean {
  return parentIdOf(span) === undefined || span.parentSpanContext?.isRemote === true;
}

function placeOutsideLambda(span: XRaySpanInput, traceId: string): SpanPlacement {
  // Server and consumer spans record work this service did for a caller: segments. So do
  // spans with no local parent. Client, producer and internal spans are subsegments.
  const isSegment = span.kind === SpanKind.SERVER || span.kind === SpanKind.CONSUMER || isLocalRoot(span);
  return { role: isSegment ? 'segment' : 'subsegment', traceId, parentId: parentIdOf(span) };
}

/**
 * Decides where each span goes: segment or subsegment, which trace, which parent. `undefined`
 * drops a span (an unsampled Lambda invocation).
 *
 * Outside Lambda (or with no usable Lambda trace header), server and consumer spans and spans
 * without a local parent become segments; the rest subsegments.
 *
 * On Lambda the function's segment is the facade segment Lambda itself records, named by the
 * header's `Parent`. As the X-Ray SDK does there, every span becomes a subsegment in the
 * invocation's trace: spans already in it keep their parents (the top one points at the
 * facade), and a span tree started with no parent at all (the OTel API used outside Lookout's
 * Lambda wrapper) is moved into the invocation's trace under the facade. Only a tree whose root
 * continues another trace (a remote parent from elsewhere) stays in that trace as a segment;
 * `foreignTraces` remembers those across batches.
 *
 * @example
 * planPlacements(spans, { root: '1-…', parent: '53995c3f42cd8ad8', sampled: true }, new Set());
 */
export function planPlacements(
  spans: readonly XRaySpanInput[],
  lambda: LambdaTraceHeader | undefined,
  foreignTraces: TraceMemory,
): Array<SpanPlacement | undefined> {
  const invocationTrace = lambda === undefined ? undefined : invocationTraceOf(lambda.root);
  if (lambda !== undefined && invocationTrace !== undefined) {
    for (const span of spans) {
      const traceId = span.spanContext().traceId;
      if (traceId !== invocationTrace && span.parentSpanContext?.isRemote === true)
        foreignTraces.add(traceId);
    }
  }
  return spans.map((span) => {
    const otelTraceId = span.spanContext().traceId;
    // The common case on Lambda, first: a span of the invocation's own trace goes under the
    // facade segment (valid, and the invocation's own trace is never foreign here, even if an
    // earlier invocation met it as one).
    if (lambda !== undefined && invocationTrace !== undefined && otelTraceId === invocationTrace)
      return lambda.sampled
        ? { role: 'subsegment', traceId: lambda.root, parentId: parentIdOf(span) ?? lambda.parent }
        : undefined;
    const traceId = isValidTraceId(otelTraceId) ? toXRayTraceId(otelTraceId) : undefined;
    if (traceId === undefined) return undefined;
    if (lambda === undefined || invocationTrace === undefined || foreignTraces.has(otelTraceId))
      return placeOutsideLambda(span, traceId);
    if (!lambda.sampled) return undefined;
    return { role: 'subsegment', traceId: lambda.root, parentId: parentIdOf(span) ?? lambda.parent };
  });
}
