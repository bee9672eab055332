// Cases of the rules beyond the per-rule fixtures: other resource forms, values only known at
// deploy time, thresholds.
import { describe, expect, it } from 'vitest';
import { type CfnTemplate, checkTemplate } from '../../../src/checks/index.js';
import { actionMatches } from '../../../src/checks/policy-statements.js';
import { resolveConfig, toDimensionValue } from '../../../src/core.js';

const TODAY = new Date('2026-06-01T00:00:00Z');

function ruleHits(resources: Record<string, unknown>, ruleId: string, extra: Partial<CfnTemplate> = {}) {
  return checkTemplate({ Resources: resources, ...extra }, { today: TODAY })
    .filter((finding) => finding.ruleId === ruleId)
    .map((finding) => [finding.logicalId, finding.severity, finding.message]);
}

const websocket = (loggingLevel: string | undefined) => ({
  Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'WEBSOCKET' } },
  Stage: {
    Type: 'AWS::ApiGatewayV2::Stage',
    Properties: {
      ApiId: { Ref: 'Api' },
      DefaultRouteSettings: loggingLevel === undefined ? {} : { LoggingLevel: loggingLevel },
      AccessLogSettings: { DestinationArn: 'arn', Format: '$context.requestId' },
    },
  },
});

describe('API Gateway rules', () => {
  it('APIGateway.1 checks WebSocket stages by their default route settings, and not HTTP API stages', () => {
    expect(ruleHits(websocket('INFO'), 'APIGateway.1')).toEqual([]);
    expect(ruleHits(websocket(undefined), 'APIGateway.1')).toHaveLength(1);
    const http = websocket(undefined);
    http.Api.Properties.ProtocolType = 'HTTP';
    expect(ruleHits(http, 'APIGateway.1')).toEqual([]);
  });

  it('APIGateway.1 and .3 read the stage a Deployment creates from its StageDescription', () => {
    const deployment = (description: Record<string, unknown>) => ({
      Deployment: {
        Type: 'AWS::ApiGateway::Deployment',
        Properties: { StageName: 'prod', StageDescription: description },
      },
    });

    expect(ruleHits(deployment({ LoggingLevel: 'ERROR', TracingEnabled: true }), 'APIGateway.1')).toEqual([]);
    expect(ruleHits(deployment({ LoggingLevel: 'ERROR', TracingEnabled: true }), 'APIGateway.3')).toEqual([]);
    expect(ruleHits(deployment({}), 'APIGateway.3')).toHaveLength(1);
  });

  it('APIGateway.1 reports a method whose logging is turned off even when the stage logs', () => {
    const stage = {
      Stage: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: {
          TracingEnabled: true,
          MethodSettings: [
            { HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'INFO' },
            { HttpMethod: 'POST', ResourcePath: '/~1login', LoggingLevel: 'OFF' },
          ],
        },
      },
    };

    expect(ruleHits(stage, 'APIGateway.1')).toEqual([
      ['Stage', 'medium', 'execution logging is OFF for POST /~1login'],
    ]);
  });

  it('APIGateway.8 skips WebSocket routes other than $connect, which cannot take an authorizer', () => {
    const routes = (key: string) => ({
      ...websocket('INFO'),
      Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: key } },
    });

    expect(ruleHits(routes('sendMessage'), 'APIGateway.8')).toEqual([]);
    expect(ruleHits(routes('$connect'), 'APIGateway.8')).toEqual([
      ['Route', 'medium', 'route "$connect" has authorization type NONE (not set)'],
    ]);
  });
});

