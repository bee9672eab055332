import type { Invocation, InvocationOutcome } from './invocation.js';

type AnyFunction = (...args: unknown[]) => unknown;

// The context's own method behind one routed through an invocation, kept on the routed function,
// so that a context passed to several invocations (a test harness's) does not pile routed methods
// up. A property of Lookout's own function, not a WeakMap entry: an entry per routed method cost
// about 0.5 µs an invocation (mostly the collector's work on the map), the property a few ns.
const ORIGINAL = Symbol('lookout.lambda.context-original');

type Routed = AnyFunction & { [ORIGINAL]?: AnyFunction };

/** The context's own method behind `method`, if `method` is one routed here; undefined if not a function. */
export function originalOf(method: unknown): AnyFunction | undefined {
  if (typeof method !== 'function') return undefined;
  try {
    return (method as Routed)[ORIGINAL] ?? (method as AnyFunction);
  } catch {
    // A Proxy whose get trap throws (or a revoked one) is the context's own, not Lookout's.
    return method as AnyFunction;
  }
}

/** Marks `method` as routed in front of `original`, and returns it. */
export function routed(original: AnyFunction, method: AnyFunction): AnyFunction {
  (method as Routed)[ORIGINAL] = original;
  return method;
}

/**
 * Ends an invocation with an answer the handler gave through the context (unless an earlier one
 * did) and `deliver`s it to the runtime: `error` is undefined or null for a result. Returns what
 * `deliver` returned.
 */
export type ContextAnswer = (error: unknown, result: unknown, deliver: () => unknown) => unknown;

/** The outcome of an answer given as `(error, result)`, as the runtime reads it. */
export function outcomeOf(error: unknown, result: unknown): InvocationOutcome {
  return error === undefined || error === null ? { result } : { error };
}

/**
 * Routes the context's answers, `done`, `succeed` and `fail`, through `answer`: the runtime
 * still takes them (the cfn-response module of CloudFormation custom resources calls
 * `context.done`), and posts the first it is given whatever the handler does next, so the
 * invocation must end with it. A context that cannot be read or changed is left as it is.
 */
export function routeContextAnswers(context: unknown, answer: ContextAnswer): void {
  if (context === null || typeof context !== 'object') return;
  try {
    const methods = context as { done?: unknown; succeed?: unknown; fail?: unknown };
    const done = originalOf(methods.done);
    const succeed = originalOf(methods.succeed);
    const fail = originalOf(methods.fail);
    if (done !== undefined)
      methods.done = routed(done, (error, result) =>
        answer(error, result, () => done.call(context, error, result)),
      );
    if (succeed !== undefined)
      methods.succeed = routed(succeed, (result) =>
        answer(undefined, result, () => succeed.call(context, result)),
      );
    // The runtime fails an invocation that `fail` was given no error for with "handled".
    if (fail !== undefined)
      methods.fail = routed(fail, (error) =>
        answer(error ?? 'handled', undefined, () => fail.call(context, error)),
      );
  } catch {
    // A frozen or hostile context: its methods answer as they are, and the invocation records
    // how the handler's promise settled.
  }
}

/**
 * The runtime answers an async handler's value through the context's `succeed`, which throws
 * when it cannot serialise the value (a BigInt, a cycle); the runtime then catches that and
 * reports it as the invocation's error. Routed so that the invocation records the same failure:
 * catching the runtime's own signal costs one function per invocation, where checking the value
 * would serialise every result a second time. The runtime reads `succeed` as the handler
 * returns its promise, so it is routed before the handler runs.
 *
 * The handler may answer itself, before its promise settles, through the context's `fail`,
 * `done` or `succeed`: the runtime posts that answer and ignores the promise's. So they are
 * routed too, and the first answer made through them ends the invocation (an async handler that
 * called `context.fail(error)` and returned was recorded as a success while its caller got the
 * error; one whose promise then never settled never ended, its telemetry lost and the internal
 * extension holding the environment until the deadline margin). An answer counts only once the
 * runtime took the call without throwing.
 *
 * For `wrap()`: `middy()` routes the answers its own way (middy.ts), since middy may skip the
 * middleware's end.
 */
export function watchRuntimeAnswer(context: unknown, invocation: Invocation): void {
  routeContextAnswers(context, (error, result, deliver) => {
    let returned: unknown;
    try {
      returned = deliver();
    } catch (refusal) {
      invocation.refused(refusal);
      throw refusal;
    }
    invocation.answered(outcomeOf(error, result));
    return returned;
  });
}
