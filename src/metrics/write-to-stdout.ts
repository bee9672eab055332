/** Where EMF documents go: one call per flush with newline-terminated JSON lines. */
export type EmfWriter = (text: string) => void;

function ignore(): void {}

/**
 * Writes EMF text straight to `process.stdout`, never through `console`: on Lambda the
 * runtime patches the global console to prefix every line with a timestamp and request id,
 * which would stop CloudWatch from parsing the line as an EMF document, and an app may have
 * replaced `console` altogether. Powertools' Metrics makes the same choice (its own `Console`
 * bound to `process.stdout`).
 *
 * A closed stdout (EPIPE) must not crash the app (DESIGN decision 4): like Node's own
 * `Console`, a no-op error listener is attached for the duration of the write.
 */
// Text written while `writeTogether` runs, written in one go when it returns.
let gathered: string | undefined;

export const writeToStdout: EmfWriter = (text) => {
  if (gathered !== undefined) {
    gathered += text;
    return;
  }
  writeNow(text);
};

/**
 * Runs `work` and writes what it wrote through `writeToStdout` in one write: the Lambda
 * delivery's documents (Lookout's and the app's Powertools metrics) cost one system call, not
 * one each. What was gathered is written even if `work` throws (its error goes on).
 */
export function writeTogether(work: () => void): void {
  if (gathered !== undefined) {
    work();
    return;
  }
  gathered = '';
  try {
    work();
  } finally {
    const text = gathered;
    gathered = undefined;
    if (text !== '') writeNow(text);
  }
}

function writeNow(text: string): void {
  const stream = process.stdout;
  stream.once('error', ignore);
  try {
    stream.write(text);
  } catch {
    // A destroyed stream throws synchronously; the metrics are lost, the app is not.
  } finally {
    stream.removeListener('error', ignore);
  }
}
