import type { LookoutErrorCode } from '../errors/index.js';
import { getProcessEnv, readEnv } from '../runtime/env.js';
import { createStdioWriter } from '../runtime/write-stdio.js';

/** Diagnostic levels, the same names OTEL_LOG_LEVEL accepts (lower-cased). */
export const DIAG_LEVELS = {
  none: 0,
  error: 1,
  warn: 2,
  info: 3,
  debug: 4,
  verbose: 5,
  all: 6,
} as const;

export type DiagLevel = keyof typeof DIAG_LEVELS;

type Writer = (line: string) => void;

interface DiagnosticsState {
  level: number;
  write: Writer;
  /** Keys already reported by `warnOnce` / `errorOnce`. */
  reported: Set<string>;
  /** How many times each key happened, reported or not: the "counted" half of decision 4. */
  counts: Map<string, number>;
}

// Writes straight to stderr rather than through `console`: on Lambda the runtime patches
// console, and the app may have replaced it; Lookout's own diagnostics must not depend on either.
// A failed write has nowhere to be reported: the diagnostic is dropped, the app keeps running.
const writeToStderr: Writer = createStdioWriter('stderr', () => {});

/**
 * The level the environment asks for, read when this module loads: warnings printed while
 * `lookout` is imported (an invalid variable seen by the logger made at import) come before
 * `init()` resolves the configuration, and must already honour it. Same precedence as the
 * `diagnostics.level` setting: LOOKOUT_DIAGNOSTICS_LEVEL, then OTEL_LOG_LEVEL; an invalid value
 * is left to the configuration to report.
 */
function levelFromEnvironment(): number {
  const env = getProcessEnv();
  for (const name of ['LOOKOUT_DIAGNOSTICS_LEVEL', 'OTEL_LOG_LEVEL']) {
    const value = readEnv(env, name)?.toLowerCase();
    if (value !== undefined && Object.hasOwn(DIAG_LEVELS, value)) return DIAG_LEVELS[value as DiagLevel];
  }
  return DIAG_LEVELS.warn;
}

const state: DiagnosticsState = {
  level: levelFromEnvironment(),
  write: writeToStderr,
  reported: new Set(),
  counts: new Map(),
};

function emit(
  levelName: Exclude<DiagLevel, 'none' | 'all'>,
  code: LookoutErrorCode | undefined,
  message: string,
) {
  if (DIAG_LEVELS[levelName] > state.level) return;
  const prefix = code === undefined ? '' : `[${code}] `;
  try {
    state.write(`lookout ${levelName.toUpperCase()} ${prefix}${message}\n`);
  } catch {
    // A writer that throws (one a test set) must not turn a diagnostic into a crash; a closed
    // stderr is handled by the writer itself (decision 4).
  }
}

function countAndCheckFirst(key: string): boolean {
  const seen = state.counts.get(key) ?? 0;
  state.counts.set(key, seen + 1);
  if (state.reported.has(key)) return false;
  state.reported.add(key);
  return true;
}

/**
 * Lookout's internal diagnostic logger. It never throws, writes one line per message to
 * stderr, and offers `…Once` variants so a failure that repeats (an unreachable collector)
 * is counted every time but reported once (docs/design.md decision 4).
 */
export const diagnostics = {
  error(code: LookoutErrorCode, message: string): void {
    emit('error', code, message);
  },
  warn(code: LookoutErrorCode, message: string): void {
    emit('warn', code, message);
  },
  info(message: string): void {
    emit('info', undefined, message);
  },
  debug(message: string): void {
    emit('debug', undefined, message);
  },
  /** Reports the first occurrence of `key` at warn level; counts every occurrence. */
  warnOnce(key: string, code: LookoutErrorCode, message: string): void {
    if (countAndCheckFirst(key)) emit('warn', code, message);
  },
  /** Reports the first occurrence of `key` at error level; counts every occurrence. */
  errorOnce(key: string, code: LookoutErrorCode, message: string): void {
    if (countAndCheckFirst(key)) emit('error', code, message);
  },
  /** How many times each once-key has happened (including the first). */
  counts(): ReadonlyMap<string, number> {
    return new Map(state.counts);
  },
  setLevel(level: DiagLevel): void {
    state.level = DIAG_LEVELS[level];
  },
  isEnabled(level: Exclude<DiagLevel, 'none' | 'all'>): boolean {
    return DIAG_LEVELS[level] <= state.level;
  },
  /** Replaces the output (tests) and clears once-state; returns a function that restores it. */
  captureForTesting(write: Writer): () => void {
    const previous = { ...state, reported: state.reported, counts: state.counts };
    state.write = write;
    state.reported = new Set();
    state.counts = new Map();
    return () => {
      state.write = previous.write;
      state.reported = previous.reported;
      state.counts = previous.counts;
      state.level = previous.level;
    };
  },
};

// Errors already reported by the component that saw them first. The OpenTelemetry SDK passes
// the same error object on to its global error handler; reporting it again would break the
// one-report-per-problem rule (docs/design.md decision 4).
const reportedErrors = new WeakSet<object>();

/** Marks an error as reported, so later handlers only count it. */
export function markReported(error: unknown): void {
  if (error !== null && typeof error === 'object') reportedErrors.add(error);
}

/** Whether `markReported` was called for this error. */
export function wasReported(error: unknown): boolean {
  return error !== null && typeof error === 'object' && reportedErrors.has(error);
}

/**
 * Turns anything thrown into a one-line description for a diagnostic. Never throws: it runs in
 * the catch blocks that keep a failure away from the app, and what was thrown may be a value
 * whose getters or `toString` throw.
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return String(error);
  } catch {
    return 'a value that cannot be described';
  }
}
