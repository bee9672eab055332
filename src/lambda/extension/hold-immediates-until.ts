type SetImmediate = typeof setImmediate;

/**
 * Holds back every callback scheduled with `setImmediate` until `settled` settles, then runs
 * them in order; `setImmediate` is itself again from then on. For the internal extension's
 * registration from a handler module (docs/decisions/0010): Lambda accepts it only before the
 * runtime asks for its first invocation, and the Node.js runtime (its interface client, as the
 * managed runtime) asks from a callback it schedules with `setImmediate` right after the module
 * loaded. A request made while the module loads reaches Lambda only on a later turn of the event
 * loop; holding that callback until the answer came makes the order certain, at the cost of the
 * registration's round trip (about a millisecond). Nothing else is changed: a callback is only
 * delayed, never dropped, and `settled` is bounded by the registration's own timeout. Should a
 * runtime schedule its first request otherwise, the registration may be refused, and invocations
 * then wait for their telemetry as they would without the Extensions API.
 *
 * @example
 * holdImmediatesUntil(registration);
 */
export function holdImmediatesUntil(settled: Promise<unknown>): void {
  const original: SetImmediate = globalThis.setImmediate;
  let held = true;
  const holding = function setImmediate(callback: (...args: unknown[]) => void, ...args: unknown[]) {
    if (!held) return original(callback, ...args);
    return original(() => {
      void settled.then(
        () => callback(...args),
        () => callback(...args),
      );
    });
  } as SetImmediate;
  globalThis.setImmediate = holding;
  const release = () => {
    held = false;
    if (globalThis.setImmediate === holding) globalThis.setImmediate = original;
  };
  void settled.then(release, release);
}
