// The SARIF 2.1.0 report (`--format sarif`), for GitHub code scanning and other SARIF viewers:
// one rule descriptor per rule, one result per finding at the resource's line in the template,
// suppressed findings as results with an in-source suppression and its justification.
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  RULES,
  RULES_DOC,
  type RuleDefinition,
  type Severity,
  SUPPRESSION_RULE,
} from '../../checks/index.js';
import { VERSION } from '../../core.js';
import type { LocatedFinding } from './located-finding.js';

/** SARIF levels: error fails a code-scanning check, warning and note do not by default. */
const LEVELS: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub's `security-severity` scores (critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low < 4.0),
 * so code scanning shows the same severity as the terminal.
 */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

const FORM_LABEL = { cdk: 'CDK', sam: 'SAM', cloudformation: 'CloudFormation' } as const;

function descriptor(rule: RuleDefinition) {
  const standards =
    rule.standards.length > 0 ? ` Standards: ${rule.standards.join(', ')}.` : ' A Lookout rule.';
  const fixes = (Object.keys(FORM_LABEL) as (keyof typeof FORM_LABEL)[]).map(
    (form) => `${FORM_LABEL[form]}: ${rule.fix[form]}`,
  );
  return {
    id: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: `${rule.title}.${standards} See ${RULES_DOC}.` },
    ...(rule.helpUrl === undefined ? {} : { helpUri: rule.helpUrl }),
    help: {
      text: `What to set:\n${fixes.join('\n')}`,
      markdown: `**What to set**\n\n${fixes.map((fix) => `- ${fix}`).join('\n')}`,
    },
    defaultConfiguration: { level: LEVELS[rule.severity] },
    properties: {
      tags: ['security', 'observability', ...(rule.source === 'lookout' ? ['lookout'] : ['security-hub'])],
      'security-severity': SECURITY_SEVERITY[rule.severity],
    },
  };
}

function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/**
 * The findings as a SARIF 2.1.0 log.
 *
 * @example
 * writeFileSync('lookout.sarif', formatSarif(findings)); // then upload it with github/codeql-action/upload-sarif
 */
export function formatSarif(findings: readonly LocatedFinding[]): string {
  const rules = [...RULES, SUPPRESSION_RULE];
  const index = new Map(rules.map((rule, position) => [rule.id, position]));
  const results = findings.map((finding) => ({
    ruleId: finding.ruleId,
    ruleIndex: index.get(finding.ruleId) ?? -1,
    level: LEVELS[finding.severity],
    message: {
      text: `${finding.resourcePath}: ${finding.message}. Set (${FORM_LABEL[finding.form]}): ${finding.fix}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(finding.file) },
          ...(finding.line === undefined ? {} : { region: { startLine: finding.line } }),
        },
        logicalLocations: [
          { name: finding.logicalId, fullyQualifiedName: finding.resourcePath, kind: 'resource' },
        ],
      },
    ],
    // Stable across edits that move the resource: the rule, the file and the resource.
    partialFingerprints: {
      'lookoutFinding/v1': createHash('sha256')
        .update(`${finding.ruleId}\n${finding.file}\n${finding.resourcePath}\n${finding.message}`)
        .digest('hex')
        .slice(0, 32),
    },
    properties: { severity: finding.severity, resourceType: finding.resourceType },
    ...(finding.suppressedBy === undefined
      ? {}
      : { suppressions: [{ kind: 'inSource', justification: finding.suppressedBy.reason }] }),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lookout check',
            version: VERSION,
            semanticVersion: VERSION,
            rules: rules.map(descriptor),
          },
        },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
