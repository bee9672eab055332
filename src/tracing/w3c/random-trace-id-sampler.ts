import { type Attributes, type Context, type Link, type SpanKind, trace } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-base';
import { isValidSpanContext } from '../../context/is-valid-span-context.js';
import { LookoutTraceState } from './lookout-trace-state.js';
import { isRandomTraceId } from './trace-context-propagator.js';

/**
 * Wraps a sampler so that every span's context says whether its trace id is random (the W3C
 * level 2 `random-trace-id` flag), recording it on the span's trace state, the one part of a
 * span context the SDK lets a sampler set (it builds trace flags from the decision alone):
 *
 * - a new trace: random, because Lookout's ids come from the X-Ray id generator, whose
 *   right-most 12 bytes are random (start-tracing.ts);
 * - a continued trace: random exactly when the parent's is, so a caller's flag is kept and a
 *   caller without it (an X-Ray header, a level 1 tracer) is not claimed random.
 *
 * The decision itself is the wrapped sampler's, unchanged.
 *
 * @example
 * new RandomTraceIdFlagSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
 */
export class RandomTraceIdFlagSampler implements Sampler {
  readonly #inner: Sampler;

  constructor(inner: Sampler) {
    this.#inner = inner;
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const result = this.#inner.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    const parent = trace.getSpanContext(context);
    const continued = parent !== undefined && isValidSpanContext(parent);
    const randomTraceId = continued ? isRandomTraceId(parent) : true;
    // What the tracer would give the span without this sampler: the decision's state, else the parent's.
    const inherited = result.traceState ?? (continued ? parent.traceState : undefined);
    if (!randomTraceId && !(inherited instanceof LookoutTraceState && inherited.randomTraceId)) return result;
    const marked =
      inherited === undefined
        ? LookoutTraceState.empty(randomTraceId)
        : (LookoutTraceState.from(inherited, randomTraceId) ?? LookoutTraceState.empty(randomTraceId));
    if (marked === result.traceState) return result;
    // Fields listed, not spread: this runs for every span.
    return result.attributes === undefined
      ? { decision: result.decision, traceState: marked }
      : { decision: result.decision, attributes: result.attributes, traceState: marked };
  }

  toString(): string {
    return `RandomTraceIdFlag{${this.#inner.toString()}}`;
  }
}
