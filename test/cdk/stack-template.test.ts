// Contract test for the one private aws-cdk-lib member Lookout uses (src/cdk/stack-template.ts):
// Stack._toCloudFormation() must still exist and still give what `cdk synth` writes, metadata
// (where suppressLookoutCheck writes) included.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { suppressLookoutCheck } from '../../src/cdk/index.js';
import { stackTemplate } from '../../src/cdk/stack-template.js';

const outdir = mkdtempSync(join(tmpdir(), 'lookout-stack-template-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('stackTemplate (Stack._toCloudFormation)', () => {
  it('equals the template cdk synth writes, and has its resources already when aspects run', () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Contract');
    const topic = new sns.Topic(stack, 'Topic');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      environment: { TOPIC: topic.topicArn },
    });
    suppressLookoutCheck(fn, { id: 'Lambda.7', reason: 'a contract test' });
    suppressLookoutCheck(stack, { id: 'SNS.1', reason: 'a contract test' });

    const before = stackTemplate(stack);
    app.synth();
    const written = JSON.parse(readFileSync(join(outdir, 'Contract.template.json'), 'utf8'));

    // Synthesis adds the bootstrap version check and DependsOn; the resources, their properties
    // and metadata are what aspects already see.
    const withoutDependsOn = (resources: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(
        Object.entries(resources).map(([id, { DependsOn: _, ...resource }]) => [id, resource]),
      );
    expect(stackTemplate(stack)).toEqual(written);
    expect(before.Resources).toEqual(withoutDependsOn(written.Resources));
    expect(before.Metadata).toEqual(written.Metadata);
    expect(written.Metadata).toEqual({ lookout: { suppress: [{ id: 'SNS.1', reason: 'a contract test' }] } });
    expect(
      written.Resources[stack.resolve((fn.node.defaultChild as lambda.CfnFunction).logicalId)].Metadata,
    ).toEqual({
      lookout: { suppress: [{ id: 'Lambda.7', reason: 'a contract test' }] },
    });
    expect(
      Object.values(written.Resources as Record<string, { Type: string }>).map((resource) => resource.Type),
    ).toEqual(expect.arrayContaining(['AWS::SNS::Topic', 'AWS::Lambda::Function', 'AWS::IAM::Role']));
  });
});
