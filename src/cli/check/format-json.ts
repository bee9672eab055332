// The machine-readable report (`--format json`): every finding with its location, the
// suppressions with their reasons, and a summary.
import { type Severity, severityRank } from '../../checks/index.js';
import { VERSION } from '../../core.js';
import type { LocatedFinding } from './located-finding.js';

function entry(finding: LocatedFinding) {
  return {
    ruleId: finding.ruleId,
    title: finding.title,
    severity: finding.severity,
    source: finding.source,
    standards: finding.standards,
    ...(finding.helpUrl === undefined ? {} : { helpUrl: finding.helpUrl }),
    file: finding.file,
    ...(finding.line === undefined ? {} : { line: finding.line }),
    logicalId: finding.logicalId,
    resourcePath: finding.resourcePath,
    resourceType: finding.resourceType,
    message: finding.message,
    fix: { form: finding.form, text: finding.fix },
    ...(finding.suppressedBy === undefined ? {} : { suppression: { reason: finding.suppressedBy.reason } }),
  };
}

/**
 * The findings as a JSON document.
 *
 * @example
 * JSON.parse(formatJson(findings, { failOn: 'low', files })).summary.failing; // 0
 */
export function formatJson(
  findings: readonly LocatedFinding[],
  options: { readonly failOn: Severity; readonly files: readonly { file: string; form: string }[] },
): string {
  const open = findings.filter((finding) => finding.suppressedBy === undefined);
  const suppressed = findings.filter((finding) => finding.suppressedBy !== undefined);
  const failing = open.filter((finding) => severityRank(finding.severity) >= severityRank(options.failOn));
  const report = {
    tool: { name: 'lookout check', version: VERSION },
    failOn: options.failOn,
    templates: options.files,
    findings: open.map(entry),
    suppressed: suppressed.map(entry),
    summary: {
      findings: open.length,
      failing: failing.length,
      suppressed: suppressed.length,
      passed: failing.length === 0,
    },
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
