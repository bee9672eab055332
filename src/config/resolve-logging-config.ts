import { LookoutConfigError } from '../errors/index.js';
import { type Env, readEnv } from '../runtime/index.js';
import type { LogCorrelationTarget, LogLevelName, RedactionRuleName } from './options.js';
import { parseRedactionPath, REDACTION_PATH_SYNTAX } from './parse-redaction-path.js';
import { type LogBufferOptions, resolveLogBuffer } from './resolve-log-buffer.js';
import type { SettingPath, SettingValue } from './settings/index.js';

/** A user pattern, kept as source and flags so that freezing the Config freezes no RegExp. */
export interface RedactionPatternSource {
  readonly source: string;
  readonly flags: string;
}

/** The resolved logging configuration (part of Config). */
export interface LoggingConfig {
  /** False when `enabled` or `logging.enabled` is false: the logger writes nothing. */
  readonly enabled: boolean;
  /** The level in force: Lambda's log-level filter when set, else `requestedLevel` (as in Powertools). */
  readonly level: Exclude<LogLevelName, 'FATAL'>;
  /** The level the other settings asked for, before Lambda's filter. */
  readonly requestedLevel: Exclude<LogLevelName, 'FATAL'>;
  /** Lambda's application log-level filter (AWS_LAMBDA_LOG_LEVEL), when set. */
  readonly lambdaLogLevel: Exclude<LogLevelName, 'FATAL'> | undefined;
  /**
   * Whether Lambda runs invocations concurrently in this environment (AWS_LAMBDA_MAX_CONCURRENCY
   * set): Powertools then keeps a logger's level per invocation, so it cannot be cached.
   */
  readonly levelPerInvocation: boolean;
  readonly sampleRate: number;
  readonly pretty: boolean;
  /** Whether `wrap()` and `middy()` log each invocation's event (POWERTOOLS_LOGGER_LOG_EVENT). */
  readonly logEvent: boolean;
  readonly maxDepth: number;
  readonly maxStringLength: number;
  /** Values walked per line before it is cut (docs/decisions/0015-log-line-budgets.md). */
  readonly maxLineValues: number;
  /** Bytes per line before it is cut (docs/decisions/0015-log-line-budgets.md). */
  readonly maxLineBytes: number;
  readonly redaction: {
    readonly censor: string;
    readonly disabledRules: readonly RedactionRuleName[];
    readonly keys: readonly string[];
    readonly keepKeys: readonly string[];
    /** Only the paths that parsed; a bad one from the environment is dropped with a warning. */
    readonly paths: readonly string[];
    readonly patterns: readonly RedactionPatternSource[];
  };
  /** Powertools' log buffering (`logging.logBufferOptions`), when turned on. */
  readonly logBuffer: Readonly<LogBufferOptions> | undefined;
  /** Loggers of the app that get the active span's ids (set by resolveConfig). */
  readonly correlation: readonly LogCorrelationTarget[];
}

/** Numeric order of levels, the same as Powertools' LogLevelThreshold. */
const LEVEL_ORDER = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;

/** Lambda calls it FATAL, Powertools CRITICAL. */
function canonicalLevel(level: LogLevelName): Exclude<LogLevelName, 'FATAL'> {
  return level === 'FATAL' ? 'CRITICAL' : level;
}

function readLambdaLogLevel(env: Env): Exclude<LogLevelName, 'FATAL'> | undefined {
  const raw = readEnv(env, 'AWS_LAMBDA_LOG_LEVEL')?.toUpperCase();
  if (raw === 'FATAL') return 'CRITICAL';
  return raw !== undefined && raw in LEVEL_ORDER ? (raw as keyof typeof LEVEL_ORDER) : undefined;
}

const PATTERNS_OPTION = 'logging.redaction.patterns';

/**
 * Validates `logging.redaction.patterns`, which the settings table cannot hold (RegExp values
 * exist only in code). Throws LookoutConfigError naming the option, like every invalid option.
 */
