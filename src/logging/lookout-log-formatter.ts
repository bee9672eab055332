import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { putTraceCorrelation, TRACE_KEYS } from './correlation.js';
import { formatIsoTimestamp } from './iso-timestamp.js';
import { getLoggingRuntime } from './logging-runtime.js';
import { jsonStringBytes, type RedactionPolicy } from './redaction/index.js';
import { getRequestContext, type RequestContext } from './request-context.js';

/** The key a cut line carries, saying which budget ran out (docs/logging.md). */
export const TRUNCATED_KEY = 'lookout_truncated';

// An upper bound for the fields every line carries besides the message and the app's keys:
// level, timestamp, service, environment, sampling rate, trace ids and the Lambda context
// (function ARN and name, request and tenant id are each bounded well under 256 characters).
const FIXED_FIELDS_BYTES = 2048;

// A short message is reserved at its largest possible size (six bytes a character) rather than
// measured: measuring every message costs more than the bytes this keeps back.
const MEASURED_MESSAGE_LENGTH = 256;
function messageBytes(message: string): number {
  return message.length > MEASURED_MESSAGE_LENGTH ? jsonStringBytes(message) : 6 * message.length + 2;
}

/**
 * The redacted form of the last short message, per policy. A message is most often the same
 * literal line after line (`logger.info('order handled', …)`), and its redaction, a pass of the
 * value rules that depends on the policy and the text alone, cost about 2.7 µs of a Lambda log
 * line's 31 in a fresh environment (invocations 201–1,200) for a 13-character message. Only
 * messages up to MEASURED_MESSAGE_LENGTH characters are kept, so the comparison stays short and
 * no large string is held between lines.
 */
let lastMessagePolicy: RedactionPolicy | undefined;
let lastMessage = '';
let lastRedactedMessage = '';

function redactMessage(policy: RedactionPolicy, message: string): string {
  if (message === lastMessage && policy === lastMessagePolicy) return lastRedactedMessage;
  const redacted = policy.redactString(message);
  if (message.length <= MEASURED_MESSAGE_LENGTH) {
    lastMessagePolicy = policy;
    lastMessage = message;
    lastRedactedMessage = redacted;
  }
  return redacted;
}

/** Powertools drops top-level keys holding undefined, null or '' (LogItem.removeEmptyKeys). */
function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * The attributes with only their own keys. Powertools (and the direct line) copy a logged
 * object's keys by assignment, so a `__proto__` key, which a parsed JSON body can hold, becomes
 * the attributes' prototype, whose keys `for…in` lists as if they were the line's own:
 * `{"__proto__":{"level":"DEBUG","message":"login ok"}}` rewrote the line's level and message.
 * Such attributes are copied with the prototype written back as the `__proto__` entry it was
 * logged as. Attributes Powertools made itself inherit from Object.prototype and are returned as
 * they are: one check a line.
 */
function ownAttributes(attributes: LogAttributes): LogAttributes {
  const prototype: unknown = Object.getPrototypeOf(attributes);
  if (prototype === Object.prototype) return attributes;
  const copy: LogAttributes = {};
  for (const key of Object.keys(attributes)) setOwn(copy, key, attributes[key]);
  setOwn(copy, '__proto__', prototype);
  return copy;
}

