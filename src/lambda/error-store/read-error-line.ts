// Which log lines are errors, and what they say. Two kinds reach the forwarder (the
// subscription filter in src/cdk/error-store.ts matches exactly these):
// - Lookout's lines at ERROR or CRITICAL that carry `error`: `logger.error('x', err)` in the
//   app (a caught error), wrap()'s "Lambda invocation failed" and errorHandler()'s "request
//   failed" (an error the handler did not catch);
// - the Lambda runtime's own lines for an error nothing caught (JSON log format): thrown
//   outside any handler ("Uncaught Exception", "Unhandled Promise Rejection") or by a handler
//   Lookout does not wrap ("Invoke Error"): `{ level, requestId, message: { errorType,
//   errorMessage, stackTrace } }`.

/** Where an error line came from. */
export const ERROR_ORIGINS = { lookout: 'lookout', lambdaRuntime: 'lambda-runtime' } as const;
export type ErrorOrigin = (typeof ERROR_ORIGINS)[keyof typeof ERROR_ORIGINS];

/** What one error line says, before it becomes an item. */
export interface ErrorLine {
  readonly origin: ErrorOrigin;
  readonly level: string;
  /** The line's own message ("Lambda invocation failed"), for Lookout lines. */
  readonly logMessage: string | undefined;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stack: string | undefined;
  readonly service: string | undefined;
  readonly environment: string | undefined;
  readonly functionName: string | undefined;
  readonly route: string | undefined;
  /** The request's id: `request_id` (HTTP), else the Lambda invocation's. */
  readonly requestId: string | undefined;
  /** The Lambda invocation's request id. */
  readonly functionRequestId: string | undefined;
  /** W3C form, 32 hex digits. */
  readonly traceId: string | undefined;
  /** X-Ray form, `1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy`. */
  readonly xrayTraceId: string | undefined;
  readonly coldStart: boolean | undefined;
  /** Every other key of the line: the event or request summary the app logged, already redacted. */
  readonly details: Readonly<Record<string, unknown>> | undefined;
}

export type ReadResult =
  | { readonly ok: true; readonly line: ErrorLine }
  | { readonly ok: false; readonly reason: string };

const ERROR_LEVELS = new Set(['ERROR', 'CRITICAL']);

// Keys the item has a place for; anything else on the line goes to `details`.
const KNOWN_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'environment',
  'sampling_rate',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'tenant_id',
  'trace_id',
  'span_id',
  'xray_trace_id',
  'request_id',
  'error',
  'route',
]);

const W3C_TRACE_ID = /^[0-9a-f]{32}$/;
const XRAY_TRACE_ID = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Both forms of the trace id from whichever the line has (they are the same 128 bits). */
function traceIds(line: Record<string, unknown>): {
  traceId: string | undefined;
  xrayTraceId: string | undefined;
} {
  const w3c = text(line.trace_id);
  const xray = text(line.xray_trace_id);
  const traceId = w3c !== undefined && W3C_TRACE_ID.test(w3c) ? w3c : undefined;
  const xrayMatch = xray === undefined ? null : XRAY_TRACE_ID.exec(xray);
  if (traceId !== undefined)
    return { traceId, xrayTraceId: xray ?? `1-${traceId.slice(0, 8)}-${traceId.slice(8)}` };
  if (xrayMatch !== null) return { traceId: `${xrayMatch[1]}${xrayMatch[2]}`, xrayTraceId: xray };
  return { traceId: undefined, xrayTraceId: xray };
}

function routeOf(line: Record<string, unknown>): string | undefined {
  const route = text(line.route);
  const method = text(line.method);
  if (route !== undefined) return method === undefined ? route : `${method} ${route}`;
  const path = text(line.path);
  return method !== undefined && path !== undefined ? `${method} ${path}` : undefined;
}

function detailsOf(line: Record<string, unknown>): Record<string, unknown> | undefined {
  let details: Record<string, unknown> | undefined;
  for (const key of Object.keys(line)) {
    if (KNOWN_KEYS.has(key)) continue;
    details ??= {};
    details[key] = line[key];
  }
  return details;
}