describe('Lambda rules', () => {
  const permission = (properties: Record<string, unknown>) => ({
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'nodejs24.x', TracingConfig: { Mode: 'Active' } },
    },
    Permission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] },
        ...properties,
      },
    },
  });

  it('Lambda.1 reports a permission for any principal on the function, unless a source condition scopes it', () => {
    expect(ruleHits(permission({ Principal: '*' }), 'Lambda.1')).toHaveLength(1);
    expect(ruleHits(permission({ Principal: '*' }), 'Lambda.1')[0]?.[0]).toBe('Fn');
    expect(ruleHits(permission({ Principal: '*', SourceAccount: '123456789012' }), 'Lambda.1')).toEqual([]);
    expect(
      ruleHits(permission({ Principal: 'apigateway.amazonaws.com', SourceArn: 'arn' }), 'Lambda.1'),
    ).toEqual([]);
  });

  it('Lambda.1 requires AWS:SourceAccount when Amazon S3 invokes the function', () => {
    expect(
      ruleHits(permission({ Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::b' }), 'Lambda.1'),
    ).toHaveLength(1);
    expect(
      ruleHits(
        permission({ Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::b', SourceAccount: '1' }),
        'Lambda.1',
      ),
    ).toEqual([]);
  });

  it('Lambda.2 fails a deprecated runtime, notes one deprecated within 180 days, and names one it does not know', () => {
    const fn = (runtime: string) => ({
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Runtime: runtime, TracingConfig: { Mode: 'Active' } },
      },
    });

    expect(ruleHits(fn('nodejs18.x'), 'Lambda.2')).toEqual([
      ['Fn', 'medium', 'runtime nodejs18.x was deprecated on 2025-09-01'],
    ]);
    expect(ruleHits(fn('nodejs22.x'), 'Lambda.2')).toEqual([]);
    expect(
      checkTemplate({ Resources: fn('nodejs20.x') }, { today: new Date('2026-03-01T00:00:00Z') })
        .filter((finding) => finding.ruleId === 'Lambda.2')
        .map((finding) => [finding.severity, finding.message]),
    ).toEqual([['info', 'runtime nodejs20.x is deprecated on 2026-04-30, in 60 days']]);
    expect(ruleHits(fn('nodejs99.x'), 'Lambda.2')[0]?.[1]).toBe('info');
  });

  it('Lambda.2 ignores container image functions, which have no runtime to check', () => {
    const image = {
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { PackageType: 'Image', TracingConfig: { Mode: 'Active' } },
      },
    };

    expect(ruleHits(image, 'Lambda.2')).toEqual([]);
  });
});

describe('values known only at deploy time', () => {
  it('resolves a parameter reference through its default, and gives the benefit of the doubt without one', () => {
    const template = (parameter: Record<string, unknown>) => ({
      Parameters: { Tracing: parameter },
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { Runtime: 'nodejs24.x', TracingConfig: { Mode: { Ref: 'Tracing' } } },
        },
      },
    });
    const hits = (parameter: Record<string, unknown>) =>
      checkTemplate(template(parameter), { today: TODAY }).filter((finding) => finding.ruleId === 'Lambda.7');

    expect(hits({ Type: 'String', Default: 'PassThrough' })).toHaveLength(1);
    expect(hits({ Type: 'String', Default: 'Active' })).toHaveLength(0);
    expect(hits({ Type: 'String' })).toHaveLength(0);
  });

  it('gives the benefit of the doubt to settings a condition chooses (Fn::If) and to a parameter without default', () => {
    // Prepare: a REST stage whose method settings, an HTTP stage whose access log settings, and
    // a trail whose event selector's ReadWriteType are decided at deploy time
    const conditional = (value: unknown) => ({ 'Fn::If': ['IsProd', value, { Ref: 'AWS::NoValue' }] });
    const allMethods = { HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR' };
    const resources = {
      RestStage: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: { RestApiId: 'api', TracingEnabled: true, MethodSettings: conditional([allMethods]) },
      },
      RestStageItem: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: { RestApiId: 'api', TracingEnabled: true, MethodSettings: [conditional(allMethods)] },
      },
      HttpStage: {
        Type: 'AWS::ApiGatewayV2::Stage',
        Properties: {
          ApiId: 'api',
          AccessLogSettings: conditional({ DestinationArn: 'arn', Format: '$context.requestId' }),
        },
      },
      Trail: {
        Type: 'AWS::CloudTrail::Trail',
        Properties: {
          IsMultiRegionTrail: true,
          IsLogging: true,
          EnableLogFileValidation: true,
          EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: { Ref: 'ReadWriteType' } }],
        },
      },
    };
    const parameters = { Parameters: { ReadWriteType: { Type: 'String' } } };

    // Act
    const found = ['APIGateway.1', 'APIGateway.9', 'CloudTrail.1'].flatMap((rule) =>
      ruleHits(resources, rule, parameters),
    );

    // Assess
    expect(found).toEqual([]);
  });
});

