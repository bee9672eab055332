import { Logger, type LogItem, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type {
  ConstructorOptions,
  CustomJsonReplacerFn,
  LogAttributes,
  LogItemExtraInput,
  LogItemMessage,
  LogLevel,
  UnformattedAttributes,
} from '@aws-lambda-powertools/logger/types';
import { readPowertoolsBoolean } from '../config/index.js';
import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { getProcessEnv } from '../runtime/index.js';
import { putTraceCorrelation, TRACE_KEYS } from './correlation.js';
import {
  applyLoggerOptions,
  getLoggerLogData,
  type LoggerConsole,
  replaceConsoleSetup,
  replaceIndentationSetup,
  replaceLevelNameLookup,
  replaceLogEventSetting,
  wrapLambdaLogLevelOverride,
} from './internals/powertools-logger-internals.js';
import { getLoggingGeneration, getLoggingRuntime, type LoggingRuntime } from './logging-runtime.js';
import { LookoutLogFormatter, TRUNCATED_KEY } from './lookout-log-formatter.js';
import { isErrorOfAnotherRealm, MARKERS } from './redaction/index.js';
import { getRequestContext } from './request-context.js';
import { writeLogLine } from './write-log-line.js';

/** The options Lookout's configuration decides, unless a child logger was given its own. */
type LevelOptions = Pick<
  ConstructorOptions,
  'logLevel' | 'serviceName' | 'environment' | 'sampleRateValue' | 'logBufferOptions'
>;

// Each level's name by its number, from Powertools' public level table, read once: the direct
// line and the fallback line name a level without Powertools' per-line scan of the table.
const LEVEL_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(LogLevelThreshold).map(([name, level]) => [level, name]),
);

function optionsFromRuntime(runtime: LoggingRuntime): LevelOptions {
  const { logging } = runtime;
  const options: LevelOptions = {
    logLevel: logging.enabled ? logging.level : 'SILENT',
    serviceName: runtime.serviceName,
    environment: runtime.environment,
    sampleRateValue: logging.enabled ? logging.sampleRate : 0,
  };
  // init()'s log buffering, passed to Powertools as its own option (a copy: Config is frozen).
  if (logging.logBuffer !== undefined) options.logBufferOptions = { ...logging.logBuffer };
  return options;
}

function pickLevelOptions(options: ConstructorOptions): LevelOptions {
  const picked: LevelOptions = {};
  if (options.logLevel !== undefined) picked.logLevel = options.logLevel;
  if (options.serviceName !== undefined) picked.serviceName = options.serviceName;
  if (options.environment !== undefined) picked.environment = options.environment;
  if (options.sampleRateValue !== undefined) picked.sampleRateValue = options.sampleRateValue;
  return picked;
}

/** Every logger formats through Lookout's formatter; a custom one is wrapped inside it. */
function withLookoutFormatter(options: ConstructorOptions): ConstructorOptions {
  const given = options.logFormatter;
  if (given instanceof LookoutLogFormatter) return options;
  return { ...options, logFormatter: new LookoutLogFormatter(given) } as ConstructorOptions;
}

// Stands in for Powertools' console: every level goes to stdout, one line per entry.
const STDOUT_CONSOLE: LoggerConsole = Object.freeze({
  log: writeLogLine,
  trace: writeLogLine,
  debug: writeLogLine,
  info: writeLogLine,
  warn: writeLogLine,
  error: writeLogLine,
  critical: writeLogLine,
});

/** Keys Powertools drops (with a warning) from a line's attributes: the direct line leaves them to it. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  'level',
  'message',
  'sampling_rate',
  'service',
  'timestamp',
]);

/**
 * The unformatted attributes of a direct line: what Powertools' `createAndPopulateLogItem`
 * hands the formatter, except the invocation's X-Ray id from the environment, which Powertools
 * reads (from the runtime's invoke store or `_X_AMZN_TRACE_ID`) for every line and the
 * formatter uses only when neither the active span nor the request context carried one. Read
 * here, it marks the line as one for Powertools to write instead.
 */
