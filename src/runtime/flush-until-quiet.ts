import { telemetryCount } from './telemetry-activity.js';
import { withDeadline } from './with-deadline.js';

/** How a drain ended: nothing new arrived during the last flush, or the deadline came first. */
export type DrainOutcome = 'quiet' | 'timeout';

/**
 * Flushes, again and again, until one flush finds that nothing was recorded while it ran and
 * stdout has taken every byte written (so a process ending right after loses nothing), or
 * until `timeoutMs` has passed. Requests that complete while a flush is under way are exported
 * by the next one. Never rejects.
 */
export async function flushUntilQuiet(flush: () => Promise<void>, timeoutMs: number): Promise<DrainOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = telemetryCount();
    const remaining = deadline - Date.now();
    if (remaining <= 0) return 'timeout';
    const outcome = await withDeadline(flush(), remaining);
    if (outcome.status === 'timeout') return 'timeout';
    if (telemetryCount() === before && process.stdout.writableLength === 0) return 'quiet';
  }
}
