// Every rule has a fixture that passes and one that fails, in SAM form here (YAML with short
// intrinsic tags, run through the same reader as the CLI) and in CDK form in
// test/fixtures/check/cdk (synthesized by test/cdk/lookout-checks.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTemplate, RULES, SUPPRESSION_RULE } from '../../../src/checks/index.js';
import { parseTemplateText } from '../../../src/cli/check/parse-template-text.js';
import { REPO_ROOT } from '../../helpers/node-process.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'check');
// Runtime deprecation is judged as of a fixed day, so the fixtures keep their verdicts.
const TODAY = new Date('2026-06-01T00:00:00Z');
const RULE_IDS = [...RULES, SUPPRESSION_RULE].map((rule) => rule.id);

function check(name: string) {
  const { template } = parseTemplateText(readFileSync(join(FIXTURES, 'sam', name), 'utf8'));
  return checkTemplate(template, { today: TODAY });
}

describe('check fixtures', () => {
  it.each(RULE_IDS)('%s has a passing and a failing fixture in SAM and CDK form', (id) => {
    const paths = [`sam/${id}.pass.yaml`, `sam/${id}.fail.yaml`, `cdk/${id}.ts`];

    expect(paths.filter((path) => !existsSync(join(FIXTURES, path)))).toEqual([]);
  });

  it.each(RULE_IDS)('%s: the passing SAM template has no unsuppressed finding at all', (id) => {
    const findings = check(`${id}.pass.yaml`).filter((finding) => finding.suppressedBy === undefined);

    expect(findings.map((finding) => `${finding.ruleId} ${finding.logicalId}: ${finding.message}`)).toEqual(
      [],
    );
  });

  it.each(RULE_IDS)(
    '%s: the failing SAM template is reported under that rule, on a resource it names',
    (id) => {
      const findings = check(`${id}.fail.yaml`).filter((finding) => finding.ruleId === id);
      const { template } = parseTemplateText(readFileSync(join(FIXTURES, 'sam', `${id}.fail.yaml`), 'utf8'));

      expect(findings.length).toBeGreaterThan(0);
      for (const finding of findings) {
        expect(Object.keys(template.Resources ?? {})).toContain(finding.logicalId);
        expect(finding.suppressedBy).toBeUndefined();
        expect(finding.fix).not.toBe('');
      }
    },
  );
});