function setOwn(target: LogAttributes, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Whether a logger key must give way: keys written from the active span and from the request
 * context describe this very line; a key of the same name in the logger's (shared, mutable)
 * keys may be left over from another request (docs/design.md decision 3).
 */
function isOwnedByContext(key: string, traced: boolean, requestContext: RequestContext | undefined): boolean {
  return (
    (traced && TRACE_KEYS.has(key)) || (requestContext !== undefined && Object.hasOwn(requestContext, key))
  );
}

/**
 * The Powertools log formatter Lookout installs on every logger. On top of the Powertools
 * fields (level, message, timestamp, service, sampling_rate when sampling, the Lambda context) it writes
 * `environment`, the trace correlation of the active span, the request context, and then
 * the app's keys, with the one redaction policy applied to everything but Lookout's own ids.
 *
 * The attributes it returns are already JSON-safe (no cycles, Errors, BigInts or Maps), so
 * the logger serialises them with a plain `JSON.stringify`, without a replacer.
 *
 * A custom formatter given to `createChild({ logFormatter })` is wrapped, not replaced: it
 * sees the correlation keys among its additional attributes, and its output is redacted.
 */
export class LookoutLogFormatter extends LogFormatter {
  readonly #inner: LogFormatter | undefined;

  constructor(inner?: LogFormatter) {
    super();
    this.#inner = inner;
  }

  /** The wrapped custom formatter, if any. */
  get inner(): LogFormatter | undefined {
    return this.#inner;
  }

  override formatTimestamp(now: Date): string {
    // Powertools reads TZ from the environment on every line; the decision is made once.
    return getLoggingRuntime().utcTimestamps ? formatIsoTimestamp(now) : super.formatTimestamp(now);
  }

  override formatAttributes(attributes: UnformattedAttributes, logged: LogAttributes): LogItem {
    const additional = ownAttributes(logged);
    if (this.#inner !== undefined) return this.#formatWithInner(this.#inner, attributes, additional);
    const { policy } = getLoggingRuntime();
    // Powertools writes a message that is not a string as it is (`logger.info({ message: {…} })`
    // gives an object); it goes through the line's value rules below, in this place among the keys.
    const given: unknown = attributes.message;
    const message = typeof given === 'string' ? redactMessage(policy, given) : '';
    const out: Record<string, unknown> = {
      level: attributes.logLevel,
      message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
    };
    if (!isEmpty(attributes.environment)) out.environment = attributes.environment;
    // Powertools writes `sampling_rate: 0` on every line; Lookout only when debug sampling is on,
    // the one case where the field tells the reader something (CHANGELOG, docs/logging.md).
    if (attributes.sampleRateValue) out.sampling_rate = attributes.sampleRateValue;
    const lambda = attributes.lambdaContext;
    if (lambda !== undefined) {
      out.cold_start = lambda.coldStart;
      out.function_arn = lambda.invokedFunctionArn;
      out.function_memory_size = lambda.memoryLimitInMB;
      out.function_name = lambda.functionName;
      out.function_request_id = lambda.awsRequestId;
      if (!isEmpty(lambda.tenantId)) out.tenant_id = lambda.tenantId;
    }

    const traced = putTraceCorrelation(out);
    // Everything below shares one line: one visited set, one value and byte budget, with the
    // fields above (their size is bounded: the message by maxStringLength, the rest by AWS).
    const line = policy.startLine(messageBytes(message) + FIXED_FIELDS_BYTES);
    try {
      if (typeof given !== 'string' && given !== undefined && given !== null) line.put(out, 'message', given);
      const requestContext = getRequestContext();
      if (requestContext !== undefined) {
        for (const key in requestContext) {
          // The span is the authority on trace ids; the context's X-Ray id serves when none is active.
          if (traced && TRACE_KEYS.has(key)) continue;
          const value = requestContext[key];
          if (!isEmpty(value)) line.put(out, key, value);
        }
      }
      // On Lambda, Powertools reads the invocation's X-Ray id from _X_AMZN_TRACE_ID.
      if (out.xray_trace_id === undefined && !isEmpty(attributes.xRayTraceId))
        out.xray_trace_id = attributes.xRayTraceId;

      for (const key in additional) {
        const value = additional[key];
        if (isEmpty(value) || isOwnedByContext(key, traced, requestContext)) continue;
        line.put(out, key, value);
      }
      const cut = line.cut;
      if (cut !== undefined) out[TRUNCATED_KEY] = cut;
    } finally {
      line.finish();
    }
    return new LogItem({ attributes: out });
  }

  #formatWithInner(
    inner: LogFormatter,
    attributes: UnformattedAttributes,
    additional: LogAttributes,
  ): LogItem {
    const { policy } = getLoggingRuntime();
    const context: Record<string, unknown> = {};
    const traced = putTraceCorrelation(context);
    const requestContext = getRequestContext();
    if (requestContext !== undefined) {
      for (const key in requestContext)
        if (!(traced && TRACE_KEYS.has(key))) context[key] = requestContext[key];
    }
    const merged: LogAttributes = { ...context };
    for (const key in additional) {
      if (!isOwnedByContext(key, traced, requestContext)) setOwn(merged, key, additional[key]);
    }
    const item = inner.formatAttributes(attributes, merged);
    item.prepareForPrint();
    const raw = ownAttributes(item.getAttributes());
    const out: Record<string, unknown> = {};
    const line = policy.startLine();
    try {
      for (const key in raw) line.put(out, key, raw[key]);
      const cut = line.cut;
      if (cut !== undefined) out[TRUNCATED_KEY] = cut;
    } finally {
      line.finish();
    }
    item.setAttributes(out);
    return item;
  }
}
