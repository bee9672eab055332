/** The outcome of one named check. */
export interface HealthCheckResult {
  readonly status: 'healthy' | 'unhealthy';
  readonly duration_ms: number;
  /** Why it failed; left out in production (it may name hosts or hold secrets). */
  readonly error?: string;
}

/** A check: healthy unless it throws, rejects, resolves to `false` or outlasts its timeout. */
export type HealthCheck = () => unknown;

const TIMED_OUT = Symbol('timed out');

/** The longest delay a Node timer honours: a longer one fires after 1 ms, with a warning. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * Runs one check against a deadline. Resolves (never rejects) at the latest `timeoutMs` after
 * the call, whatever the check does: a check that never settles is abandoned, not awaited.
 */
export async function runHealthCheck(
  check: HealthCheck,
  timeoutMs: number,
  describe: (error: unknown) => string,
): Promise<HealthCheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    // Capped: `timeoutMs: 2 ** 31` (or a month) would otherwise fail every check after 1 ms, and a
    // load balancer would replace a healthy app.
    timer = setTimeout(resolve, Math.min(timeoutMs, LONGEST_TIMER_MS), TIMED_OUT);
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(check), deadline]);
    const duration_ms = roundMs(performance.now() - started);
    if (outcome === TIMED_OUT)
      return { status: 'unhealthy', duration_ms, error: `timed out after ${timeoutMs} ms` };
    if (outcome === false) return { status: 'unhealthy', duration_ms, error: 'returned false' };
    return { status: 'healthy', duration_ms };
  } catch (error) {
    return { status: 'unhealthy', duration_ms: roundMs(performance.now() - started), error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}
