import {
  type Context,
  isSpanContextValid,
  isValidSpanId,
  isValidTraceId,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  type TextMapGetter,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import {
  CANONICAL_LAYOUT,
  hasCanonicalLayout,
  type LambdaTraceContext,
  RequestScopeContext,
} from '../core.js';
import type { EventSourceInfo, MessageTraceHeader, MessageTraceHeaders } from './event-source/index.js';

/** Where the invocation's span goes: its parent context and the traces it links to. */
export interface TraceParent {
  readonly context: Context;
  readonly links: Link[];
}

type Carrier = Readonly<Record<string, string>>;

// Header names are lower-cased by the event readers and by the propagators' own lookups.
const getter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key.toLowerCase()],
};

const X_RAY_ROOT_LENGTH = 35;

/**
 * `1-<8 hex>-<24 hex>` → the 32-hex OpenTelemetry trace id, or undefined (AWSXRayPropagator's
 * rules), in lower case as Lookout's X-Ray propagator gives it (xray-propagator.ts).
 */
function traceIdOfRoot(root: string): string | undefined {
  if (root.length !== X_RAY_ROOT_LENGTH || root.charCodeAt(0) !== 0x31 /* 1 */) return undefined;
  if (root.charCodeAt(1) !== 0x2d || root.charCodeAt(10) !== 0x2d /* - */) return undefined;
  const traceId = root.slice(2, 10) + root.slice(11);
  return isValidTraceId(traceId) ? traceId.toLowerCase() : undefined;
}

/** A valid span id in lower case, or undefined. */
function spanIdOf(value: string): string | undefined {
  return isValidSpanId(value) ? value.toLowerCase() : undefined;
}

/**
 * The span context an X-Ray trace header names (`Root=…;Parent=…;Sampled=…`), if valid: the
 * context `AWSXRayPropagator.extract` puts in a context, read without making one. The header is
 * read once per invocation, on the caller's path; the propagator's own `extract` builds a
 * carrier, a getter lookup, two contexts and a wrapped span around the same parse. The rules are
 * the propagator's, part for part, ids in lower case (a property test holds the two to the same result): parts
 * split on `;` and trimmed; a part counts by its prefix (`Root`, `Parent`, `Sampled`) and its
 * value is what follows the first `=`; a later part of a kind replaces an earlier one; `Sampled`
 * must be `0` or `1`; the context must be valid.
 */
