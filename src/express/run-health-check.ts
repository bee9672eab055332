import { LONGEST_TIMER_DELAY_MS, roundMs } from '../core.js';

/** The outcome of one named check. */
export interface HealthCheckResult {
  readonly status: 'healthy' | 'unhealthy';
  readonly duration_ms: number;
  /** Why it failed; left out in production (it may name hosts or hold secrets). */
  readonly error?: string;
}

/** A check: healthy unless it throws, rejects, resolves to `false` or outlasts its timeout. */
export type HealthCheck = () => unknown;

/**
 * Runs of checks still in progress, by check: a call that comes while one lasts waits for it
 * instead of starting another.
 */
export type RunningChecks = WeakMap<HealthCheck, Promise<unknown>>;

const TIMED_OUT = Symbol('timed out');

/**
 * The run of `check` in progress, or a new one. Shared runs matter when a dependency hangs: a
 * flood of health calls would otherwise leave one pending query (or connection attempt) per call
 * behind, every one abandoned at its timeout and still held by the app's pool.
 */
function startOrJoin(check: HealthCheck, running: RunningChecks | undefined): Promise<unknown> {
  const current = running?.get(check);
  if (current !== undefined) return current;
  const run = Promise.resolve().then(check);
  if (running !== undefined) {
    running.set(check, run);
    const forget = () => forgetRun(running, check, run);
    run.then(forget, forget);
  }
  return run;
}

function forgetRun(running: RunningChecks, check: HealthCheck, run: Promise<unknown>): void {
  if (running.get(check) === run) running.delete(check);
}

/**
 * Runs one check against a deadline. Resolves (never rejects) at the latest `timeoutMs` after
 * the call, whatever the check does: a check that never settles is abandoned, not awaited. With
 * `running`, a call joins the run of the same check still in progress; a run that outlasts a
 * caller's timeout is not joined again, so the next call tries the dependency anew.
 */
export async function runHealthCheck(
  check: HealthCheck,
  timeoutMs: number,
  describe: (error: unknown) => string,
  running?: RunningChecks,
): Promise<HealthCheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    // Capped: `timeoutMs: 2 ** 31` (or a month) would otherwise fail every check after 1 ms, and a
    // load balancer would replace a healthy app.
    timer = setTimeout(resolve, Math.min(timeoutMs, LONGEST_TIMER_DELAY_MS), TIMED_OUT);
  });
  const run = startOrJoin(check, running);
  try {
    const outcome = await Promise.race([run, deadline]);
    const duration_ms = roundMs(performance.now() - started);
    if (outcome === TIMED_OUT) {
      if (running !== undefined) forgetRun(running, check, run);
      return { status: 'unhealthy', duration_ms, error: `timed out after ${timeoutMs} ms` };
    }
    if (outcome === false) return { status: 'unhealthy', duration_ms, error: 'returned false' };
    return { status: 'healthy', duration_ms };
  } catch (error) {
    return { status: 'unhealthy', duration_ms: roundMs(performance.now() - started), error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}
