import { diagnostics, ERROR_CODES, flushExports, getLookout } from '../core.js';
import { waitAtMost } from './flush-deadline.js';

// Module state: one per process, and a Lambda process runs one invocation at a time.
// Set when a flush ran out of time: exports are failing or hanging (a collector that is down
// makes the exporter retry with back-off). Later invocations then start the export without
// waiting for it, so a broken collector costs one flush budget, not one per invocation, until
// an export succeeds again.
let stalledAt: { readonly exportedSpans: number } | undefined;

function ignore(): void {}

/**
 * Exports buffered spans (and logs and metrics, when they go over OTLP), waiting at most
 * `budgetMs` (the invocation's metrics are written before, by the delivery). This deadline is
 * the flush's only one: the exports are started without the handle's
 * (docs/decisions/0059-lambda-span-processor.md). It does not wait (the export still starts)
 * when the budget is zero or less, or while exports are stalled (see above). `wanted: false` (the app set
 * `lambda.flushTimeoutMs` to 0) means not waiting is the app's choice: nothing is reported.
 * Never rejects (docs/design.md decision 4).
 */
export async function flushTelemetry(budgetMs: number, wanted = true): Promise<void> {
  const lookout = getLookout();
  if (lookout === undefined) return;
  if (stalledAt !== undefined && lookout.stats().exportedSpans > stalledAt.exportedSpans)
    stalledAt = undefined;
  const flushing = flushExports();
  if (stalledAt !== undefined || budgetMs <= 0) {
    // Not waited for; an exporter's failure is reported by the exporter.
    flushing.catch(ignore);
    if (stalledAt !== undefined || !wanted) return;
    diagnostics.warnOnce(
      'lambda-flush-skipped',
      ERROR_CODES.FLUSH_TIMEOUT,
      'An invocation ended too close to its deadline to wait for the telemetry flush; the export was started without waiting so the function answers in time.',
    );
    return;
  }
  if (await waitAtMost(flushing, budgetMs)) return;
  stalledAt = { exportedSpans: lookout.stats().exportedSpans };
  diagnostics.warnOnce(
    'lambda-flush-deadline',
    ERROR_CODES.FLUSH_TIMEOUT,
    `The telemetry flush at the end of an invocation did not finish within ${Math.round(budgetMs)} ms (lambda.flushTimeoutMs, or the time left before the deadline minus lambda.deadlineMarginMs); the function answered without waiting. Until an export succeeds, invocations no longer wait for the flush.`,
  );
}
