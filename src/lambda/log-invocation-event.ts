import { describeError, diagnostics, ERROR_CODES, getLoggingRuntime, logger } from '../core.js';

/** What runs code inside an invocation (its span active, its keys on every line). */
export interface InvocationScope {
  run<T>(fn: () => T): T;
}

/**
 * Logs the invocation's event when `logging.logEvent` (POWERTOOLS_LOGGER_LOG_EVENT) asks for
 * it: one INFO line, `Lambda invocation event` with the event under `event`, as Powertools'
 * `logEventIfEnabled` writes it, inside the invocation (so it carries the invocation's keys)
 * and redacted like every line. Never throws into the handler.
 *
 * @example
 * logInvocationEvent(invocation, event);
 */
export function logInvocationEvent(invocation: InvocationScope, event: unknown): void {
  try {
    if (!getLoggingRuntime().logging.logEvent) return;
    invocation.run(() => logger.info('Lambda invocation event', { event }));
  } catch (error) {
    diagnostics.errorOnce(
      'lambda-log-event',
      ERROR_CODES.INTERNAL,
      `The invocation event could not be logged: ${describeError(error)}`,
    );
  }
}
