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
