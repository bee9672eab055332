import { type Context, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

// One per process: on Lambda a process serves one invocation at a time.
let invocationContext: Context | undefined;

/**
 * The standard AsyncLocalStorage context manager, plus one fallback: while an invocation
 * context is set, code that runs with no context of its own sees it as the active one.
 *
 * Why: a middleware engine (middy) calls the handler from its own frame, so a middleware cannot
 * wrap the handler in `context.with()`; the fallback lets the handler's spans still be children
 * of the invocation's span. `context.with()` always wins over it, so `wrap()` and servers behave
 * exactly as with the standard manager.
 */
export class InvocationContextManager extends AsyncLocalStorageContextManager {
  override active(): Context {
    const active = super.active();
    return active === ROOT_CONTEXT && invocationContext !== undefined ? invocationContext : active;
  }
}

/**
 * Sets (or clears, with `undefined`) the context of the invocation in progress. Only for
 * runtimes that run one invocation at a time per process (Lambda); see InvocationContextManager.
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