describe('tracing and logging chosen by a condition', () => {
  it('reports neither tracing nor log destinations that an Fn::If decides at deploy time', () => {
    // Prepare: a function running Lookout whose tracing and logging configs are conditional, and
    // an ECS container with Lookout variables whose log configuration is
    const conditional = (value: unknown) => ({ 'Fn::If': ['IsProd', value, { Ref: 'AWS::NoValue' }] });
    const resources = {
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: 'orders',
          Runtime: 'nodejs24.x',
          TracingConfig: conditional({ Mode: 'Active' }),
          LoggingConfig: conditional({ LogGroup: 'orders' }),
          Environment: { Variables: { NODE_OPTIONS: '--import lookout/register' } },
        },
      },
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          ContainerDefinitions: [
            {
              Name: 'api',
              Environment: [{ Name: 'LOOKOUT_SERVICE_NAME', Value: 'orders' }],
              LogConfiguration: conditional({ LogDriver: 'awslogs', Options: { 'awslogs-group': 'orders' } }),
            },
          ],
        },
      },
    };

    // Act
    const found = ['Lambda.7', 'Lookout.3', 'Lookout.4', 'Lookout.6'].flatMap((rule) =>
      ruleHits(resources, rule),
    );

    // Assess
    expect(found).toEqual([]);
  });
});

describe('log group retention (CloudWatch.16)', () => {
  const group = (days: number | undefined) => ({
    Logs: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { KmsKeyId: 'arn', ...(days === undefined ? {} : { RetentionInDays: days }) },
    },
  });

  it('passes a log group that never expires, as the control does', () => {
    expect(ruleHits(group(undefined), 'CloudWatch.16')).toEqual([]);
  });

  it('takes its minimum from the options (365 days by default)', () => {
    expect(ruleHits(group(180), 'CloudWatch.16')).toEqual([
      ['Logs', 'medium', 'keeps log events 180 days, under the 365 required'],
    ]);
    expect(
      checkTemplate({ Resources: group(180) }, { minRetentionDays: 90 }).filter(
        (finding) => finding.ruleId === 'CloudWatch.16',
      ),
    ).toEqual([]);
  });
});

describe('IAM rules', () => {
  it('matches action patterns as IAM does: wildcards, case-insensitively', () => {
    expect(actionMatches('kms:*', 'kms:Decrypt')).toBe(true);
    expect(actionMatches('KMS:decrypt', 'kms:Decrypt')).toBe(true);
    expect(actionMatches('s3:Get*', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:Put*', 's3:GetObject')).toBe(false);
  });

  it('matches stars that must give back characters, and runs of stars, as IAM does', () => {
    expect(actionMatches('s3:*Object', 's3:GetObject')).toBe(true);
    expect(actionMatches('*a*b', 'xaxbxb')).toBe(true);
    expect(actionMatches('*a*b', 'xaxbc')).toBe(false);
    expect(actionMatches('s3:Get*?', 's3:Get')).toBe(false);
    expect(actionMatches('***', 'iam:PassRole')).toBe(true);
    expect(actionMatches('***#', 'iam:PassRole')).toBe(false);
  });

  it('reads the inline policies of roles and ignores Deny statements and resource policies', () => {
    const resources = {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [
            {
              PolicyName: 'p',
              PolicyDocument: {
                Statement: [{ Effect: 'Allow', Action: ['ssm:GetParameter*'], Resource: '*' }],
              },
            },
            {
              PolicyName: 'd',
              PolicyDocument: { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] },
            },
          ],
        },
      },
      KeyPolicyIsNotAnIdentityPolicy: {
        Type: 'AWS::KMS::Key',
        Properties: {
          EnableKeyRotation: true,
          KeyPolicy: {
            Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn' }, Action: 'kms:*', Resource: '*' }],
          },
        },
      },
    };

    expect(ruleHits(resources, 'Lookout.2')).toEqual([
      [
        'Role',
        'medium',
        'allows ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath on Resource "*"',
      ],
    ]);
    expect(ruleHits(resources, 'IAM.1')).toEqual([]);
    expect(ruleHits(resources, 'KMS.2')).toEqual([]);
  });
});

