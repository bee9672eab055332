import { type Attributes, type Context, type Link, type Span, SpanKind, trace } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { VERSION } from '../version.js';
import { type LeanSpanPipeline, startLeanSpan } from './lean-span.js';

/** The scope of a Lambda invocation's span, as the SDK tracer `lookout/lambda` names it. */
const SCOPE: InstrumentationScope = { name: 'lookout/lambda', version: VERSION };

let pipeline: LeanSpanPipeline | undefined;
let linkLimit: number | undefined;

/**
 * Gives the span of every Lambda invocation started from now on the provider's parts, so that it
 * is a lean span like the SERVER span of a request (docs/decisions/0063-lean-invocation-spans.md);
 * undefined: the SDK tracer starts it (tracing off, or a span limit set). `links` is how many
 * links that span keeps (its last ones), undefined when not known.
 */
export function setInvocationSpanPipeline(lean: LeanSpanPipeline | undefined, links?: number): void {
  pipeline = lean === undefined ? undefined : { ...lean, scope: SCOPE };
  linkLimit = links;
}

/**
 * How many links an invocation's span keeps, the last ones it is given (the SDK's rule, the lean
 * span's too), or undefined when that is not known (before `init()`, tracing off, a limit the
 * SDK reads in its own way): then every link is given.
 */
export function getInvocationLinkLimit(): number | undefined {
  return linkLimit;
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
