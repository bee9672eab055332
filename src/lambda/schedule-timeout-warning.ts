/**
 * Calls `warn` `marginMs` before the invocation's deadline, unless cancelled first. Returns the
 * cancel function. Nothing is scheduled when the deadline is unknown or already within the margin.
 *
 * The timer is unref'd: a callback-style handler's response waits for an empty event loop
 * (`callbackWaitsForEmptyEventLoop`), which a pending warning must not hold up.
 */
export function scheduleTimeoutWarning(
  remainingMs: number | undefined,
  marginMs: number,
  warn: (remainingMs: number) => void,
): () => void {
  if (remainingMs === undefined) return () => {};
  const delay = remainingMs - marginMs;
  if (delay <= 0) return () => {};
  const timer = setTimeout(() => warn(marginMs), delay);
  timer.unref();
  return () => clearTimeout(timer);
}
