/**
 * Calls `target.warn` `marginMs` before the invocation's deadline, unless the returned timer is
 * cleared first (no closure per invocation: one timer with its arguments). Nothing is scheduled when the deadline is unknown or already within the margin.
 *
 * The timer is unref'd: a callback-style handler's response waits for an empty event loop
 * (`callbackWaitsForEmptyEventLoop`), which a pending warning must not hold up.
 */
export function scheduleTimeoutWarning(
  remainingMs: number | undefined,
  marginMs: number,
  target: { warn(remainingMs: number): void },
): NodeJS.Timeout | undefined {
  if (remainingMs === undefined) return undefined;
  const delay = remainingMs - marginMs;
  if (delay <= 0) return undefined;
  const timer = setTimeout(warnOf, delay, target, marginMs);
  timer.unref();
  return timer;
}

function warnOf(target: { warn(remainingMs: number): void }, marginMs: number): void {
  target.warn(marginMs);
}
