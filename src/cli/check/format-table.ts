// The terminal report: one row per finding (severity, control, resource, what to change and the
// property to set), then the suppressions with their reasons, then a summary line.
import { SEVERITIES, type Severity, severityRank } from '../../checks/index.js';
import type { LocatedFinding } from './located-finding.js';

const FORM_LABEL = { cdk: 'CDK', sam: 'SAM', cloudformation: 'CloudFormation' } as const;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

// C0 and C1 control characters, and the Unicode controls that reorder text on screen. A
// template's own text (a runtime, a container name, a suppression's reason) reaches the table:
// written raw, an escape sequence in it would act on the terminal of whoever runs the check
// (clear the screen, set the title, hide the findings that follow).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text from a template made safe to print: each control character written as `\uXXXX`. */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A finding with every field that carries template text made printable. */
function printableFinding(finding: LocatedFinding): LocatedFinding {
  return {
    ...finding,
    message: printable(finding.message),
    resourcePath: printable(finding.resourcePath),
    file: printable(finding.file),
    ...(finding.suppressedBy === undefined
      ? {}
      : { suppressedBy: { ...finding.suppressedBy, reason: printable(finding.suppressedBy.reason) } }),
  };
}

function where(finding: LocatedFinding): string {
  return `${finding.file}${finding.line === undefined ? '' : `:${finding.line}`}`;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Options of formatTable. */
export interface TableOptions {
  readonly failOn: Severity;
  /** Terminal width. @default 120 */
  readonly width?: number;
}

/**
 * The findings as a readable table.
 *
 * @example
 * process.stdout.write(formatTable(findings, { failOn: 'low', width: process.stdout.columns }));
 */
export function formatTable(findings: readonly LocatedFinding[], options: TableOptions): string {
  const width = Math.max(80, options.width ?? 120);
  const printed = findings.map(printableFinding);
  const open = printed.filter((finding) => finding.suppressedBy === undefined);
  const suppressed = printed.filter((finding) => finding.suppressedBy !== undefined);
  const out: string[] = [];

  if (open.length > 0) {
    const severityWidth = 8;
    // Folded, not spread into Math.max: a template of a few hundred thousand findings would pass
    // more arguments than the call stack holds (RangeError).
    const longest = (lengths: readonly number[], least: number) =>
      lengths.reduce((most, length) => (length > most ? length : most), least);
    const controlWidth = longest(
      open.map((finding) => finding.ruleId.length),
      7,
    );
    const resourceWidth = Math.min(
      48,
      longest(
        open.map((finding) => finding.resourcePath.length),
        8,
      ),
    );
    const changeWidth = Math.max(40, width - severityWidth - controlWidth - resourceWidth - 6);
    const row = (severity: string, control: string, resource: string, change: string) =>
      `${severity.padEnd(severityWidth)}  ${control.padEnd(controlWidth)}  ${resource.padEnd(resourceWidth)}  ${change}`.trimEnd();
    out.push(row('SEVERITY', 'CONTROL', 'RESOURCE', 'WHAT TO CHANGE'));
    for (const finding of open) {
      const change = [
        ...wrap(finding.message, changeWidth),
        ...wrap(`set (${FORM_LABEL[finding.form]}): ${finding.fix}`, changeWidth),
        `in ${where(finding)}`,
      ];
      // Paths are cut at slashes, so a long construct path stays readable.
      const resource = wrap(finding.resourcePath.replaceAll('/', '/ '), resourceWidth).map((part) =>
        part.replaceAll('/ ', '/'),
      );
      const height = Math.max(change.length, resource.length);
      for (let index = 0; index < height; index += 1) {
        out.push(
          row(
            index === 0 ? finding.severity.toUpperCase() : '',
            index === 0 ? finding.ruleId : '',
            resource[index] ?? '',
            change[index] ?? '',
          ),
        );
      }
      out.push('');
    }
  }

  if (suppressed.length > 0) {
    out.push(`Suppressed in the template (${suppressed.length}):`);
    for (const finding of suppressed)
      out.push(
        `  ${finding.ruleId}  ${finding.resourcePath} (${where(finding)}): ${finding.suppressedBy?.reason ?? ''}`,
      );
    out.push('');
  }

  const failing = open.filter((finding) => severityRank(finding.severity) >= severityRank(options.failOn));
  const counts = Object.values(SEVERITIES)
    .slice()
    .reverse()
    .map((severity) => [severity, open.filter((finding) => finding.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  out.push(
    `${plural(open.length, 'finding')}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}, ${plural(suppressed.length, 'suppression')}; ${failing.length} at or above --fail-on ${options.failOn}: ${failing.length > 0 ? 'FAIL' : 'pass'}`,
  );
  return `${out.join('\n')}\n`;
}
