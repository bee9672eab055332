/** Writes text to process.stdout; never throws. */
export type StdoutWriter = (text: string) => void;

function ignoreError(): void {}

/**
 * Keeps a failed write from crashing the process. A write that fails (EPIPE: the reader closed
 * stdout) destroys the stream, which then emits 'error' on a later tick, after the write's
 * callback; with no listener, that event is thrown as an uncaught exception. A one-shot no-op
 * listener is added for it, as Node's own console does, only when the app has none of its own,
 * so the app's handling of stdout errors is unchanged (docs/design.md decision 4).
 */
function guardStdoutErrors(): void {
  if (process.stdout.listenerCount('error') === 0) process.stdout.once('error', ignoreError);
}

/**
 * A writer of text to process.stdout (log lines, EMF documents): straight to the stream, with
 * nothing made per write. A write that fails, at once or in its callback, is kept from crashing
 * the app and handed to `onFailure`, which reports it; once stdout is destroyed, writes are
 * dropped without a word. Each caller reports its own failure, so that a user reading the
 * diagnostic knows which telemetry is being lost.
 *
 * @example
 * const writeLine = createStdoutWriter((error) => reportOnce(error));
 * writeLine('{"message":"hello"}\n');
 */
export function createStdoutWriter(onFailure: (error: Error) => void): StdoutWriter {
  const afterWrite = (error?: Error | null): void => {
    if (error === undefined || error === null) return;
    guardStdoutErrors();
    onFailure(error);
  };
  return (text) => {
    const stdout = process.stdout;
    if (stdout.destroyed) return;
    try {
      stdout.write(text, afterWrite);
    } catch (error) {
      afterWrite(error instanceof Error ? error : new Error(String(error)));
    }
  };
}