/**
 * JSON of a parsed value. JSON.parse takes nesting thousands deep that JSON.stringify, which
 * recurses, cannot write back (a RangeError): such a value is described, not thrown on.
 */
function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[nested too deep to write]';
  }
}

/**
 * The message of an error value whose `message` is not a string. A value with no message at
 * all (`{ code: 'card_declined' }`, an array) is its own message: the item keeps no other
 * trace of it, since `error` is not copied to the details.
 */
function messageOf(error: object, message: unknown): string {
  if (message !== undefined && message !== null) return jsonOf(message);
  if (Array.isArray(error)) return jsonOf(error);
  const { name: _name, stack: _stack, message: _message, ...rest } = error as Record<string, unknown>;
  return Object.keys(rest).length === 0 ? '' : jsonOf(rest);
}

function describeErrorField(error: unknown): { type: string; message: string; stack: string | undefined } {
  if (typeof error === 'object' && error !== null) {
    const { name, message, stack } = error as Record<string, unknown>;
    return {
      type: text(name) ?? 'UnknownError',
      message: typeof message === 'string' ? message : messageOf(error, message),
      stack: text(stack),
    };
  }
  return { type: 'UnknownError', message: String(error), stack: undefined };
}

function fromLookoutLine(line: Record<string, unknown>, level: string): ErrorLine {
  const error = describeErrorField(line.error);
  const functionRequestId = text(line.function_request_id);
  return {
    origin: ERROR_ORIGINS.lookout,
    level,
    logMessage: text(line.message),
    errorType: error.type,
    errorMessage: error.message,
    stack: error.stack,
    service: text(line.service),
    environment: text(line.environment),
    functionName: text(line.function_name),
    route: routeOf(line),
    requestId: text(line.request_id) ?? functionRequestId,
    functionRequestId,
    ...traceIds(line),
    coldStart: typeof line.cold_start === 'boolean' ? line.cold_start : undefined,
    details: detailsOf(line),
  };
}

function fromRuntimeLine(
  line: Record<string, unknown>,
  level: string,
  error: Record<string, unknown>,
): ErrorLine {
  const stackTrace = error.stackTrace;
  const requestId = text(line.requestId);
  return {
    origin: ERROR_ORIGINS.lambdaRuntime,
    level,
    logMessage: undefined,
    errorType: text(error.errorType) ?? 'UnknownError',
    errorMessage: String(error.errorMessage ?? ''),
    stack: Array.isArray(stackTrace) ? stackTrace.map(String).join('\n') : text(stackTrace),
    service: undefined,
    environment: undefined,
    functionName: undefined,
    route: undefined,
    requestId,
    functionRequestId: requestId,
    traceId: undefined,
    xrayTraceId: undefined,
    coldStart: undefined,
    details: undefined,
  };
}

/**
 * Reads one log line as an error line, or says why it is not one (not JSON, truncated by
 * CloudWatch Logs at 256 KB, not at ERROR or CRITICAL, no error on it).
 *
 * @example
 * readErrorLine('{"level":"ERROR","message":"payment failed","error":{"name":"TypeError","message":"x","stack":"..."}}');
 */
export function readErrorLine(message: string): ReadResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return { ok: false, reason: 'not a JSON line (or cut at the 256 KB log event limit)' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { ok: false, reason: 'not a JSON object' };
  const line = parsed as Record<string, unknown>;
  const level = text(line.level);
  if (level === undefined || !ERROR_LEVELS.has(level))
    return { ok: false, reason: 'not at level ERROR or CRITICAL' };
  if (line.error !== undefined && line.error !== null && line.error !== '')
    return { ok: true, line: fromLookoutLine(line, level) };
  const runtimeError = line.message;
  if (typeof runtimeError === 'object' && runtimeError !== null && 'errorType' in runtimeError)
    return { ok: true, line: fromRuntimeLine(line, level, runtimeError as Record<string, unknown>) };
  return { ok: false, reason: 'no error on the line' };
}
