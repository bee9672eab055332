import { AsyncLocalStorage, executionAsyncResource } from 'node:async_hooks';
import { type Context, ROOT_CONTEXT } from '@opentelemetry/api';

// The one AsyncLocalStorage of the process (per copy of the core). Its store is an
// OpenTelemetry Context: the active span and the request's keys travel together, so a request
// pays for one store's propagation, not two (docs/design.md decision 3, decision 8). It works with
// tracing off too: logging reads the request keys from here either way.
const storage = new AsyncLocalStorage<Context>();

// One per process: on Lambda a process serves one invocation at a time.
let invocationContext: Context | undefined;

/**
 * The active context: the store, else (while a Lambda invocation runs, and the store holds
 * nothing or the root context) the invocation's context, else the root context.
 */
export function getActiveContext(): Context {
  const stored = storage.getStore();
  if (stored !== undefined && stored !== ROOT_CONTEXT) return stored;
  return invocationContext ?? ROOT_CONTEXT;
}

/** The context in the store itself, without the fallbacks. */
export function getStoredContext(): Context | undefined {
  return storage.getStore();
}

/** Runs `fn` with `context` active, in this call and in the async work it starts. */
export function runInContext<A extends unknown[], R>(context: Context, fn: (...args: A) => R, ...args: A): R {
  return storage.run(context, fn, ...args);
}

/**
 * The store's own `run`, for callers whose depth of recursion is bounded by the frames each
 * level costs (traced(), the context manager's `with()`): `contextStorage.run(context, fn, ...)`
 * is `runInContext` without a frame of its own.
 */
export const contextStorage: Pick<AsyncLocalStorage<Context>, 'run'> = storage;

// Whether OpenTelemetry's global context manager is Lookout's, whose `with()` runs in this store:
// set once its registration is checked, cleared when it is disabled.
let storeIsGlobalContext = false;

/** Whether `context.with()` of the OpenTelemetry API runs in this store (Lookout's manager is the global one). */
export function isStoreGlobalContext(): boolean {
  return storeIsGlobalContext;
}

/** Records whether Lookout's context manager is the global one (tracing start-up, its `disable()`). */
export function setStoreIsGlobalContext(value: boolean): void {
  storeIsGlobalContext = value;
}

/**
 * Where Node's AsyncLocalStorage keeps a store entered with `enterWith()`: a property of the
 * async resource running at the time, named by this symbol of the storage (Node 20 and 22;
 * undocumented). Undefined where the storage has no such symbol (an AsyncContextFrame build),
 * where an entered store ends with the synchronous run that entered it: `leaveContext` then
 * finds nothing of it on the resource, and leaves it as it is.
 */
const RESOURCE_STORE = (storage as { kResourceStore?: symbol }).kResourceStore as symbol;

/**
 * Makes `context` active for the rest of the current synchronous run and everything it starts.
 * For Node's `http.server.request.start` channel, published right before the server emits
 * 'request': the app's handler then runs in the request's context without wrapping `emit`
 * (docs/decisions/0005-request-path-from-diagnostics-channels.md). Returns the async resource
 * it was entered in, for {@link leaveContext}.
 */
export function enterContext(context: Context): object {
  storage.enterWith(context);
  return executionAsyncResource();
}

/**
 * Takes `context` off `resource`, where {@link enterContext} entered it, unless another was
 * entered there since: what runs there next runs in no context; async work already started in
 * `context` keeps it.
 *
 * Why: Node's HTTP server runs a connection's parser callbacks in one async resource for the
 * life of the connection, so a request's context entered there stayed after the request ended,
 * until the next request on the connection entered its own: an idle kept-alive connection held
 * the last request's context, and what Node ran there in between (a `clientError` for a request
 * it refuses, an `upgrade` request, which enters no context of its own) ran in that earlier
 * request's context.
 */
export function leaveContext(resource: object, context: Context): void {
  const slots = resource as Record<symbol, unknown>;
  // Assigned rather than deleted: deleting would turn Node's resource into a slow dictionary object.
  if (slots[RESOURCE_STORE] === context) slots[RESOURCE_STORE] = undefined;
}

/**
 * Makes `context` (what `getStoredContext()` gave before an `enterContext()`, maybe nothing)
 * the store's again, as `AsyncLocalStorage.run()` does when its callback returns or throws. A
 * recursion that ran out of stack may have none left for this: the levels above restore their
 * own, so the failure is left to them rather than replacing the app's error.
 */
export function restoreContext(context: Context | undefined): void {
  try {
    storage.enterWith(context as Context);
  } catch {
    // Out of stack (see above).
  }
}

/**
 * Sets (or clears, with `undefined`) the context of the invocation in progress. Only for
 * runtimes that run one invocation at a time per process (Lambda).
 *
 * Why: a middleware engine (middy) calls the handler from its own frame, so a middleware cannot
 * wrap the handler in `context.with()`; the fallback lets the handler's spans still be children
 * of the invocation's span. A context in the store always wins over it.
 */
export function setInvocationContext(context: Context | undefined): void {
  invocationContext = context;
}

/**
 * The context of the Lambda invocation in progress, if any: its span is the invocation's
 * SERVER span, which adapters enrich.
 *
 * @example
 * const span = trace.getSpan(getInvocationContext() ?? context.active());
 */
export function getInvocationContext(): Context | undefined {
  return invocationContext;
}