function validatePatterns(value: unknown): RedactionPatternSource[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new LookoutConfigError({ option: PATTERNS_OPTION, value, accepted: 'an array of RegExp' });
  }
  return value.map((pattern: unknown, index) => {
    if (!(pattern instanceof RegExp)) {
      throw new LookoutConfigError({
        option: `${PATTERNS_OPTION}[${index}]`,
        value: pattern,
        accepted: 'a RegExp',
      });
    }
    // A pattern that matches the empty string would put the censor text between every two
    // characters of every string; it is certainly a mistake.
    const probe = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    if (probe.test('')) {
      throw new LookoutConfigError({
        option: `${PATTERNS_OPTION}[${index}]`,
        value: pattern.toString(),
        accepted: 'a RegExp that cannot match the empty string',
      });
    }
    return { source: pattern.source, flags: pattern.flags };
  });
}

/** What resolve-config.ts hands over: typed reads of the table's values and their sources. */
export interface LoggingConfigInput {
  readonly get: <Path extends SettingPath>(path: Path) => SettingValue<Path>;
  readonly source: (path: string) => string;
  readonly enabled: boolean;
  readonly options: Record<string, unknown>;
  readonly env: Env;
  readonly warn: (variable: string, message: string) => void;
}

function readPatternsOption(options: Record<string, unknown>): unknown {
  const logging = options.logging as { redaction?: { patterns?: unknown } } | undefined;
  return logging?.redaction?.patterns;
}

/**
 * Builds `Config.logging` from the table's values, validates what the table cannot, and applies
 * Lambda's log-level filter the way Powertools' Logger does:
 *
 * 1. `AWS_LAMBDA_LOG_LEVEL` (the function's log-level filter, Advanced Logging Controls), when
 *    set to a level, is the level, whatever else asks for one: more verbose levels would be
 *    dropped by Lambda, and a less verbose one gives way to the filter an operator set;
 * 2. otherwise option > LOOKOUT_LOG_LEVEL > POWERTOOLS_LOG_LEVEL > LOG_LEVEL > INFO.
 *
 * `requestedLevel` keeps what step 2 found, so that a more verbose request can be reported.
 */
export function resolveLoggingConfig(input: LoggingConfigInput): LoggingConfig {
  const { get } = input;
  const requestedLevel = canonicalLevel(get('logging.level'));
  const lambdaLogLevel = readLambdaLogLevel(input.env);
  const level = lambdaLogLevel ?? requestedLevel;

  const paths: string[] = [];
  for (const path of get('logging.redaction.paths')) {
    if (parseRedactionPath(path) !== undefined) {
      paths.push(path);
      continue;
    }
    const source = input.source('logging.redaction.paths');
    if (source === 'option') {
      throw new LookoutConfigError({
        option: 'logging.redaction.paths',
        value: path,
        accepted: REDACTION_PATH_SYNTAX,
      });
    }
    input.warn(
      source,
      `${source}: ignored the redaction path "${path.slice(0, 80)}" (not ${REDACTION_PATH_SYNTAX}).`,
    );
  }

  return {
    enabled: input.enabled && get('logging.enabled'),
    level,
    requestedLevel,
    lambdaLogLevel,
    levelPerInvocation: readEnv(input.env, 'AWS_LAMBDA_MAX_CONCURRENCY') !== undefined,
    sampleRate: get('logging.sampleRate'),
    pretty: get('logging.pretty'),
    logEvent: get('logging.logEvent'),
    maxDepth: get('logging.maxDepth'),
    maxStringLength: get('logging.maxStringLength'),
    maxLineValues: get('logging.maxLineValues'),
    maxLineBytes: get('logging.maxLineBytes'),
    redaction: {
      censor: get('logging.redaction.censor'),
      disabledRules: get('logging.redaction.disabledRules'),
      keys: get('logging.redaction.keys'),
      keepKeys: get('logging.redaction.keepKeys'),
      paths,
      patterns: validatePatterns(readPatternsOption(input.options)),
    },
    logBuffer: resolveLogBuffer(input.options),
    correlation: get('logging.correlation'),
  };
}

export { LEVEL_ORDER as LOG_LEVEL_ORDER };
