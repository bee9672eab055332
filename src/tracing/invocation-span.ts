import { type Attributes, type Context, type Link, type Span, SpanKind, trace } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { VERSION } from '../version.js';
import { type LeanSpanPipeline, startLeanSpan } from './lean-span.js';

/** The scope of a Lambda invocation's span, as the SDK tracer `lookout/lambda` names it. */
const SCOPE: InstrumentationScope = { name: 'lookout/lambda', version: VERSION };

let pipeline: LeanSpanPipeline | undefined;

/**
 * Gives the span of every Lambda invocation started from now on the provider's parts, so that it
 * is a lean span like the SERVER span of a request (docs/decisions/0063-lean-invocation-spans.md);
 * undefined: the SDK tracer starts it (tracing off, or a span limit set).
 */
export function setInvocationSpanPipeline(lean: LeanSpanPipeline | undefined): void {
  pipeline = lean === undefined ? undefined : { ...lean, scope: SCOPE };
}

/**
 * Starts the SERVER span of a Lambda invocation: a lean span when tracing gave its parts, else
 * the tracer's span (a no-op one before `init()` registered a provider). `attributes` is taken
 * over, not copied.
 *
 * @example
 * const span = startInvocationSpan('GET /orders/{id}', attributes, parent.links, parent.context);
 */
export function startInvocationSpan(
  name: string,
  attributes: Attributes,
  links: Link[],
  parent: Context,
): Span {
  if (pipeline !== undefined)
    return startLeanSpan(pipeline, name, SpanKind.SERVER, attributes, parent, links);
  return trace
    .getTracer(SCOPE.name, VERSION)
    .startSpan(name, { kind: SpanKind.SERVER, attributes, links }, parent);
}
