// SAM templates are checked as what the transform generates, and reported on what the author wrote.
import { describe, expect, it } from 'vitest';
import { mergeGlobals } from '../../../src/checks/expand-sam.js';
import { checkTemplate, IMPLICIT_REST_API, prepareTemplate } from '../../../src/checks/index.js';
import { parseTemplateText } from '../../../src/cli/check/parse-template-text.js';

const SAM = 'Transform: AWS::Serverless-2016-10-31\n';

describe('SAM templates', () => {
  it('merges Globals as SAM does: maps merge, lists add up, the resource wins on scalars', () => {
    const merged = mergeGlobals(
      { Tracing: 'Active', Layers: ['a'], Environment: { Variables: { A: '1', B: '2' } } },
      { Tracing: 'PassThrough', Layers: ['b'], Environment: { Variables: { B: '3' } } },
    );

    expect(merged).toEqual({
      Tracing: 'PassThrough',
      Layers: ['a', 'b'],
      Environment: { Variables: { A: '1', B: '3' } },
    });
  });

  it('applies Globals.Function: a function without its own Tracing traces when the globals say so', () => {
    const text = `${SAM}Globals:\n  Function:\n    Tracing: Active\n    Runtime: nodejs24.x\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: index.handler, CodeUri: . }\n`;
    const prepared = prepareTemplate(parseTemplateText(text).template);

    expect(prepared.resources.get('Fn')).toMatchObject({
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'nodejs24.x', TracingConfig: { Mode: 'Active' } },
    });
  });

  it('checks the implicit API an Api event creates, configured by Globals.Api, and points at the function', () => {
    const text = `${SAM}Globals:\n  Api:\n    TracingEnabled: true\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs24.x\n      Handler: index.handler\n      Tracing: Active\n      Events:\n        Get: { Type: Api, Properties: { Path: /, Method: get } }\n`;

    const findings = checkTemplate(parseTemplateText(text).template);

    expect(
      findings.map((finding) => [finding.ruleId, finding.logicalId, finding.resourceType, finding.writtenAt]),
    ).toEqual([['APIGateway.1', IMPLICIT_REST_API, 'AWS::Serverless::Api', 'Fn']]);
    expect(findings[0]?.form).toBe('sam');
    expect(findings[0]?.fix).toContain('Globals.Api');
  });

  it('gives the SAM property to set for a SAM resource and the CloudFormation one for a plain resource', () => {
    const text = `${SAM}Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { Runtime: nodejs24.x, Handler: i.h }\n  Plain:\n    Type: AWS::Lambda::Function\n    Properties: { Runtime: nodejs24.x, Handler: i.h }\n`;

    const fixes = checkTemplate(parseTemplateText(text).template)
      .filter((finding) => finding.ruleId === 'Lambda.7')
      .map((finding) => [finding.logicalId, finding.form, finding.fix]);

    expect(fixes).toEqual([
      ['Fn', 'sam', 'Tracing: Active on the AWS::Serverless::Function (or Globals.Function)'],
      ['Plain', 'cloudformation', 'TracingConfig: { Mode: Active } on the AWS::Lambda::Function'],
    ]);
  });

  it('gives an HttpApi route the authorizer of its event, else the API default', () => {
    const text = `${SAM}Resources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      AccessLogSettings: { DestinationArn: arn, Format: f }\n      Auth: { DefaultAuthorizer: AWS_IAM }\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs24.x\n      Tracing: Active\n      Events:\n        Secured: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /a, Method: get } }\n        Open: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /b, Method: get, Auth: { Authorizer: NONE } } }\n`;

    const findings = checkTemplate(parseTemplateText(text).template);

    expect(findings.map((finding) => [finding.ruleId, finding.logicalId])).toEqual([['APIGateway.8', 'Fn']]);
  });
});
