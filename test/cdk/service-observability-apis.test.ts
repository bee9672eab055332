// What ServiceObservability adds on request: alarms and a dashboard row per API Gateway API
// (`addApi`, REST and HTTP), the no-traffic alarm, a monthly cost budget notifying a topic, and
// the duration alarm of an imported function; and what it refuses at synth.
import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceObservability } from '../../src/cdk/index.js';
import { LookoutConfigError } from '../../src/core.js';
import {
  alarmReferences,
  dashboardBody,
  resourcesOfType,
  type TemplateJson,
} from '../helpers/cdk-template.js';

let json: TemplateJson;
let template: Template;
let ids: Record<'restStage' | 'http' | 'warning' | 'critical' | 'topicKey', string>;
let observability: ServiceObservability;

function handler(stack: Stack, id: string): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
}

beforeAll(() => {
  const stack = new Stack(new App(), 'Apis');
  const fn = handler(stack, 'Orders');
  observability = new ServiceObservability(stack, 'Observability', {
    serviceName: 'orders-api',
    environment: 'prod',
    platform: 'lambda',
    functions: [fn],
    alarms: { noTraffic: { enabled: true }, apiClientErrorRate: { threshold: 40 } },
    costBudget: { monthlyLimitUsd: 250, tag: { key: 'service', value: 'orders-api' } },
    errorStore: true,
  });
  const rest = new apigateway.LambdaRestApi(stack, 'OrdersRest', {
    handler: fn,
    deployOptions: { stageName: 'live' },
  });
  const http = new apigatewayv2.HttpApi(stack, 'OrdersHttp', {
    defaultIntegration: new integrations.HttpLambdaIntegration('Orders', fn),
  });
  observability.addApi(rest);
  observability.addApi(http);
  observability.addFunction(lambda.Function.fromFunctionName(stack, 'Imported', 'billing-worker'), {
    timeout: Duration.minutes(5),
  });
  template = Template.fromStack(stack);
  json = template.toJSON() as TemplateJson;
  const id = (element: unknown) => stack.getLogicalId(element as CfnElement);
  ids = {
    restStage: id(rest.deploymentStage.node.defaultChild),
    http: id(http.node.defaultChild),
    warning: id(observability.alerts.warning.node.defaultChild),
    critical: id(observability.alerts.critical.node.defaultChild),
    topicKey: id(observability.alerts.encryptionKey.node.defaultChild),
  };
});

function alarmNamed(suffix: string): Record<string, unknown> {
  const found = resourcesOfType(json, 'AWS::CloudWatch::Alarm').find(
    ([, properties]) => properties.AlarmName === `orders-api-prod-${suffix}`,
  );
  if (found === undefined) throw new Error(`no alarm orders-api-prod-${suffix}`);
  return found[1];
}

