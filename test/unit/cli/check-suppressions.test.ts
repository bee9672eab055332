// Suppressions: in the template, with a reason, listed with the findings they excuse.
import { describe, expect, it } from 'vitest';
import { checkTemplate, TEMPLATE_SCOPE } from '../../../src/checks/index.js';

const untraced = (metadata?: unknown) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Runtime: 'nodejs24.x' },
  ...(metadata === undefined ? {} : { Metadata: metadata }),
});

function summary(template: Record<string, unknown>) {
  return checkTemplate(template).map((finding) => ({
    rule: finding.ruleId,
    at: finding.logicalId,
    suppressed: finding.suppressedBy?.reason ?? null,
  }));
}

describe('suppressions', () => {
  it('suppresses a rule on the resource that carries it, keeping the finding with its reason', () => {
    const findings = summary({
      Resources: {
        Batch: untraced({ lookout: { suppress: [{ id: 'Lambda.7', reason: 'traces nobody reads' }] } }),
        Api: untraced(),
      },
    });

    expect(findings).toEqual([
      { rule: 'Lambda.7', at: 'Api', suppressed: null },
      { rule: 'Lambda.7', at: 'Batch', suppressed: 'traces nobody reads' },
    ]);
  });

  it('applies a suppression in the template’s own Metadata to every resource', () => {
    const findings = summary({
      Metadata: { lookout: { suppress: [{ id: 'Lambda.7', reason: 'tracing is off in this test stack' }] } },
      Resources: { A: untraced(), B: untraced() },
    });

    expect(findings.map((finding) => finding.suppressed)).toEqual([
      'tracing is off in this test stack',
      'tracing is off in this test stack',
    ]);
  });

  it('honours no suppression without a reason, and reports it (Lookout.0)', () => {
    const findings = summary({
      Resources: { A: untraced({ lookout: { suppress: [{ id: 'Lambda.7', reason: '  ' }] } }) },
    });

    expect(findings).toEqual([
      { rule: 'Lookout.0', at: 'A', suppressed: null },
      { rule: 'Lambda.7', at: 'A', suppressed: null },
    ]);
  });

  it('reports a suppression of an unknown rule and a malformed suppress list', () => {
    const findings = checkTemplate({
      Metadata: { lookout: { suppress: { id: 'Lambda.7' } } },
      Resources: {
        A: {
          Type: 'AWS::SNS::Topic',
          Properties: { KmsMasterKeyId: 'alias/aws/sns' },
          Metadata: { lookout: { suppress: [{ id: 'Lambda.99', reason: 'typo' }] } },
        },
      },
    }).map((finding) => [finding.ruleId, finding.logicalId, finding.message]);

    expect(findings).toEqual([
      ['Lookout.0', TEMPLATE_SCOPE, 'Metadata.lookout.suppress must be a list of { id, reason }'],
      ['Lookout.0', 'A', 'the suppression of Lambda.99 names no rule lookout check knows'],
    ]);
  });
});