class DirectLineAttributes {
  logLevel: string;
  timestamp: Date;
  message: string;
  /** Set when the formatter asked for the environment's X-Ray id. */
  wantedEnvTraceId = false;

  constructor(logLevel: string, message: string) {
    this.logLevel = logLevel;
    this.timestamp = new Date();
    this.message = message;
  }

  get xRayTraceId(): undefined {
    this.wantedEnvTraceId = true;
    return undefined;
  }
}

/**
 * The smallest line that still says what happened, for when formatting a line failed (a
 * custom replacer threw, the input was not a message) or the line came out over the byte
 * budget: level, message, timestamp, service, the trace ids of the active span and the
 * request context, so the line can still be found with its request. Never throws.
 */
function createFallbackLine(
  levelNumber: number,
  message: unknown,
  problem: string,
  problemKey: 'lookout_error' | typeof TRUNCATED_KEY = 'lookout_error',
): string {
  const out: Record<string, unknown> = {
    level: LEVEL_NAMES[levelNumber] ?? 'INFO',
    message: '[log line could not be formatted]',
    timestamp: new Date().toISOString(),
  };
  try {
    const runtime = getLoggingRuntime();
    const { policy } = runtime;
    out.service = runtime.serviceName;
    if (typeof message === 'string') out.message = policy.redactString(message);
    const traced = putTraceCorrelation(out);
    const requestContext = getRequestContext();
    if (requestContext !== undefined) {
      const line = policy.startLine(FALLBACK_RESERVED_BYTES);
      try {
        for (const key in requestContext) {
          if (traced && TRACE_KEYS.has(key)) continue;
          line.put(out, key, requestContext[key]);
        }
      } finally {
        line.finish();
      }
    }
    out[problemKey] = policy.redactString(problem);
  } catch {
    out[problemKey] = problem;
  }
  return JSON.stringify(out);
}

function redactedDescription(error: unknown): string {
  try {
    return getLoggingRuntime().policy.redactString(describeError(error));
  } catch {
    return 'unknown error';
  }
}

function reportFormatFailure(error: unknown): string {
  const description = redactedDescription(error);
  diagnostics.errorOnce(
    'log-format',
    ERROR_CODES.INTERNAL,
    `A log line could not be formatted (${description}); a minimal line was written instead.`,
  );
  return description;
}

// Room kept for the message, timestamp and ids of a fallback line.
const FALLBACK_RESERVED_BYTES = 4096;

/** Reads one property; a getter that throws gives the unreadable marker instead. */
function readProperty(source: object, key: string): unknown {
  try {
    return (source as Record<string, unknown>)[key];
  } catch {
    return MARKERS.unreadable;
  }
}

/**
 * A copy of a log argument whose every own key has been read once, each failure replaced by
 * the unreadable marker: Powertools spreads arguments into the line itself, so a getter that
 * throws there would otherwise lose the whole line. An argument whose keys cannot even be
 * listed (a proxy whose trap throws) becomes one `lookout_error` entry.
 */
function readableCopy(source: object): Record<string, unknown> {
  let keys: string[];
  try {
    keys = Object.keys(source);
  } catch (error) {
    return { lookout_error: `a log argument could not be read (${describeError(error)})` };
  }
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: readProperty(source, key),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = readProperty(source, key);
    }
  }
  return copy;
}

function readableInput(input: LogItemMessage): LogItemMessage {
  return input !== null && typeof input === 'object' ? (readableCopy(input) as LogItemMessage) : input;
}

