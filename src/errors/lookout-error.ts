/**
 * Stable error codes. Every code is documented in docs/errors.md; a unit test keeps the two in step.
 */
export const ERROR_CODES = {
  /** An option passed to `init()` in code is invalid. */
  CONFIG_INVALID: 'LOOKOUT_CONFIG_INVALID',
  /** An environment variable holds a value Lookout cannot use; it falls back and warns once. */
  ENV_INVALID: 'LOOKOUT_ENV_INVALID',
  /** `init()` was called again with different options; the first call's options stay in force. */
  INIT_REPEATED: 'LOOKOUT_INIT_REPEATED',
  /** A part of Lookout failed to start; that part runs as a no-op and the app keeps running. */
  START_FAILED: 'LOOKOUT_START_FAILED',
  /** Telemetry export failed (collector or daemon unreachable, rejected, timed out). */
  EXPORT_FAILED: 'LOOKOUT_EXPORT_FAILED',
  /** The OTLP endpoint refused the connection: nothing listens there. Said at the first refusal. */
  ENDPOINT_REFUSED: 'LOOKOUT_ENDPOINT_REFUSED',
  /** `shutdown()` or a flush hit its deadline; telemetry still queued was dropped. */
  FLUSH_TIMEOUT: 'LOOKOUT_FLUSH_TIMEOUT',
  /** An instrumentation could not be loaded or enabled. */
  INSTRUMENTATION_FAILED: 'LOOKOUT_INSTRUMENTATION_FAILED',
  /** An enabled contrib instrumentation's package is not installed in the app; it is off. */
  INSTRUMENTATION_MISSING: 'LOOKOUT_INSTRUMENTATION_MISSING',
  /** The X-Ray sampling rules or targets could not be read from the sampling proxy. */
  SAMPLING_RULES_UNAVAILABLE: 'LOOKOUT_SAMPLING_RULES_UNAVAILABLE',
  /** The sampling proxy sent more X-Ray sampling rules than Lookout keeps; the first by priority are used. */
  SAMPLING_RULES_LIMIT: 'LOOKOUT_SAMPLING_RULES_LIMIT',
  /** A module an instrumentation hooks was loaded before `init()`, so it is not instrumented. */
  LOADED_BEFORE_INIT: 'LOOKOUT_LOADED_BEFORE_INIT',
  /** A span was too large for one X-Ray datagram; its values were shortened (marked) to fit. */
  XRAY_DOCUMENT_TRUNCATED: 'LOOKOUT_XRAY_DOCUMENT_TRUNCATED',
  SPAN_TIME_INVALID: 'LOOKOUT_SPAN_TIME_INVALID',
  /** An internal error was caught so that it would not reach the app. */
  INTERNAL: 'LOOKOUT_INTERNAL',
  /** A metric value, name, unit or dimension was invalid; that value was dropped. */
  METRIC_INVALID: 'LOOKOUT_METRIC_INVALID',
  /** The app added a metric named like one of Lookout's own: one series holds both; it was written. */
  METRIC_NAME_SHARED: 'LOOKOUT_METRIC_NAME_SHARED',
  /** Too many distinct metric dimension sets within one flush interval; new ones were dropped. */
  METRICS_LIMIT: 'LOOKOUT_METRICS_LIMIT',
  /** Writing log lines to stdout failed (stdout closed); lines are dropped while it fails. */
  LOG_WRITE_FAILED: 'LOOKOUT_LOG_WRITE_FAILED',
  /** Writing EMF metric documents to stdout failed (stdout closed); documents are dropped while it fails. */
  METRICS_WRITE_FAILED: 'LOOKOUT_METRICS_WRITE_FAILED',
  /** The log level asked for is more verbose than Lambda's log-level filter; the filter's level is used. */
  LOG_LEVEL_FILTERED: 'LOOKOUT_LOG_LEVEL_FILTERED',
  /** `logAudit()` got an action or status it does not know; the entry was written with a safe value. */
  AUDIT_INVALID: 'LOOKOUT_AUDIT_INVALID',
} as const;

export type LookoutErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/**
 * Base class of every error Lookout raises, with a stable `code`.
 *
 * @example
 * try { init({ tracing: { sampler: 'sometimes' } }); }
 * catch (err) { if (err instanceof LookoutError) console.error(err.code); }
 */
export class LookoutError extends Error {
  readonly code: LookoutErrorCode;

  constructor(code: LookoutErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LookoutError';
    this.code = code;
  }
}

/**
 * Thrown by `init()` when an option passed in code is invalid. Names the option, the value
 * received and what is accepted.
 *
 * @example
 * new LookoutConfigError({ option: 'tracing.sampler', value: 'x', accepted: 'one of: always_on, always_off' });
 */
export class LookoutConfigError extends LookoutError {
  readonly option: string;
  readonly value: unknown;
  readonly accepted: string;

  constructor(details: { option: string; value: unknown; accepted: string }, options?: { cause?: unknown }) {
    super(
      ERROR_CODES.CONFIG_INVALID,
      `Invalid option "${details.option}": received ${describeValue(details.value)}; expected ${details.accepted}.`,
      options,
    );
    this.name = 'LookoutConfigError';
    this.option = details.option;
    this.value = details.value;
    this.accepted = details.accepted;
  }
}

/** Renders a received value for an error message without dumping large or hostile input. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return JSON.stringify(shown);
  }
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  try {
    if (Array.isArray(value)) return `an array of ${value.length}`;
  } catch {
    // A revoked proxy, or an array proxy whose `length` trap throws: described by its type.
  }
  return `a value of type ${typeof value}`;
}
