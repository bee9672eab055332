import { readFileSync } from 'node:fs';
import { checkCollectorConfig, type Finding } from './check-collector-config.js';
import { COLLECTOR_TARGETS, type CollectorTarget, getDistribution } from './distributions.js';

const USAGE = `Usage: lookout collector check FILE [--target lambda|ecs]

Checks an OpenTelemetry collector configuration for the ADOT collector:
  --target lambda   the ADOT Collector Lambda layer (reduced build, no processors)
  --target ecs      the ADOT Collector as an ECS sidecar (memory_limiter and batch required)
  (no --target)     the ADOT Collector's component list and the rules that apply everywhere

Exit code: 0 when there is no error (warnings allowed), 1 when there are errors, 2 on bad usage.
`;

interface ParsedArgs {
  readonly file: string;
  readonly target: CollectorTarget | undefined;
}

function parseArgs(args: readonly string[]): ParsedArgs | string {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'check')
    return subcommand === undefined ? 'missing subcommand' : `unknown subcommand "${subcommand}"`;
  let file: string | undefined;
  let target: string | undefined;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    if (arg === '--target') {
      target = rest[i + 1];
      i += 1;
    } else if (arg.startsWith('--target=')) {
      target = arg.slice('--target='.length);
    } else if (arg.startsWith('-')) {
      return `unknown option "${arg}"`;
    } else if (file === undefined) {
      file = arg;
    } else {
      return `unexpected argument "${arg}"`;
    }
  }
  if (file === undefined) return 'missing FILE';
  if (target !== undefined && !(COLLECTOR_TARGETS as readonly string[]).includes(target))
    return `--target must be one of: ${COLLECTOR_TARGETS.join(', ')}`;
  return { file, target: target as CollectorTarget | undefined };
}

/** One finding as a compiler-style line plus its fix, for a terminal or a CI log. */
export function formatFinding(file: string, finding: Finding): string {
  const position = finding.line === undefined ? '' : `:${finding.line}:${finding.column ?? 1}`;
  const where = finding.path === '' ? '' : `${finding.path}: `;
  return `${file}${position}: ${finding.severity} [${finding.rule}] ${where}${finding.message}\n  fix: ${finding.fix}\n`;
}

/**
 * `lookout collector check FILE [--target lambda|ecs]`: prints every finding with its YAML
 * path and fix; resolves to 1 when any is an error.
 *
 * @example
 * process.exitCode = await run(['check', 'collector/ecs.yaml', '--target', 'ecs']);
 */
export async function run(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`lookout collector: ${parsed}\n\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(parsed.file, 'utf8');
  } catch (error) {
    process.stderr.write(`lookout collector: cannot read ${parsed.file}: ${(error as Error).message}\n`);
    return 2;
  }
  const findings = checkCollectorConfig(text, { target: parsed.target });
  for (const finding of findings) process.stdout.write(formatFinding(parsed.file, finding));
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.length - errors;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  process.stdout.write(
    `${parsed.file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} (checked against the ${getDistribution(parsed.target).name}${parsed.target === undefined ? '' : `, target ${parsed.target}`})\n`,
  );
  return errors > 0 ? 1 : 0;
}
