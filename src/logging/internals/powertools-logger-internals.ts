// The one module that reaches members Powertools Logger marks private in its types
// (docs/decisions/0051-powertools-logger-internals.md). Every other file uses the functions
// below; `npm run lint` fails when one names these members itself (scripts/lib/private-members.mjs).
// Each member has a contract test against the pinned version
// (test/unit/internals/powertools-logger-internals.test.ts).
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';

/** What Powertools prints a line with: one method per level, each taking the line. */
export interface LoggerConsole {
  readonly log: (line: string) => void;
  readonly trace: (line: string) => void;
  readonly debug: (line: string) => void;
  readonly info: (line: string) => void;
  readonly warn: (line: string) => void;
  readonly error: (line: string) => void;
  readonly critical: (line: string) => void;
}

/** The members, as they are at runtime on the pinned version (plain properties and methods). */
interface LoggerInternals {
  setOptions(options: ConstructorOptions): unknown;
  console: unknown;
  readonly powertoolsLogData: Readonly<Record<string, unknown>>;
  logEvent: boolean;
  logIndentation: number;
}

interface LoggerPrototypeInternals {
  setLogEvent(this: Logger): void;
  awsLogLevelShortCircuit(this: Logger, selectedLogLevel?: string): boolean;
  getLogLevelNameFromNumber(this: Logger, level: number): string | undefined;
  setConsole(this: Logger): void;
  setLogIndentation(this: Logger): void;
}

function internals(logger: Logger): LoggerInternals {
  return logger as unknown as LoggerInternals;
}

const BASE = Logger.prototype as unknown as LoggerPrototypeInternals;

function replaceMethod<Name extends keyof LoggerPrototypeInternals>(
  target: object,
  name: Name,
  value: LoggerPrototypeInternals[Name],
): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true });
}

/**
 * Re-applies constructor options to a logger that exists, through Powertools' own constructor
 * path (`setOptions`), so that level, sampling, service and buffer stay consistent.
 */
export function applyLoggerOptions(logger: Logger, options: ConstructorOptions): void {
  internals(logger).setOptions(options);
}

/** Points the console Powertools prints (and flushes its log buffer) through at `console`. */
export function setLoggerConsole(logger: Logger, console: LoggerConsole): void {
  internals(logger).console = console;
}

/**
 * The service, environment, sampling rate and region every line of `logger` carries
 * (`powertoolsLogData`): what Powertools hands its formatter before a line's own attributes.
 */
export function getLoggerLogData(logger: Logger): Readonly<Record<string, unknown>> {
  return internals(logger).powertoolsLogData;
}

/**
 * Replaces how loggers of `target` (a subclass's prototype) decide whether to log the event
 * (`setLogEvent`, run by the constructor and `setOptions`): from `readLogEvent` instead of
 * Powertools' own read of POWERTOOLS_LOGGER_LOG_EVENT, which throws on a bad value.
 */
export function replaceLogEventSetting(target: object, readLogEvent: () => boolean): void {
  replaceMethod(target, 'setLogEvent', function setLogEvent(this: Logger): void {
    internals(this).logEvent = readLogEvent();
  });
}

/**
 * Wraps Powertools' `awsLogLevelShortCircuit` (AWS_LAMBDA_LOG_LEVEL overriding every other
 * source of the level) for loggers of `target`: when `applies()` is false the override is
 * skipped, as if the variable were not set.
 */
export function wrapLambdaLogLevelOverride(target: object, applies: () => boolean): void {
  const base = BASE.awsLogLevelShortCircuit;
  replaceMethod(
    target,
    'awsLogLevelShortCircuit',
    function awsLogLevelShortCircuit(this: Logger, selectedLogLevel?: string): boolean {
      if (!applies()) return false;
      return base.call(this, selectedLogLevel);
    },
  );
}

/**
 * Replaces Powertools' scan of its level table for a level's name
 * (`getLogLevelNameFromNumber`, run on every line) for loggers of `target` with a look-up in
 * `names`, falling back to Powertools' own for a number `names` does not hold.
 */
export function replaceLevelNameLookup(target: object, names: Readonly<Record<number, string>>): void {
  const base = BASE.getLogLevelNameFromNumber;
  replaceMethod(
    target,
    'getLogLevelNameFromNumber',
    function getLogLevelNameFromNumber(this: Logger, level: number): string | undefined {
      return names[level] ?? base.call(this, level);
    },
  );
}

/**
 * Replaces how loggers of `target` (a subclass's prototype) get their console (`setConsole`,
 * run by the constructor and `setOptions`): `console` instead of the `Console` on
 * process.stdout and process.stderr that Powertools builds for each logger (and each child),
 * which a subclass printing its lines itself never uses
 * (docs/decisions/0069-no-unused-powertools-consoles.md).
 */
export function replaceConsoleSetup(target: object, console: LoggerConsole): void {
  replaceMethod(target, 'setConsole', function setConsole(this: Logger): void {
    internals(this).console = console;
  });
}

/** Powertools' `LogJsonIndent.PRETTY` (not exported by the package): the indent in dev mode. */
const PRETTY_INDENT = 4;

/**
 * Replaces how loggers of `target` (a subclass's prototype) choose their JSON indent
 * (`setLogIndentation`, run by the constructor and `setOptions`): pretty when `isDevMode()`,
 * as Powertools decides it. Powertools asks its own `isDevMode()`, which throws and catches an
 * error whenever POWERTOOLS_DEV is unset, on every logger and child made
 * (docs/decisions/0069-no-unused-powertools-consoles.md).
 */
export function replaceIndentationSetup(target: object, isDevMode: () => boolean): void {
  replaceMethod(target, 'setLogIndentation', function setLogIndentation(this: Logger): void {
    if (isDevMode()) internals(this).logIndentation = PRETTY_INDENT;
  });
}
