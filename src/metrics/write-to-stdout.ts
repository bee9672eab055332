import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { createStdioWriter } from '../runtime/index.js';

/** Where EMF documents go: one call per flush with newline-terminated JSON lines. */
export type EmfWriter = (text: string) => void;

/**
 * Writes EMF text straight to `process.stdout`, never through `console`: on Lambda the
 * runtime patches the global console to prefix every line with a timestamp and request id,
 * which would stop CloudWatch from parsing the line as an EMF document, and an app may have
 * replaced `console` altogether. Powertools' Metrics makes the same choice (its own `Console`
 * bound to `process.stdout`).
 *
 * A closed stdout (EPIPE) must not crash the app (docs/design.md decision 4): the failure is
 * reported once and the documents are dropped while stdout stays unwritable.
 */
const writeNow = createStdioWriter('stdout', (error) =>
  diagnostics.errorOnce(
    'emf-write',
    ERROR_CODES.METRICS_WRITE_FAILED,
    `Writing EMF metric documents to stdout failed (${describeError(error)}); metrics are dropped while stdout is unwritable.`,
  ),
);

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
