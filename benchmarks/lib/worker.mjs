// What every worker shares: the command line of the worker contract
// (`--variant <name> --result <file> [--quick]`, docs/contributing.md) and writing the result.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * @param {readonly string[]} [argv]
 * @returns {{ variant: string, result: string, quick: boolean }}
 */
export function parseWorkerArgs(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      variant: { type: 'string' },
      result: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.variant || !values.result)
    throw new Error('usage: <worker> --variant <name> --result <file> [--quick]');
  return { variant: values.variant, result: values.result, quick: values.quick ?? false };
}

/**
 * Writes the worker's one JSON object: `metrics` (name → number, one sample each) and any
 * `details` worth keeping with the raw results.
 * @param {string} file
 * @param {{ metrics: Record<string, number>, details?: Record<string, unknown> }} result
 */
export function writeResult(file, result) {
  for (const [name, value] of Object.entries(result.metrics)) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new Error(`metric ${name} is not a finite number: ${value}`);
  }
  writeFileSync(file, `${JSON.stringify(result)}\n`);
}

/**
 * Runs a worker's main function; any failure goes to stderr with exit code 1, which the
 * harness records as a failed run.
 * @param {() => Promise<void>} main
 */
export function runWorker(main) {
  main().then(
    () => {
      // Sockets to the sinks may keep the loop alive; the result is written, so leave.
      process.exit(0);
    },
    (error) => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
