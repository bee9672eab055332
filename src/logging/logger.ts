import { LookoutLogger } from './lookout-logger.js';

/**
 * Lookout's Powertools Logger: JSON lines on stdout with `trace_id`, `span_id`,
 * `xray_trace_id` and the request's keys, secrets redacted. Usable before `init()` (settings
 * from the environment); `init()` reconfigures this same object.
 *
 * @example
 * import { logger } from 'lookout';
 * logger.info('order created', { orderId, customer: { email } });
 */
export const logger: LookoutLogger = new LookoutLogger();
