// docs/security-controls.md maps every rule to its title, standards and fix in CDK, SAM and
// CloudFormation, word for word as the reports give them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_RUNTIMES_AS_OF, RULES, SUPPRESSION_RULE } from '../../../src/checks/index.js';
import { REPO_ROOT } from '../../helpers/node-process.js';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'security-controls.md'), 'utf8');
const ABBREVIATIONS: Record<string, string> = {
  'AWS Foundational Security Best Practices v1.0.0': 'FSBP',
  'NIST SP 800-53 Rev. 5': 'NIST 800-53',
  'CIS AWS Foundations Benchmark': 'CIS',
};

describe('docs/security-controls.md', () => {
  it.each([...RULES, SUPPRESSION_RULE].map((rule) => [rule.id, rule] as const))(
    '%s: has its section with title, standards, severity, the fix in each form and the control page',
    (id, rule) => {
      const start = doc.indexOf(`### ${id}: ${rule.title}\n`);
      const section = doc.slice(
        start,
        doc.indexOf('\n### ', start + 1) === -1 ? undefined : doc.indexOf('\n### ', start + 1),
      );

      expect(start).toBeGreaterThan(-1);
      const standards =
        rule.standards.map((standard) => ABBREVIATIONS[standard] ?? standard).join(', ') || 'Lookout';
      expect(section).toContain(`- Standards: ${standards}`);
      expect(section).toContain(`- Severity: ${rule.severity}`);
      expect(section).toContain(`- Fix in CDK: \`${rule.fix.cdk}\``);
      expect(section).toContain(`- Fix in SAM: \`${rule.fix.sam}\``);
      expect(section).toContain(`- Fix in CloudFormation: \`${rule.fix.cloudformation}\``);
      if (rule.helpUrl !== undefined) expect(section).toContain(rule.helpUrl);
    },
  );

  it('gives the date of the runtime table', () => {
    expect(doc).toContain(`as published on ${LAMBDA_RUNTIMES_AS_OF}`);
  });
});
