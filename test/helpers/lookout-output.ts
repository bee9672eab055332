// Splits what a Lookout app wrote to stdout into its kinds: log lines (Powertools JSON with a
// level), audit entries (`audit: true`) and EMF documents (`_aws`). Any other line is kept as
// `other`, so a test can assert there is none.

export type JsonLine = Record<string, unknown>;

export interface LookoutOutput {
  readonly logs: JsonLine[];
  readonly audits: JsonLine[];
  readonly emf: JsonLine[];
  /** Lines that are not one JSON object of a known kind. */
  readonly other: string[];
}

/**
 * Classifies every stdout line.
 *
 * @example
 * const { logs, audits } = readLookoutOutput(app.stdoutLines());
 * expect(audits).toHaveLength(1);
 */
export function readLookoutOutput(lines: readonly string[]): LookoutOutput {
  const output: LookoutOutput = { logs: [], audits: [], emf: [], other: [] };
  for (const line of lines) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      output.other.push(line);
      continue;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) output.other.push(line);
    else if ((parsed as JsonLine).audit === true) output.audits.push(parsed as JsonLine);
    else if ('_aws' in parsed) output.emf.push(parsed as JsonLine);
    else if (typeof (parsed as JsonLine).level === 'string') output.logs.push(parsed as JsonLine);
    else output.other.push(line);
  }
  return output;
}
