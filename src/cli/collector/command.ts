import { readFileSync } from 'node:fs';
import {
  oneOf,
  parseCommandArgs,
  reportUsageError,
  UsageError,
  unknownSubcommand,
} from '../parse-command-args.js';
import { checkCollectorConfig, type Finding } from './check-collector-config.js';
import { COLLECTOR_TARGETS, type CollectorTarget, getDistribution } from './distributions.js';

const USAGE = `Usage: lookout collector check FILE [--target lambda|ecs]

Checks an OpenTelemetry collector configuration for the ADOT collector:
  --target lambda   the ADOT Collector Lambda layer (reduced build, no processors)
  --target ecs      the ADOT Collector as an ECS sidecar (memory_limiter and batch required)
  (no --target)     the ADOT Collector's component list and the rules that apply everywhere
  -h, --help        show this help

Findings are errors (the collector would refuse to start, or the setting leaks data or
costs money) or warnings (the collector starts, but the setting is likely a mistake: for
example a component that is defined but used in no pipeline, which the collector ignores).

Exit code: 0 when there is no error (warnings allowed), 1 when there are errors, 2 on bad usage.
`;

interface ParsedArgs {
  readonly file: string;
  readonly target: CollectorTarget | undefined;
}

const SUBCOMMANDS = ['check'] as const;
const OPTIONS = { target: { type: 'string' } } as const;

/** The arguments of `collector check`, or undefined when help was asked for; throws UsageError. */
function parseCheckArgs(args: readonly string[]): ParsedArgs | undefined {
  const [subcommand, ...rest] = args;
  if (subcommand === '--help' || subcommand === '-h') return undefined;
  if (subcommand !== 'check') {
    if (args.includes('--help') || args.includes('-h')) return undefined;
    throw unknownSubcommand(subcommand, SUBCOMMANDS);
  }
  const { values, positionals, help } = parseCommandArgs(rest, OPTIONS);
  if (help) return undefined;
  const [file, extra] = positionals;
  if (file === undefined) throw new UsageError('missing the configuration FILE to check');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}" (one FILE at a time)`);
  const target =
    values.target === undefined ? undefined : oneOf('--target', values.target, COLLECTOR_TARGETS);
  return { file, target };
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
  let parsed: ParsedArgs | undefined;
  try {
    parsed = parseCheckArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError(args[0] === 'check' ? 'collector check' : 'collector', error);
  }
  if (parsed === undefined) {
    process.stdout.write(USAGE);
    return 0;
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
