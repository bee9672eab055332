import { createContextKey } from '@opentelemetry/api';
import { getActiveContext, runInContext } from '../context/context-storage.js';

/**
 * Keys of one request or invocation, added to every log line written while it runs. The
 * adapters set the well-known ones; apps may add their own with `setRequestContextValues`.
 * Values should be JSON primitives: they are written on every line.
 */
export interface RequestContext {
  /** Express: the X-Request-ID header, or a generated id. */
  request_id?: string;
  /** Lambda: the invocation's request id. */
  function_request_id?: string;
  /** Lambda: true on the first invocation of an execution environment. */
  cold_start?: boolean;
  /** Lambda: the function's name. */
  function_name?: string;
  /** Lambda: the invocation's X-Ray trace id, used when no span is active. */
  xray_trace_id?: string;
  [key: string]: unknown;
}

/**
 * Where the request's keys sit in the active context: the same store that carries the span,
 * so a request has one context and concurrent requests cannot see each other's keys (docs/design.md
 * decision 3, docs/decisions/0005-request-path-from-diagnostics-channels.md).
 */
export const REQUEST_CONTEXT_KEY: symbol = createContextKey('lookout.request-context');

// The context of the Lambda invocation in progress, for code that runs outside any
// `runWithRequestContext` (see setInvocationRequestContext). One per process: a Lambda
// execution environment runs one invocation at a time.
let invocationFallback: RequestContext | undefined;

/**
 * Sets (or clears, with `undefined`) the request context of the Lambda invocation in progress:
 * while set, `getRequestContext()` returns it wherever no request context is active. For the
 * middy middleware, which cannot run the handler inside `runWithRequestContext` because middy
 * calls the handler itself. A context started with `runWithRequestContext` always wins.
 * @internal
 */
export function setInvocationRequestContext(context: RequestContext | undefined): void {
  invocationFallback = context;
}

/**
 * Runs `fn` with a fresh request context: every log line written inside it, including in
 * callbacks and awaited work it starts, carries these keys. The object is copied; the active
 * span stays active.
 *
 * @example
 * app.use((req, _res, next) => runWithRequestContext({ request_id: req.get('x-request-id') }, next));
 */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return runInContext(getActiveContext().setValue(REQUEST_CONTEXT_KEY, { ...context }), fn);
}

/**
 * The context of the request running now, or undefined outside any request. Read-only for
 * callers: use `setRequestContextValues` to change it.
 *
 * @example
 * const requestId = getRequestContext()?.request_id;
 */
export function getRequestContext(): Readonly<RequestContext> | undefined {
  return (
    (getActiveContext().getValue(REQUEST_CONTEXT_KEY) as RequestContext | undefined) ?? invocationFallback
  );
}

/**
 * Adds keys to the current request's context (a key set to undefined is removed). Returns
 * false, and changes nothing, outside a request.
 *
 * @example
 * setRequestContextValues({ user_id: req.user.id, route: '/orders/:id' });
 */
export function setRequestContextValues(values: Readonly<RequestContext>): boolean {
  const store =
    (getActiveContext().getValue(REQUEST_CONTEXT_KEY) as RequestContext | undefined) ?? invocationFallback;
  if (store === undefined) return false;
  for (const key of Object.keys(values)) {
    if (key === '__proto__') continue;
    const value = values[key];
    if (value === undefined) delete store[key];
    else store[key] = value;
  }
  return true;
}
