import {
  type Context,
  formatIsoTimestamp,
  getLoggingRuntime,
  getLookout,
  getSpanCorrelation,
  type LoggingRuntime,
  logger,
  type RequestContext,
  runInContext,
  type Span,
  TRACE_KEYS,
  writeLogLine,
} from '../core.js';

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

// Powertools' numeric levels (LogLevelThreshold).
const LEVEL_NUMBERS = { INFO: 12, WARN: 16, ERROR: 20 } as const;
type AccessLogLevel = keyof typeof LEVEL_NUMBERS;

/** The fields' keys, in the order the line writes them. */
const FIELD_KEYS = [
  'method',
  'route',
  'path',
  'status',
  'duration_ms',
  'response_bytes',
  'user_agent',
  'client_ip',
  'aborted',
];

// Keys of the line itself: a request-context key of the same name would change the line's
// shape, which only the logger's own path gets right.
const LINE_KEYS: ReadonlySet<string> = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'environment',
  'sampling_rate',
  ...FIELD_KEYS,
]);

/** What is computed once per logging configuration, so that each line only fills in values. */
interface CompiledAccessLog {
  readonly runtime: LoggingRuntime;
  /** `{"level":"INFO","message":"request completed","timestamp":"` per level. */
  readonly heads: Readonly<Record<AccessLogLevel, string>>;
  /** `","service":…,"environment":…` and `,"sampling_rate":…` when sampling (closes the timestamp). */
  readonly afterTimestamp: string;
  /** Whether values that cannot carry a built-in secret (method, client address) still go through the policy. */
  readonly redactEveryString: boolean;
  /** Redacted route templates: templates come from code, so the map stays small. */
  readonly routes: Map<string, string>;
  /**
   * Redacted user agents: a service sees a few clients' agents again and again, and running
   * the rules over a browser's agent costs more than the rest of the line
   * (docs/decisions/0056-lean-request-spans.md).
   */
  readonly userAgents: Map<string, string>;
}

const ROUTE_CACHE_LIMIT = 1000;
// Emptied when full, so agents that do not repeat cost a lookup and nothing grows without bound.
const USER_AGENT_CACHE_LIMIT = 256;
const USER_AGENT_CACHE_MAX_LENGTH = 512;

let compiled: CompiledAccessLog | undefined;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Whether the policy writes `key: 'probe'` unchanged: no key rule or path applies to it. */
function isPlainKey(runtime: LoggingRuntime, key: string): boolean {
  const probe: Record<string, unknown> = {};
  runtime.policy.putEntry(probe, key, 'probe');
  const keys = Object.keys(probe);
  return keys.length === 1 && keys[0] === key && probe[key] === 'probe';
}

/**
 * Compiles the line for this configuration, or returns undefined when the configuration asks
 * for something only the logger's own path writes (pretty lines, local-time timestamps, a key
 * rule or path on one of the line's keys).
 */
function compile(runtime: LoggingRuntime): CompiledAccessLog | undefined {
  const { logging, policy } = runtime;
  if (logging.pretty || !runtime.utcTimestamps) return undefined;
  if (!FIELD_KEYS.every((key) => isPlainKey(runtime, key)) || !isPlainKey(runtime, 'request_id'))
    return undefined;
  const message = JSON.stringify(policy.redactString(ACCESS_LOG_MESSAGE));
  const head = (level: AccessLogLevel) => `{"level":"${level}","message":${message},"timestamp":"`;
  let afterTimestamp = `","service":${JSON.stringify(runtime.serviceName)}`;
  if (!isEmpty(runtime.environment))
    afterTimestamp += `,"environment":${JSON.stringify(runtime.environment)}`;
  // Only when debug sampling is on, as the formatter writes it (lookout-log-formatter.ts).
  const samplingRate = logging.enabled ? logging.sampleRate : 0;
  if (samplingRate !== 0) afterTimestamp += `,"sampling_rate":${JSON.stringify(samplingRate)}`;
  return {
    runtime,
    heads: { INFO: head('INFO'), WARN: head('WARN'), ERROR: head('ERROR') },
    afterTimestamp,
    // The built-in rules need a space, a dash run, `@`, `eyJ` or 13+ word characters, none of
    // which a method or an IP address holds, and both are shorter than the smallest length
    // limit (64); the app's own patterns may match anything.
    redactEveryString: logging.redaction.patterns.length > 0,
    routes: new Map(),
    userAgents: new Map(),
  };
}

function getCompiled(): CompiledAccessLog | undefined {
  const runtime = getLoggingRuntime();
  if (compiled?.runtime !== runtime) compiled = compile(runtime);
  return compiled;
}

function redactedRoute(line: CompiledAccessLog, route: string): string {
  let redacted = line.routes.get(route);
  if (redacted === undefined) {
    redacted = line.runtime.policy.redactString(route);
    if (line.routes.size < ROUTE_CACHE_LIMIT) line.routes.set(route, redacted);
  }
  return redacted;
}

function redactedUserAgent(line: CompiledAccessLog, userAgent: string): string {
  if (userAgent.length > USER_AGENT_CACHE_MAX_LENGTH) return line.runtime.policy.redactString(userAgent);
  let redacted = line.userAgents.get(userAgent);
  if (redacted === undefined) {
    redacted = line.runtime.policy.redactString(userAgent);
    if (line.userAgents.size >= USER_AGENT_CACHE_LIMIT) line.userAgents.clear();
    line.userAgents.set(userAgent, redacted);
  }
  return redacted;
}

