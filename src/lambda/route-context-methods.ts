import type { Invocation } from './invocation.js';

type AnyFunction = (...args: unknown[]) => unknown;

// The context's own methods behind the ones routed through an invocation, so that a context
// passed to several invocations (a test harness's) does not pile routed methods up.
const contextOriginals = new WeakMap<AnyFunction, AnyFunction>();

/** The context's own method behind `method`, if `method` is one routed here; undefined if not a function. */
export function originalOf(method: unknown): AnyFunction | undefined {
  if (typeof method !== 'function') return undefined;
  return contextOriginals.get(method as AnyFunction) ?? (method as AnyFunction);
}

/** Marks `method` as routed in front of `original`, and returns it. */
export function routed(original: AnyFunction, method: AnyFunction): AnyFunction {
  contextOriginals.set(method, original);
  return method;
}

/**
 * The runtime answers an async handler's value through the context's `succeed`, which throws
 * when it cannot serialise the value (a BigInt, a cycle); the runtime then catches that and
 * reports it as the invocation's error. Routed so that the invocation records the same failure:
 * catching the runtime's own signal costs one function per invocation, where checking the value
 * would serialise every result a second time. The runtime reads `succeed` as the handler
 * returns its promise, so it is routed before the handler runs. For `wrap()`: `middy()` routes
 * `succeed` and `fail` its own way (middy.ts), since middy may skip the middleware's end.
 */
export function watchRuntimeAnswer(context: unknown, invocation: Invocation): void {
  if (context === null || typeof context !== 'object') return;
  try {
    const methods = context as { succeed?: unknown };
    const succeed = originalOf(methods.succeed);
    if (succeed === undefined) return;
    methods.succeed = routed(succeed, (result) => {
      try {
        return succeed.call(context, result);
      } catch (error) {
        invocation.refused(error);
        throw error;
      }
    });
  } catch {
    // A frozen or hostile context: a refused answer is recorded as the result it was.
  }
}
