import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { noteTelemetry } from '../runtime/index.js';

type LineWriter = (line: string) => void;

let capture: LineWriter | undefined;
// Sees every line written, after it is written: the OTLP log export (logging/otlp/).
let tap: LineWriter | undefined;

/** Installs (or, with `undefined`, removes) what sees every line written. @internal */
export function setLogLineTap(writer: LineWriter | undefined): void {
  tap = writer;
}

function callTap(line: string): void {
  if (tap === undefined) return;
  try {
    tap(line);
  } catch (error) {
    diagnostics.errorOnce(
      'log-tap',
      ERROR_CODES.INTERNAL,
      `Exporting a log line failed: ${describeError(error)}`,
    );
  }
}

function ignoreError(): void {}

/**
 * Called after each write. A failed write (EPIPE: stdout closed by the reader) is followed by
 * an 'error' event on process.stdout, which crashes the process when nobody listens; a
 * one-shot listener is added for that event only, as Node's own console does, so the app's
 * own handling of stdout errors is unchanged (DESIGN decision 4).
 */
function afterWrite(error?: Error | null): void {
  if (error === undefined || error === null) return;
  if (process.stdout.listenerCount('error') === 0) process.stdout.once('error', ignoreError);
  diagnostics.errorOnce(
    'log-write',
    ERROR_CODES.LOG_WRITE_FAILED,
    `Writing a log line to stdout failed (${describeError(error)}); log lines are dropped while stdout is unwritable.`,
  );
}

/**
 * Writes one log line to process.stdout. Straight to the stream, not through `console`: on
 * Lambda the runtime replaces console with a writer that wraps each message in its own JSON
 * envelope when the function uses the JSON log format, and an app may replace console too.
 */
export function writeLogLine(line: string): void {
  noteTelemetry();
  if (capture !== undefined) capture(line);
  else {
    const stdout = process.stdout;
    if (!stdout.destroyed) {
      try {
        stdout.write(`${line}\n`, afterWrite);
      } catch (error) {
        afterWrite(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
  callTap(line);
}

/**
 * Resolves once every line written so far has been handed to the operating system. Writes to
 * a pipe are asynchronous on Linux and macOS (Node buffers them while the reader is slow), so
 * a process that exits right after logging could lose its last lines without this wait. An
 * empty write's callback runs after every earlier write: writes complete in order.
 */
export function flushLogLines(): Promise<void> {
  const stdout = process.stdout;
  if (capture !== undefined || stdout.destroyed || stdout.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      stdout.write('', () => resolve());
    } catch {
      resolve();
    }
  });
}

/** Sends log lines to `write` instead of stdout (tests); returns a function that restores. */
export function captureLogLinesForTesting(write: LineWriter): () => void {
  const previous = capture;
  capture = write;
  return () => {
    capture = previous;
  };
}
