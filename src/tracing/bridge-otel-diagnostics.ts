import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { globalErrorHandler, setGlobalErrorHandler } from '@opentelemetry/core';
import { SETTINGS } from '../config/index.js';
import type { DiagLevel } from '../diag/index.js';
import { describeError, diagnostics, wasReported } from '../diag/index.js';
import { ERROR_CODES, type LookoutErrorCode } from '../errors/index.js';

const OTEL_LEVELS: Record<DiagLevel, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

function format(message: string, args: unknown[]): string {
  const extra = args
    .map((arg) => (arg instanceof Error ? describeError(arg) : typeof arg === 'string' ? arg : ''))
    .filter(Boolean);
  return [message, ...extra].join(' ').slice(0, 500);
}

// Lookout validates every variable in its settings table and reports a bad value itself
// (LOOKOUT_ENV_INVALID). The SDK re-reads some of them for its own defaults even when Lookout
// passes explicit values, and would report the same bad value a second time.
const VARIABLES_LOOKOUT_VALIDATES = new Set(
  SETTINGS.flatMap((setting) =>
    (setting.standard ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.name)),
  ),
);

function aboutValidatedVariable(message: string): boolean {
  const variable = /\b(OTEL_[A-Z0-9_]+)\b/.exec(message)?.[1];
  return variable !== undefined && VARIABLES_LOOKOUT_VALIDATES.has(variable);
}

// Trace and span ids, which differ on every request: a message naming one (a span an
// instrumentation ends twice, an operation on an ended span) is one problem all the same.
const IDS = /\b[0-9a-f]{16,32}\b/gi;

// Messages are keyed by their first words so that one repeating problem (an unreachable
// collector logs on every export) is reported once and counted (docs/design.md decision 4).
function onceKey(message: string): string {
  return `otel:${message.replace(IDS, '<id>').slice(0, 60)}`;
}

// An instrumentation warns "Module pg has been loaded before @opentelemetry/instrumentation-pg
// so it might not work" on enabling; Lookout reports the same fact itself, with the fix
// (report-loaded-before-init.ts), so the upstream line would be a second one.
const LOADED_BEFORE = /\bModule \S+ has been loaded before /;

// The metrics SDK's reader logs an export that ran out of time (OTEL_METRIC_EXPORT_TIMEOUT) as a
// diagnostic rather than through the error handler: it is a failed export, not an internal
// error, and its code says what to check (docs/errors.md).
const EXPORT_TIMED_OUT = /\bexport timed out\b/;

/**
 * The error a copy of @opentelemetry/core Lookout does not bundle (the logs SDK, an optional peer,
 * uses the app's) reports through its default global error handler, which logs the error as
 * JSON (`{"stack":…,"message":…,"name":…}`) with diag.error: `Error: message`, or undefined for
 * any other message. Reported as Lookout's own handler reports one (bridgeOtelDiagnostics below),
 * not as an internal error with its stack.
 */
function fromDefaultErrorHandler(message: string): string | undefined {
  if (!message.startsWith('{"')) return undefined;
  try {
    const error = JSON.parse(message) as { name?: unknown; message?: unknown } | null;
    if (typeof error?.message !== 'string') return undefined;
    return `${typeof error.name === 'string' ? error.name : 'Error'}: ${error.message}`;
  } catch {
    return undefined;
  }
}

/** Most distinct OpenTelemetry messages reported, each once (see reportOnce). */
const MAX_DISTINCT_MESSAGES = 100;
const OVERFLOW_KEY = 'otel:…';
// The keys of the distinct messages reported since the bridge was set up.
const seen = new Set<string>();

/**
 * Reports each distinct message once, and counts it every time. The SDK puts in its messages
 * what the app or a client chose (an attribute's key: `Invalid attribute value set for key: …`
 * for every key of a request body set as span attributes; a span's name; an exception's text),
 * and each distinct message would be one more line on stderr and one more key kept for the life
 * of the process (docs/design.md decision 4). Past MAX_DISTINCT_MESSAGES, new messages are
 * counted under one key, reported once, saying so.
 */
function reportOnce(
  report: typeof diagnostics.warnOnce,
  message: string,
  code: LookoutErrorCode,
  text: string,
): void {
  let key = onceKey(message);
  if (!seen.has(key)) {
    if (seen.size < MAX_DISTINCT_MESSAGES) seen.add(key);
    else key = OVERFLOW_KEY;
  }
  report(
    key,
    code,
    key === OVERFLOW_KEY ? `${text} (past 100 distinct messages; new ones are counted, not reported)` : text,
  );
}

const logger: DiagLogger = {
  error: (message, ...args) => {
    if (aboutValidatedVariable(message)) return;
    const handled = typeof message === 'string' ? fromDefaultErrorHandler(message) : undefined;
    if (handled !== undefined) {
      reportOnce(
        diagnostics.errorOnce,
        handled,
        ERROR_CODES.EXPORT_FAILED,
        `OpenTelemetry: ${handled}. Further occurrences are counted, not reported.`,
      );
      return;
    }
    const code = EXPORT_TIMED_OUT.test(message) ? ERROR_CODES.EXPORT_FAILED : ERROR_CODES.INTERNAL;
    reportOnce(diagnostics.errorOnce, message, code, `OpenTelemetry: ${format(message, args)}`);
  },
  warn: (message, ...args) => {
    // A component logger passes its namespace as the message and the text as an argument.
    if (aboutValidatedVariable(message) || LOADED_BEFORE.test(format(message, args))) return;
    reportOnce(
      diagnostics.warnOnce,
      message,
      ERROR_CODES.INTERNAL,
      `OpenTelemetry: ${format(message, args)}`,
    );
  },
  info: (message, ...args) => diagnostics.info(`OpenTelemetry: ${format(message, args)}`),
  debug: (message, ...args) => diagnostics.debug(`OpenTelemetry: ${format(message, args)}`),
  verbose: (message, ...args) => diagnostics.debug(`OpenTelemetry: ${format(message, args)}`),
};

/**
 * Where the packages the build puts in files of their own (the metrics SDK, the OTLP exporters,
 * the instrumentations) find the error handler set here: each file bundles its own copy of
 * @opentelemetry/core, whose handler would otherwise be the default one (scripts/build.mjs,
 * docs/decisions/0055-start-up-loads-what-it-starts.md).
 */
const SHARED_ERROR_HANDLER = Symbol.for('lookout.otel-global-error-handler');

/**
 * Routes the OpenTelemetry SDK's own diagnostics and its global error handler through
 * Lookout's diagnostic logger, so every message is one line on stderr, reported once.
 */
export function bridgeOtelDiagnostics(level: DiagLevel): void {
  seen.clear();
  diag.setLogger(logger, { logLevel: OTEL_LEVELS[level], suppressOverrideMessage: true });
  (globalThis as { [SHARED_ERROR_HANDLER]?: unknown })[SHARED_ERROR_HANDLER] ??= globalErrorHandler;
  setGlobalErrorHandler((error) => {
    if (wasReported(error)) return;
    const described = describeError(error);
    reportOnce(
      diagnostics.errorOnce,
      described,
      ERROR_CODES.EXPORT_FAILED,
      `OpenTelemetry: ${described}. Further occurrences are counted, not reported.`,
    );
  });
}
