import { describe, expect, it } from 'vitest';
import { parseTemplateText, TemplateSyntaxError } from '../../../src/cli/check/parse-template-text.js';

describe('parseTemplateText', () => {
  it('turns every short-form intrinsic tag into its long form, on scalars, sequences and mappings', () => {
    const text = [
      'Resources:',
      '  Fn:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Role: !GetAtt Role.Arn',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template literal
      '      Name: !Sub "${AWS::StackName}-orders"',
      '      Layers: [!Ref Layer]',
      '      Tracing: !If [IsProd, Active, !Ref "AWS::NoValue"]',
      '      Path: !Join ["", ["/aws/lambda/", !Ref Fn]]',
      '      Arn: !GetAtt [Bucket, Arn]',
      '      Zone: !Select [0, !GetAZs ""]',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template literal
      '      Imported: !ImportValue {"Fn::Sub": "${Env}-topic"}',
    ].join('\n');

    const { template } = parseTemplateText(text);

    expect(template.Resources?.Fn).toEqual({
      Type: 'AWS::Lambda::Function',
      Properties: {
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template literal
        Name: { 'Fn::Sub': '${AWS::StackName}-orders' },
        Layers: [{ Ref: 'Layer' }],
        Tracing: { 'Fn::If': ['IsProd', 'Active', { Ref: 'AWS::NoValue' }] },
        Path: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Fn' }]] },
        Arn: { 'Fn::GetAtt': ['Bucket', 'Arn'] },
        Zone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template literal
        Imported: { 'Fn::ImportValue': { 'Fn::Sub': '${Env}-topic' } },
      },
    });
  });

  it('splits a short GetAtt at the first dot only, as CloudFormation does for nested attributes', () => {
    const { template } = parseTemplateText(
      'Resources:\n  A:\n    Type: X\n    Properties: { V: !GetAtt Db.Endpoint.Address }\n',
    );

    expect(template.Resources?.A).toEqual({
      Type: 'X',
      Properties: { V: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] } },
    });
  });

  it('reads JSON templates and knows the line of each resource, in JSON and YAML', () => {
    const json =
      '{\n  "Resources": {\n    "Topic": { "Type": "AWS::SNS::Topic" },\n\n    "Key": {\n      "Type": "AWS::KMS::Key"\n    }\n  }\n}\n';
    const yaml =
      'Parameters: {}\n# comment\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Key:\n    Type: AWS::KMS::Key\n';

    expect(parseTemplateText(json).lines).toEqual(
      new Map([
        ['Topic', 3],
        ['Key', 5],
      ]),
    );
    expect(parseTemplateText(yaml).lines).toEqual(
      new Map([
        ['Topic', 4],
        ['Key', 6],
      ]),
    );
  });

  it('rejects text that is not YAML, naming the line, and a template that is not a mapping', () => {
    expect(() => parseTemplateText('Resources:\n  A: [unclosed\n')).toThrow(TemplateSyntaxError);
    expect(() => parseTemplateText('Resources:\n  A: [unclosed\n')).toThrow(/^line \d+: /);
    expect(() => parseTemplateText('- a\n- b\n')).toThrow('a template is a mapping');
  });

  it('refuses a template whose aliases expand past a million values, instead of expanding them', () => {
    // Prepare: six levels of ten aliases of the level below: a million values from nine lines.
    const lines = ['Anchors:', '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level <= 6; level += 1)
      lines.push(
        `  a${level}: &a${level} [${Array(10)
          .fill(`*a${level - 1}`)
          .join(', ')}]`,
      );
    lines.push('Resources:', '  Topic:', '    Type: AWS::SNS::Topic', '    Metadata: { Copies: *a6 }');

    // Act
    const parse = () => parseTemplateText(lines.join('\n'));

    // Assess
    expect(parse).toThrow(TemplateSyntaxError);
    expect(parse).toThrow(/more than 1000000 values through its aliases/);
  });
});
