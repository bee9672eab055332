import { context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { getInvocationContext } from './invocation-context.js';

/**
 * The span of the request being served: the SERVER span the HTTP instrumentation opened
 * (found through the RPC metadata it puts in the context, so a middleware span made by the
 * Express instrumentation is skipped), else the Lambda invocation's span (Express on Lambda
 * has no HTTP server span), else the active span. Undefined outside any span.
 *
 * @example
 * getServerSpan()?.setAttribute('enduser.id', userId);
 */
export function getServerSpan(): Span | undefined {
  const active = context.active();
  const metadata = getRPCMetadata(active);
  if (metadata?.type === RPCType.HTTP && metadata.span !== undefined) return metadata.span;
  const invocation = getInvocationContext();
  const invocationSpan = invocation === undefined ? undefined : trace.getSpan(invocation);
  return invocationSpan ?? trace.getSpan(active);
}

/**
 * Tells the HTTP instrumentation the request's route template, unless something (the Express
 * instrumentation) already did: it then names the server span `GET /orders/:id` and sets
 * `http.route` when the response ends. Returns false when no HTTP server span is active.
 *
 * @example
 * setServerRoute('/orders/:id');
 */
export function setServerRoute(route: string): boolean {
  const metadata = getRPCMetadata(context.active());
  if (metadata?.type !== RPCType.HTTP) return false;
  if (metadata.route === undefined) metadata.route = route;
  return true;
}

/**
 * Runs `fn` with `span` as the active span, so what it logs carries that span's ids.
 *
 * @example
 * withActiveSpan(serverSpan, () => logger.info('request completed'));
 */
export function withActiveSpan<T>(span: Span, fn: () => T): T {
  return context.with(trace.setSpan(context.active(), span), fn);
}

/**
 * Records a failure on `span`: an `exception` event and status ERROR with `message`. The
 * caller redacts what it passes.
 *
 * @example
 * recordSpanFailure(span, { name: err.name, message, stack }, message);
 */
export function recordSpanFailure(
  span: Span,
  exception: { name: string; message: string; stack?: string } | string,
  message: string,
): void {
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
