import { getLoggingRuntime } from './logging-runtime.js';

/**
 * Applies Lookout's redaction policy (the one every log line goes through) to any value and
 * returns a redacted, JSON-safe copy; the value itself is not changed. Strings come back as
 * strings. Before `init()`, the policy comes from the environment.
 *
 * @example
 * redact({ authorization: 'Bearer abc', email: 'jane@example.com' });
 * // { authorization: '[REDACTED]', email: 'ja***@example.com' }
 */
export function redact<T>(value: T): T extends string ? string : unknown;
export function redact(value: unknown): unknown {
  return getLoggingRuntime().policy.redact(value);
}
