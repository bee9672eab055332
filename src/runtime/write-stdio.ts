/** Writes text to one of the process's standard streams; never throws. */
export type StdioWriter = (text: string) => void;

/** The standard streams Lookout writes to: telemetry to stdout, its own diagnostics to stderr. */
export type StdioStreamName = 'stdout' | 'stderr';

function ignoreError(): void {}

/**
 * Keeps a failed write from crashing the process. A write that fails (EPIPE: the reader closed
 * the stream) destroys the stream, which then emits 'error' on a later tick, after the write's
 * callback; with no listener, that event is thrown as an uncaught exception. A one-shot no-op
 * listener is added for it, as Node's own console does, only when the app has none of its own,
 * so the app's handling of stream errors is unchanged (docs/design.md decision 4).
 */
function guardStreamErrors(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') === 0) stream.once('error', ignoreError);
}

/**
 * Most text a standard stream may hold unwritten: about 16 MiB (Node counts a string's
 * characters). Writes to a file or a terminal complete within the call; to a pipe or a socket
 * Node holds in memory what the reader has not taken yet, and a reader that stalls (a blocked
 * log driver, a paused pipe) would have every line held for as long as it stalls (docs/design.md
 * decision 4). A reader that is merely slow takes a burst well below this.
 */
const BACKLOG_LIMIT_CHARS = 16 * 1024 * 1024;

let backlogError: Error | undefined;

/**
 * A writer of text to process.stdout or process.stderr (log lines, EMF documents, Lookout's
 * diagnostics): straight to the stream, never through `console` (which Lambda's runtime and the
 * app may replace), with nothing made per write. A write that fails, at once or in its callback,
 * is kept from crashing the app and handed to `onFailure`, which reports it; once the stream is
 * destroyed, writes are dropped without a word. While the stream holds more than 16 MiB
 * unwritten, each write is dropped whole (never part of a line) and handed to `onFailure` as a
 * failure of its own. Each caller reports its own failure, so that a user reading the diagnostic
 * knows which telemetry is being lost.
 *
 * @example
 * const writeLine = createStdioWriter('stdout', (error) => reportOnce(error));
 * writeLine('{"message":"hello"}\n');
 */
export function createStdioWriter(name: StdioStreamName, onFailure: (error: Error) => void): StdioWriter {
  const afterWrite = (error?: Error | null): void => {
    if (error === undefined || error === null) return;
    guardStreamErrors(process[name]);
    onFailure(error);
  };
  return (text) => {
    // Read per write: process.stdout and process.stderr are created on first use.
    const stream = process[name];
    if (stream.destroyed) return;
    if (stream.writableLength > BACKLOG_LIMIT_CHARS) {
      backlogError ??= new Error('its reader is more than 16 MiB behind');
      onFailure(backlogError);
      return;
    }
    try {
      stream.write(text, afterWrite);
    } catch (error) {
      afterWrite(error instanceof Error ? error : new Error(String(error)));
    }
  };
}