/** The JSON of the request-context keys, or undefined when one needs the logger's own path. */
function contextJson(
  line: CompiledAccessLog,
  keys: RequestContext | undefined,
  traced: boolean,
): string | undefined {
  if (keys === undefined) return '';
  let json = '';
  let scratch: Record<string, unknown> | undefined;
  for (const key in keys) {
    if (traced && TRACE_KEYS.has(key)) continue;
    const value = keys[key];
    if (isEmpty(value)) continue;
    if (LINE_KEYS.has(key)) return undefined;
    if (key === 'request_id' && typeof value === 'string') {
      json += `,"request_id":${JSON.stringify(line.runtime.policy.redactString(value))}`;
      continue;
    }
    scratch ??= {};
    line.runtime.policy.putEntry(scratch, key, value);
  }
  if (scratch !== undefined) {
    for (const key in scratch) {
      if (LINE_KEYS.has(key)) return undefined;
      json += `,${JSON.stringify(key)}:${JSON.stringify(scratch[key])}`;
    }
  }
  return json;
}

function plainNumber(value: number): string | undefined {
  // 13-19 digit integers can be card numbers, which the policy censors; none fits a field here.
  return Number.isFinite(value) && Math.abs(value) < 1e12 ? String(value) : undefined;
}

/**
 * The access-log line exactly as `logger.info|warn|error(ACCESS_LOG_MESSAGE, fields)` writes it
 * with `span` active and `keys` as the request context, or undefined when only the logger's
 * own path can write it (docs/decisions/0007-direct-access-log-line.md).
 */
export function formatAccessLogLine(
  level: AccessLogLevel,
  fields: AccessLogFields,
  span: Span | undefined,
  keys: RequestContext | undefined,
  now: Date,
): string | undefined {
  const line = getCompiled();
  if (line === undefined) return undefined;
  const status = plainNumber(fields.status);
  const duration = plainNumber(fields.duration_ms);
  const bytes = plainNumber(fields.response_bytes);
  if (status === undefined || duration === undefined || bytes === undefined) return undefined;
  const correlation = span === undefined ? undefined : getSpanCorrelation(span);
  const context = contextJson(line, keys, correlation !== undefined);
  if (context === undefined) return undefined;

  const { policy } = line.runtime;
  let json = line.heads[level] + formatIsoTimestamp(now) + line.afterTimestamp;
  if (correlation !== undefined) {
    json += `,"trace_id":"${correlation.traceId}","span_id":"${correlation.spanId}"`;
    if (correlation.xrayTraceId !== undefined) json += `,"xray_trace_id":"${correlation.xrayTraceId}"`;
  }
  json += context;
  // Powertools leaves out keys holding undefined, null or ''.
  if (!isEmpty(fields.method)) {
    const method = line.redactEveryString ? policy.redactString(fields.method) : fields.method;
    json += `,"method":${JSON.stringify(method)}`;
  }
  if (!isEmpty(fields.route))
    json += `,"route":${JSON.stringify(redactedRoute(line, fields.route as string))}`;
  if (!isEmpty(fields.path)) json += `,"path":${JSON.stringify(policy.redactString(fields.path))}`;
  json += `,"status":${status},"duration_ms":${duration},"response_bytes":${bytes}`;
  if (!isEmpty(fields.user_agent))
    json += `,"user_agent":${JSON.stringify(redactedUserAgent(line, fields.user_agent as string))}`;
  if (!isEmpty(fields.client_ip)) {
    const address = fields.client_ip as string;
    json += `,"client_ip":${JSON.stringify(line.redactEveryString ? policy.redactString(address) : address)}`;
  }
  if (fields.aborted === true) json += ',"aborted":true';
  return `${json}}`;
}

function levelOf(status: number): AccessLogLevel {
  if (status >= 500) return 'ERROR';
  if (status >= 400) return 'WARN';
  return 'INFO';
}

/** Whether the direct line may be written at all: the logger and the process are plain. */
function canWriteDirectly(): boolean {
  // On Lambda, Powertools adds the invocation's context and X-Ray id from the environment.
  return logger.isPlain() && getLookout()?.config.runtime.kind !== 'lambda' && getLookout() !== undefined;
}

/**
 * Writes one access-log line, ERROR for 5xx, WARN for 4xx, INFO otherwise, in the logger's
 * format with the span's trace ids and the request's keys, redacted. The line is built
 * directly when it can be (the common case); otherwise it goes through `logger`, in `context`
 * when given (which must hold `span` and `keys`), else in the active one.
 */
export function writeAccessLog(
  fields: AccessLogFields,
  span: Span | undefined,
  keys: RequestContext | undefined,
  context: Context | undefined,
): void {
  const level = levelOf(fields.status);
  if (canWriteDirectly()) {
    if (logger.level > LEVEL_NUMBERS[level]) return;
    const line = formatAccessLogLine(level, fields, span, keys, new Date());
    if (line !== undefined) {
      writeLogLine(line);
      return;
    }
  }
  if (context === undefined) logAccessLine(level, fields);
  else runInContext(context, logAccessLine, level, fields);
}

/** Logs `fields` through `logger` at `level`: the path for every case the direct line leaves out. */
function logAccessLine(level: AccessLogLevel, fields: AccessLogFields): void {
  const attributes = fields as unknown as Record<string, unknown>;
  if (level === 'ERROR') logger.error(ACCESS_LOG_MESSAGE, attributes);
  else if (level === 'WARN') logger.warn(ACCESS_LOG_MESSAGE, attributes);
  else logger.info(ACCESS_LOG_MESSAGE, attributes);
}
