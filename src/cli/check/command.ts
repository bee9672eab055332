// `lookout check`: the Security Hub controls that touch observability, and Lookout's wiring
// rules, over synthesized CloudFormation, before deploy. Reads files only (no AWS credentials).
import { writeFileSync } from 'node:fs';
import {
  checkTemplate,
  DEFAULT_MIN_RETENTION_DAYS,
  detectForm,
  failingFindings,
  RULES_DOC,
  type Severity,
  severityRank,
} from '../../checks/index.js';
import { oneOf, parseCommandArgs, reportUsageError, UsageError } from '../parse-command-args.js';
import { formatJson } from './format-json.js';
import { formatSarif } from './format-sarif.js';
import { formatTable } from './format-table.js';
import { type LoadedTemplate, loadTemplates, TemplateLoadError } from './load-templates.js';
import { type LocatedFinding, locate } from './located-finding.js';

export const CHECK_USAGE = `Usage: lookout check <template.json|template.yaml|cdk.out>... [options]

Checks synthesized CloudFormation (CDK output, SAM or plain) against the AWS Security Hub
controls that touch observability (API Gateway logging, tracing and authorization, Lambda
public access, runtimes and tracing, log retention and encryption, SNS and KMS encryption,
IAM wildcards, CloudTrail) and Lookout's wiring rules. No AWS credentials are needed.

Options:
  --format table|json|sarif   report format (default: table); sarif is SARIF 2.1.0
  --fail-on SEVERITY          exit 1 when an unsuppressed finding is at least this severe:
                              critical, high, medium, low, info or none (default: low)
  --min-retention-days N      shortest log retention accepted (default: ${DEFAULT_MIN_RETENTION_DAYS}; never-expiring passes)
  --as-of YYYY-MM-DD          judge runtime deprecation as of this day (default: today)
  --output FILE               write the report to FILE instead of standard output
  -h, --help                  show this help

Suppress a finding in the template, with a reason (required):
  Metadata: { lookout: { suppress: [{ id: Lambda.1, reason: "a public webhook, signed" }] } }
(CDK: suppressLookoutCheck(construct, { id, reason }) from lookout/cdk)

Exit code: 0 when nothing fails, 1 when a finding fails, 2 on bad usage, an unreadable template
or a report that cannot be written.
Rules and fixes: ${RULES_DOC}
`;

const FORMATS = ['table', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** Where the command writes; process streams in the CLI, buffers in tests. */
export interface CheckIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Terminal width for the table. */
  readonly columns?: number;
}

interface CheckArgs {
  readonly targets: readonly string[];
  readonly format: Format;
  readonly failOn: Severity | 'none';
  readonly minRetentionDays: number;
  readonly asOf: Date | undefined;
  readonly output: string | undefined;
  readonly help: boolean;
}

const FAIL_ON_CHOICES: readonly (Severity | 'none')[] = ['critical', 'high', 'medium', 'low', 'info', 'none'];

function parseCheckArgs(args: readonly string[]): CheckArgs {
  const { values, positionals, help } = parseCommandArgs(args, OPTIONS);
  if (help) return { ...DEFAULTS, help: true };
  const format = oneOf('--format', values.format ?? 'table', FORMATS);
  const failOn = oneOf('--fail-on', values['fail-on'] ?? 'low', FAIL_ON_CHOICES);
  const days = values['min-retention-days'] ?? String(DEFAULT_MIN_RETENTION_DAYS);
  if (!/^\d+$/.test(days) || Number(days) < 1)
    throw new UsageError(`--min-retention-days must be a whole number of days, not "${days}"`);
  const asOfText = values['as-of'];
  const asOf = asOfText === undefined ? undefined : new Date(`${asOfText}T00:00:00Z`);
  if (asOfText !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(asOfText) || Number.isNaN(asOf?.getTime())))
    throw new UsageError(`--as-of must be a date as YYYY-MM-DD, not "${asOfText}"`);
  if (positionals.length === 0) throw new UsageError('missing the template or cdk.out directory to check');
  return {
    targets: positionals,
    format,
    failOn,
    minRetentionDays: Number(days),
    asOf,
    output: values.output,
    help: false,
  };
}

const OPTIONS = {
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  'min-retention-days': { type: 'string' },
  'as-of': { type: 'string' },
  output: { type: 'string' },
} as const;

const DEFAULTS: CheckArgs = {
  targets: [],
  format: 'table',
  failOn: 'low',
  minRetentionDays: DEFAULT_MIN_RETENTION_DAYS,
  asOf: undefined,
  output: undefined,
  help: false,
};

/**
 * Runs `lookout check` with the given arguments and streams; resolves to the exit code.
 *
 * @example
 * const code = await runCheck(['cdk.out', '--format', 'sarif'], { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), cwd: process.cwd() });
 */
export async function runCheck(args: readonly string[], io: CheckIo): Promise<number> {
  let options: CheckArgs;
  try {
    options = parseCheckArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError('check', error, io.stderr);
  }
  if (options.help) {
    io.stdout(CHECK_USAGE);
    return 0;
  }

  let targets: LoadedTemplate[][];
  try {
    targets = options.targets.map((target) => loadTemplates(target, io.cwd));
  } catch (error) {
    if (!(error instanceof TemplateLoadError)) throw error;
    io.stderr(`lookout check: ${error.message}\n`);
    return 2;
  }

  const loaded = targets.flat();
  // Most severe first across all templates (the sort is stable: each template's order stays within a severity).
  const findings: LocatedFinding[] = targets
    .flatMap((group) =>
      group.flatMap((template) =>
        locate(
          template,
          checkTemplate(template.template, {
            ...(template.form === undefined ? {} : { form: template.form }),
            minRetentionDays: options.minRetentionDays,
            ...(options.asOf === undefined ? {} : { today: options.asOf }),
            // A stack and its nested stacks are deployed as one: alarms in one watch the others.
            deployedWith: group
              .filter(
                (other) =>
                  other !== template &&
                  template.deployment !== undefined &&
                  other.deployment === template.deployment,
              )
              .map((other) => other.template),
          }),
        ),
      ),
    )
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const failOn: Severity = options.failOn === 'none' ? 'critical' : options.failOn;
  const failing = options.failOn === 'none' ? [] : failingFindings(findings, failOn);

  let report: string;
  if (options.format === 'json') {
    report = formatJson(findings, {
      failOn,
      files: loaded.map((template) => ({
        file: template.file,
        form: template.form ?? detectForm(template.template),
      })),
    });
  } else if (options.format === 'sarif') {
    report = formatSarif(findings);
  } else {
    report = formatTable(findings, { failOn, ...(io.columns === undefined ? {} : { width: io.columns }) });
  }
  if (options.output === undefined) {
    io.stdout(report);
  } else {
    try {
      writeFileSync(options.output, report);
    } catch (error) {
      io.stderr(`lookout check: cannot write the report to ${options.output}: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr(
      `lookout check: ${findings.length} findings, ${failing.length} failing; report in ${options.output}\n`,
    );
  }
  return failing.length > 0 ? 1 : 0;
}

/**
 * The `lookout check` subcommand on the process's own streams.
 *
 * @example
 * process.exitCode = await run(['cdk.out']);
 */
export async function run(args: readonly string[]): Promise<number> {
  return runCheck(args, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    ...(process.stdout.columns === undefined ? {} : { columns: process.stdout.columns }),
  });
}