function readableExtraInput(extraInput: LogItemExtraInput): LogItemExtraInput {
  return extraInput.map((item) =>
    item !== null && typeof item === 'object' && !(item instanceof Error) ? readableCopy(item) : item,
  ) as LogItemExtraInput;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Whether an array longer than `limit` is inside the value, where Powertools' deepMerge goes. */
function hasLongArray(value: unknown, limit: number, seen: Set<object>): boolean {
  if (value === null || typeof value !== 'object' || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) {
    if (value.length > limit) return true;
    for (let index = 0; index < value.length; index += 1)
      if (hasLongArray(value[index], limit, seen)) return true;
    return false;
  }
  if (!isPlainObject(value)) return false;
  for (const key of Object.keys(value))
    if (hasLongArray((value as Record<string, unknown>)[key], limit, seen)) return true;
  return false;
}

/**
 * A copy of the arrays and plain objects in the value, every array cut to `limit` items. Each
 * is copied once, registered before its items are, so that shared and circular references lead
 * to the copy, never back to an uncut array.
 */
function copyBounded(value: unknown, limit: number, copies: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (copies.has(value)) return copies.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    const length = Math.min(value.length, limit);
    for (let index = 0; index < length; index += 1) copy.push(copyBounded(value[index], limit, copies));
    return copy;
  }
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
  copies.set(value, copy);
  for (const key of Object.keys(value)) {
    const item = copyBounded((value as Record<string, unknown>)[key], limit, copies);
    Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/**
 * Keys with every array inside them cut to what a line can write. Powertools copies keys into
 * its stores item by item up to an array's length, and a sparse array claims any length it is
 * given (`slots[index] = id`, the index from a request): at the largest index appendKeys() ran
 * for seconds, then aborted the process. A line writes at most maxLineValues values, so arrays
 * cut one item past that write the same line, cut and marked where it was. Keys without such
 * an array (all but these) are given as they are, after one look at each value.
 */
function boundedKeys<T>(keys: T): T {
  const limit = getLoggingRuntime().logging.maxLineValues + 1;
  if (!hasLongArray(keys, limit, new Set())) return keys;
  return copyBounded(keys, limit, new Map()) as T;
}

/**
 * Gives keys to one of Powertools' key stores (`apply`), which reads every key, nested ones too,
 * when they are given. When that throws (a getter, a proxy trap, a revoked proxy), the keys are
 * given again one at a time (all at once, when `apply` replaces the store), a value that cannot
 * be read as the unreadable marker, so the keys that can be read are kept and nothing is thrown
 * into the app (docs/design.md decision 4).
 */
function applyKeys(attributes: LogAttributes, apply: (keys: LogAttributes) => void, replaces = false): void {
  try {
    apply(boundedKeys(attributes));
    return;
  } catch (error) {
    diagnostics.warnOnce(
      'log-keys',
      ERROR_CODES.INTERNAL,
      `Log keys could not be read (${redactedDescription(error)}); the keys that could not were written as "${MARKERS.unreadable}".`,
    );
  }
  if (attributes === null || typeof attributes !== 'object') return;
  const copy = readableCopy(attributes) as LogAttributes;
  const parts = replaces ? [copy] : Object.keys(copy).map((key) => ({ [key]: copy[key] }));
  for (const part of parts) {
    try {
      apply(boundedKeys(part));
    } catch {
      // Something inside the value throws as well: the key is kept, as the marker.
      apply(Object.fromEntries(Object.keys(part).map((key) => [key, MARKERS.unreadable])));
    }
  }
}

/** Whether a log argument is one Powertools would spread key by key (see unboxArgument). */
const needsUnboxing = (value: unknown): boolean =>
  value instanceof String ||
  ArrayBuffer.isView(value) ||
  value instanceof ArrayBuffer ||
  value instanceof Map ||
  value instanceof Set ||
  (value !== null && typeof value === 'object' && isErrorOfAnotherRealm(value));

/**
 * A log argument Powertools would take for an object of attributes and spread, as what it holds:
 * a String object as its string, binary data as the summary it gets anywhere else in a line
 * (`[Buffer: 25 bytes]`), a Map or Set under `extra`, an Error of another realm under `error`, where the line writes it as it writes one
 * inside a value (an object, pairs or an array, redacted). Spread, a String object gave one key
 * per character and a Buffer or typed array one key per byte, each out of the redaction rules'
 * reach, the message lost, and a 1 MB body cost a second of CPU before the line budget could cut
 * it; a Map or Set has no own keys, so all it held was lost.
 */
function unboxArgument<T>(value: T): T {
  if (value instanceof String) return String.prototype.valueOf.call(value) as T;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
    return getLoggingRuntime().policy.redact(value) as T;
  if (value instanceof Map || value instanceof Set) return { extra: value } as T;
  // An Error of another realm is no `instanceof Error`: given where Powertools puts one.
  if (value !== null && typeof value === 'object' && isErrorOfAnotherRealm(value))
    return { error: value } as T;
  return value;
}

/**
 * A Powertools Logger that writes Lookout's lines: correlated with the active span and the
 * request context, redacted, straight to stdout, and configured by `init()` even when it was
 * created before. The exported `logger` is one; `createChild()` returns more.
 *
 * @example
 * const orders = logger.createChild({ persistentKeys: { component: 'orders' } });
 * orders.info('order created', { orderId });
 */
export class LookoutLogger extends Logger {
  /** The logging generation this logger's settings come from; re-applied when it changes. */
  #generation = -1;
  /** Options a child was created with that override Lookout's configuration. */
  #explicit: LevelOptions = {};
  #constructorOptions: ConstructorOptions = {};
  #replacer: CustomJsonReplacerFn | undefined;
  /** Whether keys or a Lambda context were ever added; Powertools keeps them out of reach. */
  #mayHoldKeys = false;
  /** Lookout's formatter, when it wraps no custom one: the direct line formats through it. */
  #plainFormatter: LookoutLogFormatter | undefined;
  /** Whether the options last applied asked for Powertools' log buffer. */
  #buffered = false;
  /**
   * The level Powertools filters at, kept between the calls that can change it (`setLogLevel`,
   * the debug sampling refresh, options re-applied by `init()`); undefined when it must be read
   * again. Powertools reads `AWS_LAMBDA_MAX_CONCURRENCY` from the environment on every read of
   * its level, which the access log and the direct line paid on every request and line.
   */
  #level: number | undefined;
  /** Lambda runs invocations concurrently: Powertools keeps the level per invocation, never kept here. */
  #levelPerInvocation = false;

  constructor(options: ConstructorOptions = {}) {
    const runtime = getLoggingRuntime();
    const prepared = withLookoutFormatter({
      ...optionsFromRuntime(runtime),
      ...options,
    } as ConstructorOptions);
    super(prepared);
    this.#constructorOptions = prepared;
    this.#replacer = options.jsonReplacerFn;
    this.#mayHoldKeys =
      options.persistentKeys !== undefined ||
      (options as { persistentLogAttributes?: unknown }).persistentLogAttributes !== undefined ||
      options.logFormatter !== undefined ||
      options.jsonReplacerFn !== undefined ||
      options.logBufferOptions !== undefined;
    this.#generation = runtime.generation;
    const formatter = prepared.logFormatter;
    this.#plainFormatter =
      formatter instanceof LookoutLogFormatter && formatter.inner === undefined ? formatter : undefined;
    this.#buffered = prepared.logBufferOptions !== undefined;
    this.#levelPerInvocation = runtime.logging.levelPerInvocation;
  }

  /**
   * Re-applies the configuration when `init()` changed it since this logger last looked.
   * Static so that it can run while the Powertools constructor is still running, before this
   * class's private fields exist (the base constructor calls overridden methods).
   */
  static #sync(logger: LookoutLogger): void {
    if (!(#generation in logger) || logger.#generation === getLoggingGeneration()) return;
    const runtime = getLoggingRuntime();
    // Set first: applying options may log (debug sampling does), which comes back here.
    logger.#generation = runtime.generation;
    const {
      persistentKeys: _keys,
      persistentLogAttributes: _attributes,
      ...kept
    } = logger.#constructorOptions as ConstructorOptions & { persistentLogAttributes?: unknown };
    const applied = {
      ...kept,
      ...optionsFromRuntime(runtime),
      ...logger.#explicit,
    } as ConstructorOptions;
    applyLoggerOptions(logger, applied);
    logger.#level = undefined;
    logger.#levelPerInvocation = runtime.logging.levelPerInvocation;
    logger.#buffered = applied.logBufferOptions !== undefined;
  }

  override get level(): number {
    LookoutLogger.#sync(this);
    // Before this class's fields exist (the base constructor reads it), Powertools answers.
    if (!(#level in this) || this.#levelPerInvocation) return super.level;
    this.#level ??= super.level;
    return this.#level;
  }

  override getLevelName(): Uppercase<LogLevel> {
    LookoutLogger.#sync(this);
    return super.getLevelName();
  }

  override setLogLevel(logLevel: LogLevel): void {
    LookoutLogger.#sync(this);
    try {
      super.setLogLevel(logLevel);
    } finally {
      if (#level in this) this.#level = undefined;
    }
  }

  override refreshSampleRateCalculation(): void {
    LookoutLogger.#sync(this);
    try {
      super.refreshSampleRateCalculation();
    } finally {
      if (#level in this) this.#level = undefined;
    }
  }

  /**
   * Whether every line of this logger is Lookout's plain format: no keys, no Lambda context,
   * no custom formatter, replacer or buffer were ever given to it. Lookout's direct writers
   * (the access-log line) use it to know when they may write the same format themselves
   * (docs/decisions/0007-direct-access-log-line.md).
   * @internal
   */
  isPlain(): boolean {
    // A buffered logger decides per line whether to hold it: only it may write.
    return !this.#mayHoldKeys && getLoggingRuntime().logging.logBuffer === undefined;
  }

  /** Static for the same reason as #sync: the base constructor calls these methods. */
  static #markKeys(logger: LookoutLogger): void {
    if (#mayHoldKeys in logger) logger.#mayHoldKeys = true;
  }

  override appendKeys(attributes: Parameters<Logger['appendKeys']>[0]): void {
    LookoutLogger.#markKeys(this);
    applyKeys(attributes, (keys) => super.appendKeys(keys));
  }

  override appendPersistentKeys(attributes: Parameters<Logger['appendPersistentKeys']>[0]): void {
    LookoutLogger.#markKeys(this);
    applyKeys(attributes, (keys) => super.appendPersistentKeys(keys));
  }

  override addPersistentLogAttributes(attributes: Parameters<Logger['addPersistentLogAttributes']>[0]): void {
    LookoutLogger.#markKeys(this);
    applyKeys(attributes, (keys) => super.addPersistentLogAttributes(keys));
  }

  override setPersistentLogAttributes(attributes: Parameters<Logger['setPersistentLogAttributes']>[0]): void {
    LookoutLogger.#markKeys(this);
    applyKeys(attributes, (keys) => super.setPersistentLogAttributes(keys), true);
  }

  override addContext(context: Parameters<Logger['addContext']>[0]): void {
    LookoutLogger.#markKeys(this);
    super.addContext(context);
  }

  override createChild(options: ConstructorOptions = {}): LookoutLogger {
    LookoutLogger.#sync(this);
    let given = options;
    let child: LookoutLogger;
    try {
      // Powertools merges the child's keys item by item: bounded first, as applyKeys does.
      given = boundedKeys(options);
      child = super.createChild(given) as LookoutLogger;
    } catch (error) {
      // Powertools reads the child's keys, nested ones too, as it merges them: a key that
      // cannot be read would throw into the app. The child is made from the options read once,
      // without its keys, which are then given the way appendPersistentKeys gives them.
      diagnostics.warnOnce(
        'log-keys',
        ERROR_CODES.INTERNAL,
        `Log keys could not be read (${redactedDescription(error)}); the keys that could not were written as "${MARKERS.unreadable}".`,
      );
      const { persistentKeys, persistentLogAttributes, ...rest } = readableCopy(
        options,
      ) as ConstructorOptions & { persistentLogAttributes?: LogAttributes };
      given = rest;
      child = super.createChild(given) as LookoutLogger;
      const keys = persistentKeys ?? persistentLogAttributes;
      if (keys !== undefined) child.appendPersistentKeys(keys);
    }
    child.#explicit = { ...this.#explicit, ...pickLevelOptions(given) };
    return child;
  }

  protected override createLogger(options?: ConstructorOptions): LookoutLogger {
    return new LookoutLogger(options);
  }

  protected override processLogItem(
    logLevel: number,
    input: LogItemMessage,
    extraInput: LogItemExtraInput,
  ): void {
    let message = input;
    let extra = extraInput;
    try {
      LookoutLogger.#sync(this);
      // `instanceof` inside the try: a proxy's getPrototypeOf trap may throw.
      if (needsUnboxing(message) || extra.some(needsUnboxing)) {
        message = unboxArgument(message);
        extra = extra.map(unboxArgument) as LogItemExtraInput;
      }
      // The base constructor logs before this class's fields exist: those lines are Powertools'.
      if (#plainFormatter in this && this.#writeDirectly(logLevel, message, extra)) return;
      super.processLogItem(logLevel, message, extra);
    } catch (error) {
      // Never throw into the app (docs/design.md decision 4). Powertools reads every key of the
      // arguments itself; a getter or proxy trap that throws there is the usual cause, so the
      // line is tried once more from copies read key by key. Only if that fails too (a custom
      // formatter that throws, `logger.info(null)`) a minimal line is written.
      try {
        super.processLogItem(logLevel, readableInput(message), readableExtraInput(extra));
        diagnostics.warnOnce(
          'log-argument',
          ERROR_CODES.INTERNAL,
          `A log argument could not be read (${redactedDescription(error)}); its unreadable values were written as "${MARKERS.unreadable}".`,
        );
      } catch (retryError) {
        writeLogLine(createFallbackLine(logLevel, message, reportFormatFailure(retryError)));
      }
    }
  }

  /**
   * Writes the line without Powertools' per-line machinery when the result is the same: a
   * message and at most one object of attributes, on a logger with no keys, Lambda context,
   * custom formatter, replacer or buffer. What Powertools does per line before formatting (two
   * reads of the X-Ray id from the environment, the level's name found by a scan, the merge of
   * the logger's key stores, the attributes copied through `Object.entries` and checked against
   * the reserved keys one by one) is done here only as far as it can change the line; the line
   * is formatted by the same formatter and printed by the same `printLog`. The Lambda
   * invocation's log line is the hot case (docs/decisions/0013-lambda-invocation-before-the-response.md).
   * Returns false, having written nothing, when the line is Powertools' to write.
   */
  #writeDirectly(logLevel: number, input: LogItemMessage, extraInput: LogItemExtraInput): boolean {
    const formatter = this.#plainFormatter;
    if (formatter === undefined || this.#mayHoldKeys || this.#buffered || typeof input !== 'string')
      return false;
    if (extraInput.length > 1) return false;
    const levelName = LEVEL_NAMES[logLevel];
    if (levelName === undefined) return false;
    // The level as Powertools' processLogItem reads it (debug sampling included).
    if (logLevel < this.level) return true;
    const additional: LogAttributes = {};
    if (extraInput.length === 1) {
      const extra = extraInput[0];
      if (extra === null || typeof extra !== 'object' || extra instanceof Error) return false;
      for (const key of Object.keys(extra)) {
        if (RESERVED_KEYS.has(key)) return false;
        additional[key] = (extra as LogAttributes)[key];
      }
    }
    const data = getLoggerLogData(this);
    if (Object.hasOwn(data, 'xRayTraceId')) return false;
    const attributes = Object.assign(new DirectLineAttributes(levelName, input), data, { message: input });
    const item = formatter.formatAttributes(attributes as unknown as UnformattedAttributes, additional);
    if (attributes.wantedEnvTraceId) return false;
    this.printLog(logLevel, item);
    return true;
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    let line: string;
    const { logging, policy } = getLoggingRuntime();
    try {
      const replacer = #replacer in this ? this.#replacer : undefined;
      // The formatter returns JSON-safe attributes, so no replacer is needed for cycles,
      // Errors or BigInts: V8's fast stringify path applies unless the app gave its own.
      line = JSON.stringify(log.getAttributes(), replacer, logging.pretty ? 4 : undefined);
    } catch (error) {
      let message: unknown;
      try {
        message = log.getAttributes().message;
      } catch {
        message = undefined;
      }
      line = createFallbackLine(logLevel, message, reportFormatFailure(error));
    }
    // The formatter keeps the line within the byte budget; a custom replacer can still grow
    // it. A UTF-8 byte is at most three UTF-16 units, so only long lines are measured.
    if (
      !logging.pretty &&
      line.length * 3 > policy.maxLineBytes &&
      Buffer.byteLength(line) > policy.maxLineBytes
    ) {
      let message: unknown;
      try {
        message = log.getAttributes().message;
      } catch {
        message = undefined;
      }
      line = createFallbackLine(
        logLevel,
        message,
        `line of ${Buffer.byteLength(line)} bytes cut to fit ${policy.maxLineBytes} bytes`,
        TRUNCATED_KEY,
      );
    }
    writeLogLine(line);
  }
}

// Powertools reads POWERTOOLS_LOGGER_LOG_EVENT itself in its constructor and throws on any value
// but `true`/`false`, which would break the app at import (docs/design.md decision 4). Lookout's
// configuration reads the same variable (warning once on a bad value), and every logger takes
// `logEvent` from it, so Powertools' own `logEventIfEnabled()` agrees with `wrap()`/`middy()`.
replaceLogEventSetting(LookoutLogger.prototype, () => getLoggingRuntime().logging.logEvent);

// Powertools lets AWS_LAMBDA_LOG_LEVEL override every other source of the level, in the
// constructor, `setLogLevel()` and debug sampling alike; Lookout resolves the same level
// (config/resolve-logging-config.ts) and keeps that override, with one exception: logging
// turned off stays silent, whatever the filter says.
wrapLambdaLogLevelOverride(LookoutLogger.prototype, () => getLoggingRuntime().logging.enabled);

// Powertools finds a level's name by scanning its level table on every line (a few percent of a
// line's CPU in scenario f). The same answer comes from LEVEL_NAMES directly, falling back to
// Powertools' own for a number it does not hold; a unit test compares the two on every level of
// the pinned version.
replaceLevelNameLookup(LookoutLogger.prototype, LEVEL_NAMES);

// Every logger prints through STDOUT_CONSOLE, set where Powertools sets its console (the
// constructor and setOptions), so Powertools builds no `Console` per logger and per child only
// to have it replaced (docs/decisions/0069-no-unused-powertools-consoles.md).
replaceConsoleSetup(LookoutLogger.prototype, STDOUT_CONSOLE);

// The indent of buffered lines (Powertools' log buffering stores them formatted): pretty in
// Powertools' dev mode, as Powertools decides it, read without the error its own reading throws
// and catches on every logger made while POWERTOOLS_DEV is unset (decision 0069).
replaceIndentationSetup(
  LookoutLogger.prototype,
  () => readPowertoolsBoolean(getProcessEnv(), 'POWERTOOLS_DEV') === true,
);
