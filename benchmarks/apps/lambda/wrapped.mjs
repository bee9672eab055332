// The same handler as bare.mjs, wrapped with `wrap()` from lookout/lambda (the `lookout-wrap`
// variants), with one log line and one metric per invocation, as the Powertools peer writes.
import { logger, metrics } from 'lookout';
import { wrap } from 'lookout/lambda';

/**
 * The handler's own work, exported so that benchmarks/decisions/lambda-invocation-cost.mjs
 * can time it apart from what `wrap()` does before and after it (`--split`).
 */
export function handleOrder(event) {
  logger.info('order handled', { path: event.rawPath });
  metrics.addMetric('OrdersHandled', 'Count', 1);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ok: true, path: event.rawPath }),
  };
}

export const handler = wrap(async (event) => handleOrder(event));
