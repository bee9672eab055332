import { logger } from '../core.js';

/** The fields of one access-log line (snake_case, like every other Lookout field). */
export interface AccessLogFields {
  readonly method: string;
  /** The route template; absent when no route matched. */
  readonly route: string | undefined;
  /** The path without its query string. */
  readonly path: string;
  readonly status: number;
  readonly duration_ms: number;
  readonly response_bytes: number;
  readonly user_agent: string | undefined;
  readonly client_ip: string | undefined;
  /** True when the client closed the connection before the response was complete. */
  readonly aborted?: true;
}

/**
 * The message of every access-log line; Logs Insights queries filter on it.
 *
 * @example
 * const query = `filter message = "${ACCESS_LOG_MESSAGE}" | stats pct(duration_ms, 95) by route`;
 */
export const ACCESS_LOG_MESSAGE = 'request completed';

/**
 * Writes one access-log line through `logger` (so it carries the request context, the trace
 * ids and the redaction): ERROR for 5xx, WARN for 4xx, INFO otherwise.
 */
export function writeAccessLog(fields: AccessLogFields): void {
  const attributes = fields as unknown as Record<string, unknown>;
  if (fields.status >= 500) logger.error(ACCESS_LOG_MESSAGE, attributes);
  else if (fields.status >= 400) logger.warn(ACCESS_LOG_MESSAGE, attributes);
  else logger.info(ACCESS_LOG_MESSAGE, attributes);
}