describe('CloudTrail.1', () => {
  it('fails a trail whose event selectors leave out read or write management events', () => {
    const trail = (selectors: unknown[]) => ({
      Trail: {
        Type: 'AWS::CloudTrail::Trail',
        Properties: {
          IsLogging: true,
          IsMultiRegionTrail: true,
          EnableLogFileValidation: true,
          EventSelectors: selectors,
        },
      },
    });

    expect(ruleHits(trail([{ ReadWriteType: 'WriteOnly' }]), 'CloudTrail.1')).toHaveLength(1);
    expect(ruleHits(trail([{ IncludeManagementEvents: false }]), 'CloudTrail.1')).toHaveLength(1);
    expect(
      ruleHits(trail([{ ReadWriteType: 'All', IncludeManagementEvents: true }]), 'CloudTrail.1'),
    ).toEqual([]);
  });
});

describe('Lookout wiring', () => {
  const lookoutFunction = (extra: Record<string, unknown> = {}) => ({
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: 'orders-prod',
        Runtime: 'nodejs24.x',
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: { NODE_OPTIONS: '--import lookout/register', POWERTOOLS_METRICS_NAMESPACE: 'Shop' },
        },
        ...extra,
      },
    },
  });
  /**
   * The function, run by Lookout with `variables` (and `NODE_OPTIONS`) as its whole environment,
   * and an alarm that notifies someone, with `alarm`'s properties.
   */
  const functionWithAlarm = (variables: Record<string, unknown>, alarm: Record<string, unknown>) => ({
    ...lookoutFunction({
      Environment: { Variables: { NODE_OPTIONS: '--import lookout/register', ...variables } },
    }),
    Alarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:oncall'], ...alarm },
    },
  });

  it('finds a function that preloads lookout/register, and its default log group named after it', () => {
    const named = (name: unknown) => ({
      ...lookoutFunction(),
      Logs: {
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: name, RetentionInDays: 365, KmsKeyId: 'k' },
      },
    });

    expect(ruleHits(lookoutFunction(), 'Lookout.4')).toHaveLength(1);
    expect(ruleHits(named('/aws/lambda/orders-prod'), 'Lookout.4')).toEqual([]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template literal
    expect(ruleHits(named({ 'Fn::Sub': '/aws/lambda/${Fn}' }), 'Lookout.4')).toEqual([]);
    expect(ruleHits(named({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Fn' }]] }), 'Lookout.4')).toEqual([]);
    expect(ruleHits(named('/aws/lambda/other'), 'Lookout.4')).toHaveLength(1);
  });

  it('reads an Fn::Sub log group name through its variable map', () => {
    // Prepare: the default log group named with Fn::Sub's second form, a map of variables
    const named = (name: unknown) => ({
      ...lookoutFunction(),
      Logs: {
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: name, RetentionInDays: 365, KmsKeyId: 'k' },
      },
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template literal
    const template = '/aws/lambda/${Name}';

    // Act
    const byRef = ruleHits(named({ 'Fn::Sub': [template, { Name: { Ref: 'Fn' } }] }), 'Lookout.4');
    const byLiteral = ruleHits(named({ 'Fn::Sub': [template, { Name: 'orders-prod' }] }), 'Lookout.4');
    const another = ruleHits(named({ 'Fn::Sub': [template, { Name: 'payments' }] }), 'Lookout.4');

    // Assess
    expect(byRef).toEqual([]);
    expect(byLiteral).toEqual([]);
    expect(another).toHaveLength(1);
  });

  it('accepts a Metrics Insights alarm on Fault in the namespace the function writes to (Powertools variable)', () => {
    const alarm = (expression: string) => ({
      ...lookoutFunction(),
      Alarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:oncall'],
          Metrics: [{ Id: 'q', Expression: expression, Period: 300 }],
        },
      },
    });

    expect(
      ruleHits(
        alarm(`SELECT SUM(Fault) FROM SCHEMA("Shop", Service, Environment) WHERE Service = 'orders-prod'`),
        'Lookout.5',
      ),
    ).toEqual([]);
    expect(
      ruleHits(
        alarm(`SELECT SUM(Fault) FROM SCHEMA("Lookout", Service) WHERE Service = 'orders-prod'`),
        'Lookout.5',
      ),
    ).toHaveLength(1);
  });

  it('does not count an alarm on another service’s Fault metric', () => {
    const resources = {
      ...lookoutFunction(),
      Alarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          Namespace: 'Shop',
          MetricName: 'Fault',
          Dimensions: [{ Name: 'Service', Value: 'payments' }],
          AlarmActions: ['arn'],
        },
      },
    };

    expect(ruleHits(resources, 'Lookout.5')[0]?.[2]).toBe(
      'no alarm watches Fault in namespace Shop for service orders-prod in environment production: handler errors page nobody',
    );
  });

  it('does not count an alarm on Fault under a dimension set the SDK never publishes', () => {
    // Prepare: alarms on the right metric and service, but by Service alone, with no
    // dimensions, and a Metrics Insights query over SCHEMA(namespace, Service)
    const alarmWith = (properties: Record<string, unknown>) => ({
      ...lookoutFunction(),
      Alarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: { AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:oncall'], ...properties },
      },
    });
    const onMetric = (dimensions: unknown) =>
      alarmWith({ Namespace: 'Shop', MetricName: 'Fault', Statistic: 'Sum', Dimensions: dimensions });
    const onQuery = (expression: string) =>
      alarmWith({ Metrics: [{ Id: 'q', Expression: expression, Period: 300 }] });

    // Act
    const serviceOnly = ruleHits(onMetric([{ Name: 'Service', Value: 'orders-prod' }]), 'Lookout.5');
    const none = ruleHits(onMetric(undefined), 'Lookout.5');
    const schemaOfOne = ruleHits(
      onQuery(`SELECT SUM(Fault) FROM SCHEMA("Shop", Service) WHERE Service = 'orders-prod'`),
      'Lookout.5',
    );
    const published = ruleHits(
      onMetric([
        { Name: 'Service', Value: 'orders-prod' },
        { Name: 'Environment', Value: 'production' },
      ]),
      'Lookout.5',
    );
    const decidedAtDeploy = ruleHits(
      onMetric({ 'Fn::If': ['Prod', [{ Name: 'Service', Value: 'orders-prod' }], []] }),
      'Lookout.5',
    );

    // Assess: CloudWatch keeps one series per exact dimension set; only the published ones count
    expect(serviceOnly).toHaveLength(1);
    expect(none).toHaveLength(1);
    expect(schemaOfOne).toHaveLength(1);
    expect(published).toEqual([]);
    expect(decidedAtDeploy).toEqual([]);
  });

  it('does not count an alarm on Fault for another environment than the function writes', () => {
    // Prepare: the function sets no LOOKOUT_ENVIRONMENT, so the SDK writes NODE_ENV or, on
    // Lambda, "production"; the alarms watch Environment "prod"
    const withAlarm = (variables: Record<string, string>, expression?: string) =>
      functionWithAlarm(
        { POWERTOOLS_METRICS_NAMESPACE: 'Shop', ...variables },
        expression === undefined
          ? {
              Namespace: 'Shop',
              MetricName: 'Fault',
              Dimensions: [
                { Name: 'Service', Value: 'orders-prod' },
                { Name: 'Environment', Value: 'prod' },
              ],
            }
          : { Metrics: [{ Id: 'q', Expression: expression, Period: 300 }] },
      );
    const query = `SELECT SUM(Fault) FROM SCHEMA("Shop", Service, Environment) WHERE Service = 'orders-prod' AND Environment = 'prod'`;

    // Act
    const lambdaDefault = ruleHits(withAlarm({}), 'Lookout.5');
    const fromNodeEnv = ruleHits(withAlarm({ NODE_ENV: 'staging' }), 'Lookout.5');
    const queryOnDefault = ruleHits(withAlarm({}, query), 'Lookout.5');
    const sameEnvironment = ruleHits(withAlarm({ LOOKOUT_ENVIRONMENT: 'prod', NODE_ENV: 'x' }), 'Lookout.5');
    const sameInQuery = ruleHits(withAlarm({ LOOKOUT_ENVIRONMENT: 'prod' }, query), 'Lookout.5');

    // Assess
    expect(lambdaDefault.map((hit) => hit[2])).toEqual([
      'no alarm watches Fault in namespace Shop for service orders-prod in environment production: handler errors page nobody',
    ]);
    expect(fromNodeEnv[0]?.[2]).toContain('in environment staging');
    expect(queryOnDefault).toHaveLength(1);
    expect(sameEnvironment).toEqual([]);
    expect(sameInQuery).toEqual([]);
  });

  it('reads the service and environment from OTEL_RESOURCE_ATTRIBUTES as the SDK does', () => {
    // Prepare: no service or environment variable, only resource attributes (percent-encoded),
    // and an alarm on exactly the series the SDK then writes
    const withAttributes = (variables: Record<string, string>) =>
      functionWithAlarm(variables, {
        Namespace: 'Lookout',
        MetricName: 'Fault',
        Dimensions: [
          { Name: 'Service', Value: 'orders api' },
          { Name: 'Environment', Value: 'prod' },
        ],
      });

    // Act
    const fromOtel = ruleHits(
      withAttributes({
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=orders%20api,deployment.environment.name=prod',
      }),
      'Lookout.5',
    );
    const fromLookout = ruleHits(
      withAttributes({
        LOOKOUT_RESOURCE_ATTRIBUTES: 'service.name=orders%20api,deployment.environment=prod',
        NODE_ENV: 'staging',
      }),
      'Lookout.5',
    );
    const blankServiceName = ruleHits(
      withAttributes({
        LOOKOUT_SERVICE_NAME: ' ',
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=orders%20api,deployment.environment.name=prod',
      }),
      'Lookout.5',
    );
    const otherService = ruleHits(
      withAttributes({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=payments,deployment.environment.name=prod' }),
      'Lookout.5',
    );

    // Assess
    expect(fromOtel).toEqual([]);
    expect(fromLookout).toEqual([]);
    expect(blankServiceName).toEqual([]);
    expect(otherService[0]?.[2]).toContain('for service payments in environment prod');
  });

  // The check read these variables by a copy of the SDK's rule, which took a namespace the SDK
  // refuses, and a service or environment as set where the SDK's metrics rewrite what CloudWatch
  // would refuse: it then sent the user to alarm on a series nobody writes.
  it.each([
    [
      'a namespace the SDK refuses, falling back to the next variable',
      { LOOKOUT_METRICS_NAMESPACE: 'AWS/Lambda', POWERTOOLS_METRICS_NAMESPACE: 'Shop' },
      { namespace: 'Shop', service: 'orders-prod', environment: 'production' },
    ],
    [
      'a namespace the SDK refuses, falling back to its default',
      { LOOKOUT_METRICS_NAMESPACE: 'bad|namespace' },
      { namespace: 'Lookout', service: 'orders-prod', environment: 'production' },
    ],
    [
      'a service and an environment outside ASCII, as the metrics write them',
      {
        LOOKOUT_SERVICE_NAME: 'commandes-é',
        LOOKOUT_ENVIRONMENT: 'prød',
        POWERTOOLS_METRICS_NAMESPACE: 'Shop',
      },
      { namespace: 'Shop', service: 'commandes-?', environment: 'pr?d' },
    ],
  ] as const)('names the series the SDK writes for %s', (_case, variables, expected) => {
    // Prepare: what the SDK resolves from the same variables on Lambda, as its metrics write it
    const { config } = resolveConfig({
      env: { ...variables, AWS_LAMBDA_FUNCTION_NAME: 'orders-prod' },
      appPackage: { name: undefined, version: undefined },
    });
    const written = {
      namespace: config.metrics.namespace,
      service: toDimensionValue(config.serviceName),
      environment: toDimensionValue(config.environment),
    };
    const onSeries = (series: typeof expected) =>
      functionWithAlarm(variables, {
        Namespace: series.namespace,
        MetricName: 'Fault',
        Dimensions: [
          { Name: 'Service', Value: series.service },
          { Name: 'Environment', Value: series.environment },
        ],
      });

    // Act
    const unwatched = ruleHits(functionWithAlarm(variables, {}), 'Lookout.5');
    const watched = ruleHits(onSeries(expected), 'Lookout.5');

    // Assess
    expect(written).toEqual(expected);
    expect(unwatched.map((hit) => hit[2])).toEqual([
      `no alarm watches Fault in namespace ${expected.namespace} for service ${expected.service} in environment ${expected.environment}: handler errors page nobody`,
    ]);
    expect(watched).toEqual([]);
  });

  it('finds the Lookout layer when its ARN is an Fn::Sub or a parameter with a default', () => {
    // Prepare: the published layer attached without the exec wrapper variable in sight, and
    // tracing left off, which Lookout.3 is about
    const withLayer = (layer: unknown) => ({
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: 'orders-prod', Runtime: 'nodejs24.x', Layers: [layer] },
      },
    });
    const parameters = {
      Parameters: {
        LookoutLayerArn: { Type: 'String', Default: 'arn:aws:lambda:eu-west-1:123456789012:layer:lookout:3' },
        OtherLayerArn: { Type: 'String', Default: 'arn:aws:lambda:eu-west-1:123456789012:layer:sharp:1' },
      },
    };

    // Act
    const fromSub = ruleHits(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template literal
      withLayer({ 'Fn::Sub': 'arn:aws:lambda:${AWS::Region}:123456789012:layer:lookout:3' }),
      'Lookout.3',
    );
    const fromJoin = ruleHits(
      withLayer({
        'Fn::Join': [
          ':',
          ['arn:aws:lambda', { Ref: 'AWS::Region' }, '123456789012', 'layer', 'lookout', '3'],
        ],
      }),
      'Lookout.3',
    );
    const fromParameter = ruleHits(withLayer({ Ref: 'LookoutLayerArn' }), 'Lookout.3', parameters);
    const otherLayer = ruleHits(withLayer({ Ref: 'OtherLayerArn' }), 'Lookout.3', parameters);

    // Assess
    expect(fromSub).toHaveLength(1);
    expect(fromJoin).toHaveLength(1);
    expect(fromParameter).toHaveLength(1);
    expect(otherLayer).toEqual([]);
  });

  it('reports a function whose metrics are turned off, even with an alarm on Fault', () => {
    // Prepare: the function and an alarm on exactly its series, then variables that turn the
    // SDK's metrics off (or not), as the SDK reads them
    const withVariables = (variables: Record<string, unknown>) =>
      functionWithAlarm(
        { POWERTOOLS_METRICS_NAMESPACE: 'Shop', ...variables },
        {
          Namespace: 'Shop',
          MetricName: 'Fault',
          Dimensions: [
            { Name: 'Service', Value: 'orders-prod' },
            { Name: 'Environment', Value: 'production' },
          ],
        },
      );
    const messages = (variables: Record<string, unknown>) =>
      ruleHits(withVariables(variables), 'Lookout.5').map((hit) => hit[2]);

    // Act and Assess
    expect(messages({})).toEqual([]);
    expect(messages({ LOOKOUT_METRICS_ENABLED: 'false' })).toEqual([
      'runs Lookout with its metrics turned off (LOOKOUT_METRICS_ENABLED=false): it writes no Fault metric, so no alarm can page anyone about handler errors',
    ]);
    expect(messages({ POWERTOOLS_DEV: 'true' })[0]).toContain('(POWERTOOLS_DEV=true)');
    expect(messages({ POWERTOOLS_METRICS_DISABLED: '1' })[0]).toContain('(POWERTOOLS_METRICS_DISABLED=1)');
    expect(messages({ LOOKOUT_ENABLED: 'false' })[0]).toContain('(LOOKOUT_ENABLED=false)');
    // LOOKOUT_METRICS_ENABLED wins over Powertools' switch; one known only at deploy time is trusted
    expect(messages({ POWERTOOLS_METRICS_DISABLED: 'true', LOOKOUT_METRICS_ENABLED: 'true' })).toEqual([]);
    expect(messages({ LOOKOUT_METRICS_ENABLED: { Ref: 'MetricsOn' } })).toEqual([]);
  });

  it('finds a layer of the template named for Lookout through an Fn::Sub', () => {
    // Prepare: the layer's logical id says nothing; its name is written per stage
    const resources = {
      Layer: {
        Type: 'AWS::Lambda::LayerVersion',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template literal
        Properties: { LayerName: { 'Fn::Sub': 'lookout-${Stage}' }, Content: { S3Bucket: 'b', S3Key: 'k' } },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: 'orders-prod', Runtime: 'nodejs24.x', Layers: [{ Ref: 'Layer' }] },
      },
    };

    // Act
    const hits = ruleHits(resources, 'Lookout.3');

    // Assess: tracing is not set on a function running Lookout
    expect(hits).toHaveLength(1);
  });

  it('leaves functions without Lookout to the general rules', () => {
    const plain = { Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x' } } };

    expect(ruleHits(plain, 'Lookout.3')).toEqual([]);
    expect(ruleHits(plain, 'Lookout.5')).toEqual([]);
    expect(ruleHits(plain, 'Lambda.7')).toHaveLength(1);
  });
});
