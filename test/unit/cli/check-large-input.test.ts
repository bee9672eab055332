// lookout check on templates far larger than CloudFormation accepts: answers, never a RangeError
// from spreading hundreds of thousands of values as call arguments.
import { describe, expect, it } from 'vitest';
import { checkTemplate } from '../../../src/checks/index.js';
import { formatTable } from '../../../src/cli/check/format-table.js';
import type { LocatedFinding } from '../../../src/cli/check/located-finding.js';

const TODAY = new Date('2026-06-01T00:00:00Z');
// More than the call stack takes as arguments (about 120,000 on Node's default stack).
const MANY = 300_000;

describe('lookout check on very large input', () => {
  it('reads a policy of three hundred thousand statements', () => {
    // Prepare
    const statements = Array.from({ length: MANY }, () => ({ Effect: 'Allow', Action: 's3:GetObject' }));
    const template = {
      Resources: {
        Policy: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: { PolicyDocument: { Statement: statements } },
        },
      },
    };

    // Act
    const findings = checkTemplate(template, { today: TODAY });

    // Assess: no statement is on every resource, so no IAM finding
    expect(findings).toEqual([]);
  });

  it('prints a table of three hundred thousand findings', () => {
    // Prepare
    const finding: LocatedFinding = {
      ruleId: 'SNS.1',
      title: 'SNS topics should be encrypted at-rest using AWS KMS',
      severity: 'medium',
      source: 'security-hub',
      standards: [],
      logicalId: 'Topic',
      resourceType: 'AWS::SNS::Topic',
      message: 'the topic is not encrypted with a KMS key (KmsMasterKeyId not set)',
      form: 'cloudformation',
      fix: 'KmsMasterKeyId: a KMS key id or alias on the AWS::SNS::Topic',
      file: 'template.json',
      resourcePath: 'Topic',
    };
    const findings = Array.from({ length: MANY }, () => finding);

    // Act
    const table = formatTable(findings, { failOn: 'low' });

    // Assess
    expect(
      table.endsWith(
        `${MANY} findings (${MANY} medium), 0 suppressions; ${MANY} at or above --fail-on low: FAIL\n`,
      ),
    ).toBe(true);
  });
});
