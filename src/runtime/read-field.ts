/**
 * `value[key]`, or undefined when `value` is not an object or reading the field throws. What
 * the app hands Lookout (an error passed to `next()`, a Lambda context, a thrown value) may have
 * getters or Proxy traps that throw; a throw there must not cost the request or the invocation
 * its answer or its telemetry.
 *
 * @example
 * readField(error, 'message'); // undefined for an error whose `message` getter throws
 */
export function readField(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/**
 * `String(value)`, or '' when the value cannot be turned into text (no `toString`, a Proxy
 * whose trap throws): a value the app handed over, printed where a throw would cost the answer
 * or the telemetry (`next(42)` is `42`, a span named `undefined` is `undefined`).
 */
export function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}

/** Whether `value` has a `then` method, as the runtime and `await` tell a promise. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
