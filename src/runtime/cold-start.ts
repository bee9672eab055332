// Module state, so it is per execution environment (per process): the first invocation after
// the process started is the cold one. Lambda reuses the process for warm invocations.
let coldStartPending = true;

/**
 * Returns true exactly once per process: on the first call. Adapters call it at the start
 * of the first invocation or request.
 *
 * @example
 * const coldStart = takeColdStart(); // true on the first invocation only
 */
export function takeColdStart(): boolean {
  const value = coldStartPending;
  coldStartPending = false;
  return value;
}

/** Whether the cold start has not been consumed yet, without consuming it. */
export function isColdStartPending(): boolean {
  return coldStartPending;
}