export function spanContextFromXRayHeader(header: string | undefined): SpanContext | undefined {
  if (header === undefined || header === '') return undefined;
  // The header as Lambda writes it, read in place: the general reading below costs about 2 µs
  // (docs/decisions/0065-trace-headers-read-in-place.md).
  if (hasCanonicalLayout(header)) return spanContextInPlace(header);
  let traceId: string | undefined;
  let spanId: string | undefined;
  let traceFlags: TraceFlags | undefined;
  let position = 0;
  while (position < header.length) {
    let end = header.indexOf(';', position);
    if (end < 0) end = header.length;
    const part = header.slice(position, end).trim();
    position = end + 1;
    const value = part.slice(part.indexOf('=') + 1);
    if (part.startsWith('Root')) traceId = traceIdOfRoot(value);
    else if (part.startsWith('Parent')) spanId = spanIdOf(value);
    else if (part.startsWith('Sampled'))
      traceFlags = value === '1' ? TraceFlags.SAMPLED : value === '0' ? TraceFlags.NONE : undefined;
  }
  if (traceId === undefined || spanId === undefined || traceFlags === undefined) return undefined;
  const spanContext: SpanContext = { traceId, spanId, traceFlags, isRemote: true };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * The span context of a header with Lambda's layout (`hasCanonicalLayout`), by the rules above:
 * each value is where the layout puts it, with nothing to trim, and no later part replaces it.
 */
function spanContextInPlace(header: string): SpanContext | undefined {
  const { root, parent, sampled } = CANONICAL_LAYOUT;
  const traceId = traceIdOfRoot(header.slice(root[0], root[1]));
  const spanId = spanIdOf(header.slice(parent[0], parent[1]));
  const digit = header.charCodeAt(sampled);
  // `Sampled` must be exactly 0 or 1: the layout ends its value at the digit.
  if (traceId === undefined || spanId === undefined || digit > 0x31 /* 1 */) return undefined;
  const traceFlags = digit === 0x31 ? TraceFlags.SAMPLED : TraceFlags.NONE;
  return { traceId, spanId, traceFlags, isRemote: true };
}

function isSampled(spanContext: SpanContext): boolean {
  return (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
}

/**
 * One link per message with a valid trace header, in the batch's order, but only the last `limit`:
 * the span keeps the last links it is given (the SDK's rule, the lean span's too), so reading from
 * the last message and stopping once `limit` are found gives it the same links without parsing
 * every header of a batch of 10,000 (tens of milliseconds before the handler runs).
 */
function linksToMessages(messages: MessageTraceHeaders, limit: number | undefined): Link[] {
  const links: Link[] = [];
  const wanted = limit ?? Number.POSITIVE_INFINITY;
  for (let index = messages.count - 1; index >= 0 && links.length < wanted; index--) {
    let message: MessageTraceHeader | undefined;
    try {
      message = messages.at(index);
    } catch {
      // A getter on a hand-made event threw: that message has no link, the others keep theirs.
      continue;
    }
    if (message === undefined) continue;
    const context = spanContextFromXRayHeader(message.header);
    if (context === undefined) continue;
    links.push(
      message.messageId === undefined
        ? { context }
        : { context, attributes: { 'messaging.message.id': message.messageId } },
    );
  }
  return links.reverse();
}

/**
 * Decides the parent of an invocation's span and its links.
 *
 * 1. `traceContext: 'http'` and an HTTP event whose headers carry a valid `traceparent` or
 *    `X-Amzn-Trace-Id` (read by the configured propagators): that caller is the parent, and the
 *    Lambda header, if valid, a link;
 * 2. a valid, sampled Lambda trace header (active tracing on): it is the parent, so the span
 *    sits under the function's segment in X-Ray;
 * 3. a valid but unsampled Lambda header (active tracing off, PassThrough): no parent (the
 *    sampler decides afresh, so spans still reach a collector) and the header as a link
 *    (`source: x-ray-env`, as the OpenTelemetry Lambda conventions describe);
 * 4. otherwise no parent.
 *
 * Every message of an SQS batch that carries a valid `AWSTraceHeader` adds one more link, up to
 * `linkLimit`, the links the span keeps (its last ones; undefined: all). The Lambda header's link
 * comes first and counts against that limit: it names the invocation's own trace, so one message
 * fewer is linked rather than the span dropping it, its first link, for the 128th message's.
 *
 * @example
 * resolveTraceParent('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1', 'lambda', event, 128);
 */
export function resolveTraceParent(
  lambdaHeader: string | undefined,
  mode: LambdaTraceContext,
  event: EventSourceInfo,
  linkLimit?: number,
): TraceParent {
  const lambda = spanContextFromXRayHeader(lambdaHeader);
  if (mode === 'http' && event.headers !== undefined) {
    const extracted = propagation.extract(ROOT_CONTEXT, event.headers, getter);
    const caller = trace.getSpanContext(extracted);
    if (caller !== undefined && isSpanContextValid(caller))
      return { context: extracted, links: linksWithLambda(lambda, event.messageTraceHeaders, linkLimit) };
  }
  if (lambda !== undefined && isSampled(lambda))
    return {
      // The remote span in one context object, as `trace.setSpanContext(ROOT_CONTEXT, lambda)`
      // answers it, without the api's copy of the root's values and its three closures: this
      // runs before every traced invocation's handler.
      context: new RequestScopeContext(ROOT_CONTEXT, trace.wrapSpanContext(lambda), undefined, undefined),
      links: linksToMessages(event.messageTraceHeaders, linkLimit),
    };
  return { context: ROOT_CONTEXT, links: linksWithLambda(lambda, event.messageTraceHeaders, linkLimit) };
}

/**
 * The links of an invocation whose Lambda header is not its parent: the header's first, if
 * valid, then the messages', all within `linkLimit` (see resolveTraceParent).
 */
function linksWithLambda(
  lambda: SpanContext | undefined,
  messages: MessageTraceHeaders,
  linkLimit: number | undefined,
): Link[] {
  if (lambda === undefined) return linksToMessages(messages, linkLimit);
  const links = linksToMessages(messages, linkLimit === undefined ? undefined : linkLimit - 1);
  links.unshift({ context: lambda, attributes: { source: 'x-ray-env' } });
  return links;
}

/** The `Root` of an X-Ray trace header (`1-5759e988-bd862e3fe1be46a994272793`), for log lines. */
export function xrayRootOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return /(?:^|;)\s*Root=(1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24})/.exec(header)?.[1]?.toLowerCase();
}
