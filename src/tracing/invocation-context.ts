import { type Context, context as contextApi, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  contextStorage,
  enterContext,
  getActiveContext,
  getStoredContext,
  setStoreIsGlobalContext,
} from '../context/context-storage.js';

export { getInvocationContext, setInvocationContext } from '../context/context-storage.js';

/**
 * The OpenTelemetry context manager over Lookout's one store (context-storage.ts), with the
 * Lambda invocation fallback: code that runs with no context of its own sees the invocation's
 * as the active one. The upstream class is kept for its `bind()` of functions and event
 * emitters, which goes through `with()`; the storage it creates for itself is never used.
 */
export class InvocationContextManager extends AsyncLocalStorageContextManager {
  override active(): Context {
    return getActiveContext();
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const callback = thisArg === undefined || thisArg === null ? fn : (fn.bind(thisArg) as F);
    // The store's run itself, not a wrapper: a frame fewer per `context.with()` on the stack.
    return contextStorage.run(context, callback, ...args);
  }

  override disable(): this {
    setStoreIsGlobalContext(false);
    return super.disable();
  }

  override attach(context: Context): ReturnType<AsyncLocalStorageContextManager['attach']> {
    const previous = getStoredContext();
    enterContext(context);
    let disposed = false;
    return {
      dispose() {
        if (disposed) return;
        disposed = true;
        if (previous !== undefined) enterContext(previous);
      },
    } as ReturnType<AsyncLocalStorageContextManager['attach']>;
  }
}

const PROBE_KEY = createContextKey('lookout.context-probe');

/**
 * Checks, after the provider's registration, whether `context.with()` of the OpenTelemetry API
 * now runs in Lookout's store (an app's own context manager registered first stays the global
 * one), and records the answer for traced().
 */
export function checkStoreIsGlobalContext(): void {
  const probe = ROOT_CONTEXT.setValue(PROBE_KEY, true);
  setStoreIsGlobalContext(contextApi.with(probe, getStoredContext) === probe);
}