describe('addApi', () => {
  it.each([
    ['orders-rest', 'REST', '5XXError', '4XXError'],
    ['orders-http', 'HTTP', '5xx', '4xx'],
  ] as const)(
    'watches the %s stage (%s API): 5XX and 4XX rates over Count, p99 Latency',
    (name, kind, serverError, clientError) => {
      const dimensions =
        kind === 'REST'
          ? { ApiName: 'OrdersRest', Stage: { Ref: ids.restStage } }
          : { ApiId: { Ref: ids.http }, Stage: '$default' };
      const serverRate = alarmNamed(`${name}-5xx-rate`);
      const clientRate = alarmNamed(`${name}-4xx-rate`);
      const metricsOf = (alarm: Record<string, unknown>) =>
        alarmReferences(alarm).metrics.map((metric) => [
          metric.namespace,
          metric.name,
          metric.statistic,
          metric.dimensions,
        ]);

      expect(serverRate).toMatchObject({ Threshold: 5, EvaluationPeriods: 2, DatapointsToAlarm: 2 });
      expect(serverRate.AlarmActions).toEqual([{ Ref: ids.critical }]);
      expect(alarmReferences(serverRate).expressions).toEqual([
        'IF(requests >= 20, 100 * failures / requests, 0)',
      ]);
      expect(metricsOf(serverRate)).toEqual(
        expect.arrayContaining([
          ['AWS/ApiGateway', serverError, 'Sum', dimensions],
          ['AWS/ApiGateway', 'Count', 'Sum', dimensions],
        ]),
      );
      expect(clientRate).toMatchObject({ Threshold: 40 });
      expect(clientRate.AlarmActions).toEqual([{ Ref: ids.warning }]);
      expect(alarmReferences(clientRate).expressions).toEqual([
        'IF(requests >= 50, 100 * failures / requests, 0)',
      ]);
      expect(metricsOf(clientRate)).toEqual(
        expect.arrayContaining([['AWS/ApiGateway', clientError, 'Sum', dimensions]]),
      );
      expect(alarmNamed(`${name}-latency-p99`)).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Latency',
        ExtendedStatistic: 'p99',
        Threshold: 2000,
      });
      expect(Object.keys(observability.apiAlarms)).toEqual(['OrdersRest', 'OrdersHttp']);
    },
  );

  it('adds a dashboard row per API, and its alarms to the alarm widget', () => {
    const [[, dashboard] = ['', {}]] = resourcesOfType(json, 'AWS::CloudWatch::Dashboard');
    const { widgets } = dashboardBody(dashboard);
    const titles = widgets.map((widget) => widget.properties.title);

    expect(titles).toEqual(
      expect.arrayContaining([
        'OrdersRest (REST API): requests, 4XX, 5XX',
        'OrdersRest: latency (ms)',
        'OrdersHttp (HTTP API): requests, 4XX, 5XX',
        'OrdersHttp: latency (ms)',
      ]),
    );
    expect(widgets.find((widget) => widget.type === 'alarm')?.properties.alarms).toHaveLength(
      observability.allAlarms().length,
    );
  });

  it('refuses an API without a stage to watch unless one is given', () => {
    const stack = new Stack(new App(), 'NoStage');
    const service = new ServiceObservability(stack, 'Observability', {
      serviceName: 'orders-api',
      environment: 'prod',
      platform: 'server',
    });
    const api = new apigateway.RestApi(stack, 'Undeployed', { deploy: false });
    api.root.addMethod('GET');
    const stage = new apigateway.Stage(stack, 'Manual', {
      // RestApi's optional latestDeployment does not fit IRestApi under exactOptionalPropertyTypes.
      deployment: new apigateway.Deployment(stack, 'Deployment', { api: api as apigateway.IRestApi }),
      stageName: 'manual',
    });

    expect(() => service.addApi(api)).toThrow(LookoutConfigError);
    expect(() => service.addApi(api)).toThrow('Invalid option "addApi(api, { stage })"');
    expect(service.addApi(api, { stage }).serverErrorRate).toBeDefined();
  });
});

describe('every alarm of a service with every option', () => {
  it('says in its description what to do first when it fires', () => {
    const alarms = resourcesOfType(json, 'AWS::CloudWatch::Alarm');

    expect(alarms.length).toBeGreaterThan(20);
    for (const [, properties] of alarms) {
      expect(String(properties.AlarmDescription), String(properties.AlarmName)).toMatch(
        / First: [^.]{20,}.*\.$/,
      );
    }
  });
});

describe('the no-traffic alarm', () => {
  it('is created when turned on: fewer than 1 request in 3 periods of 5 minutes, silence counting as none, paging', () => {
    const alarm = alarmNamed('no-traffic');

    expect(alarm).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'breaching',
    });
    expect(alarm.AlarmActions).toEqual([{ Ref: ids.critical }]);
    expect(alarmReferences(alarm).expressions).toEqual(['FILL(requests, 0)']);
    expect(alarmReferences(alarm).metrics.map((metric) => metric.name)).toEqual(['Invocations']);
  });

  it('is not created unless turned on', () => {
    const stack = new Stack(new App(), 'Default');
    const service = new ServiceObservability(stack, 'Observability', {
      serviceName: 'orders-api',
      environment: 'prod',
      platform: 'server',
    });

    expect(service.alarms.noTraffic).toBeUndefined();
  });
});

