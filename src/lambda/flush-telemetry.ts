import { diagnostics, ERROR_CODES, flushInvocationMetrics, getLookout, withDeadline } from '../core.js';

/**
 * Writes the invocation's metrics (synchronously, to stdout) and exports buffered spans, waiting
 * at most `budgetMs`. A budget of zero or less starts the export without waiting for it: the
 * function answers in time and the export goes on, or resumes when the environment thaws.
 * Never rejects (DESIGN decision 4).
 */
export async function flushTelemetry(budgetMs: number): Promise<void> {
  flushInvocationMetrics();
  const lookout = getLookout();
  if (lookout === undefined) return;
  const flushing = lookout.forceFlush();
  if (budgetMs <= 0) {
    diagnostics.warnOnce(
      'lambda-flush-skipped',
      ERROR_CODES.FLUSH_TIMEOUT,
      'An invocation ended too close to its deadline to wait for the telemetry flush; the export was started without waiting so the function answers in time.',
    );
    return;
  }
  const outcome = await withDeadline(flushing, budgetMs);
  if (outcome.status === 'timeout') {
    diagnostics.warnOnce(
      'lambda-flush-deadline',
      ERROR_CODES.FLUSH_TIMEOUT,
      `The telemetry flush at the end of an invocation did not finish within ${Math.round(budgetMs)} ms (lambda.flushTimeoutMs, or the time left before the deadline minus lambda.deadlineMarginMs); the function answered without waiting for it.`,
    );
  }
}
