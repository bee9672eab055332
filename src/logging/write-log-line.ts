import { setImmediate as onNextTurn } from 'node:timers';
import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { createStdioWriter, noteTelemetry } from '../runtime/index.js';

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

// Log lines go straight to process.stdout, a failed write reported once under its own code.
const writeToStdout = createStdioWriter('stdout', (error) =>
  diagnostics.errorOnce(
    'log-write',
    ERROR_CODES.LOG_WRITE_FAILED,
    `Writing a log line to stdout failed (${describeError(error)}); log lines are dropped while stdout is unwritable.`,
  ),
);

// Lines held until the end of the event loop's turn (holdLogLinesPerTurn), newline-terminated.
let holding = false;
let held = '';
let heldWriteScheduled = false;
/** Held text that is written at once instead of at the end of the turn: memory stays bounded. */
const HELD_LIMIT_CHARS = 256 * 1024;

/**
 * Writes the lines held so far, in one write. Called at the end of the turn they were logged
 * in, by a Lambda delivery before the environment may freeze, by `flushLogLines`, and when the
 * process exits (a write to a file, or to a pipe with room in it, completes within the call,
 * as a line written when logged would have). Never throws.
 */
export function writeHeldLogLines(): void {
  if (held === '') return;
  const text = held;
  held = '';
  writeToStdout(text);
}

function writeHeldAtTurnEnd(): void {
  heldWriteScheduled = false;
  writeHeldLogLines();
}

/**
 * From now on, lines are written at the end of the event loop's turn they were logged in, all
 * of that turn's lines in one write, instead of one write each at once. For a Lambda function
 * that answers first with `lambda.logLinesAfterResponse` on
 * (docs/decisions/0075-lambda-log-lines-after-the-response.md): the runtime posts an
 * invocation's response within the turn its handler returns in, so the line's system call moves
 * after the response, and a handler that waits on I/O has its lines written when it starts
 * waiting. A handler that blocks the event loop until it is stopped loses that turn's lines.
 * Never undone: a process that holds lines is a Lambda function's.
 */
export function holdLogLinesPerTurn(): void {
  if (holding) return;
  holding = true;
  process.on('exit', writeHeldLogLines);
}

/**
 * Writes one log line to process.stdout. Straight to the stream, not through `console`: on
 * Lambda the runtime replaces console with a writer that wraps each message in its own JSON
 * envelope when the function uses the JSON log format, and an app may replace console too.
 */
export function writeLogLine(line: string): void {
  noteTelemetry();
  if (capture !== undefined) capture(line);
  else if (!holding) writeToStdout(`${line}\n`);
  else {
    held += `${line}\n`;
    if (held.length >= HELD_LIMIT_CHARS) writeHeldLogLines();
    else if (!heldWriteScheduled) {
      heldWriteScheduled = true;
      // Not the global: the Lambda extension's registration may hold that one back.
      onNextTurn(writeHeldAtTurnEnd);
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
  writeHeldLogLines();
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