describe('the cost budget', () => {
  it('budgets the tagged costs per month and notifies the warning topic at 80 % and 100 % and on the forecast', () => {
    const subscribers = [{ SubscriptionType: 'SNS', Address: { Ref: ids.warning } }];
    const notification = (type: string, threshold: number) => ({
      Notification: {
        NotificationType: type,
        ComparisonOperator: 'GREATER_THAN',
        Threshold: threshold,
        ThresholdType: 'PERCENTAGE',
      },
      Subscribers: subscribers,
    });

    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetName: 'orders-api-prod-monthly-cost',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 250, Unit: 'USD' },
        FilterExpression: { Tags: { Key: 'service', Values: ['orders-api'], MatchOptions: ['EQUALS'] } },
      },
      NotificationsWithSubscribers: [
        notification('ACTUAL', 80),
        notification('ACTUAL', 100),
        notification('FORECASTED', 100),
      ],
    });
  });

  it("lets only this account's budgets publish to the topic and use its key", () => {
    const fromThisAccount = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([':budgets::', ':*'])] } },
    };

    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: ids.warning }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'budgets.amazonaws.com' },
            Condition: fromThisAccount,
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'budgets.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: fromThisAccount,
          }),
        ]),
      },
    });
  });

  it.each([
    [{ monthlyLimitUsd: 0 }, 'costBudget.monthlyLimitUsd'],
    [{ monthlyLimitUsd: 100, actualPercentages: [50, 80, 90, 100, 120] }, 'costBudget.actualPercentages'],
    [{ monthlyLimitUsd: 100, actualPercentages: [-5] }, 'costBudget.actualPercentages'],
    [{ monthlyLimitUsd: 100, tag: { key: '', value: 'x' } }, 'costBudget.tag'],
  ])('refuses %o, naming %s', (costBudget, option) => {
    const act = () =>
      new ServiceObservability(new Stack(new App(), 'Refused'), 'Observability', {
        serviceName: 'orders-api',
        environment: 'prod',
        platform: 'server',
        costBudget,
      });

    expect(act).toThrow(LookoutConfigError);
    expect(act).toThrow(`Invalid option "${option}"`);
  });
});

describe('an imported function', () => {
  it('gets a duration alarm at 80 % of the timeout it was added with', () => {
    expect(alarmNamed('imported-duration')).toMatchObject({ Threshold: 240_000, ExtendedStatistic: 'p99' });
  });

  it('is refused without its timeout, which the duration alarm needs', () => {
    const stack = new Stack(new App(), 'Imported');
    const service = new ServiceObservability(stack, 'Observability', {
      serviceName: 'orders-api',
      environment: 'prod',
      platform: 'lambda',
    });
    const imported = lambda.Function.fromFunctionName(stack, 'Worker', 'worker');

    expect(() => service.addFunction(imported)).toThrow('Invalid option "addFunction(fn, { timeout })"');
    expect(
      service.addFunction(imported, { timeout: Duration.seconds(3) }).duration,
      'no duration alarm is skipped when the timeout is given',
    ).toBeDefined();
  });

  it('can go without a duration alarm when it is turned off', () => {
    const stack = new Stack(new App(), 'NoDuration');
    const service = new ServiceObservability(stack, 'Observability', {
      serviceName: 'orders-api',
      environment: 'prod',
      platform: 'lambda',
      alarms: { functionDuration: { enabled: false } },
    });

    expect(
      service.addFunction(lambda.Function.fromFunctionName(stack, 'Worker', 'worker')).duration,
    ).toBeUndefined();
  });
});
