// ServiceObservability options that change what is created: a server service, the metric
// filter fallback for audit counts, an imported key, no dashboard or saved queries, and props
// refused at synth time. One app, synthesized once.
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceObservability } from '../../src/cdk/index.js';
import { LookoutConfigError } from '../../src/core.js';
import {
  alarmReferences,
  dashboardSearches,
  resourcesOfType,
  type TemplateJson,
} from '../helpers/cdk-template.js';

let server: TemplateJson;
let fallback: TemplateJson;
let fallbackTemplate: Template;
let bare: Template;

beforeAll(() => {
  const app = new App();
  const serverStack = new Stack(app, 'Server');
  new ServiceObservability(serverStack, 'Observability', {
    serviceName: 'orders-api',
    environment: 'staging',
    namespace: 'Shop',
    platform: 'server',
  });
  const fallbackStack = new Stack(app, 'Fallback');
  new ServiceObservability(fallbackStack, 'Observability', {
    serviceName: 'legacy-api',
    environment: 'prod',
    platform: 'server',
    auditMetricSource: 'logs',
  });
  const bareStack = new Stack(app, 'Bare');
  new ServiceObservability(bareStack, 'Observability', {
    serviceName: 'batch',
    environment: 'prod',
    platform: 'server',
    dashboard: false,
    savedQueries: false,
    alerts: {
      encryptionKey: kms.Key.fromKeyArn(bareStack, 'Imported', 'arn:aws:kms:eu-west-1:111122223333:key/abcd'),
    },
  });
  server = Template.fromStack(serverStack).toJSON() as TemplateJson;
  fallbackTemplate = Template.fromStack(fallbackStack);
  fallback = fallbackTemplate.toJSON() as TemplateJson;
  bare = Template.fromStack(bareStack);
});

function alarm(template: TemplateJson, name: string): Record<string, unknown> {
  const found = resourcesOfType(template, 'AWS::CloudWatch::Alarm').find(([, p]) => p.AlarmName === name);
  if (found === undefined) throw new Error(`no alarm ${name}`);
  return found[1];
}

describe('a server service', () => {
  it('divides faults by RequestCount, in its own namespace', () => {
    const { metrics } = alarmReferences(alarm(server, 'orders-api-staging-error-rate'));

    expect(metrics.map((metric) => `${metric.namespace}/${metric.name}`).sort()).toEqual([
      'Shop/Fault',
      'Shop/RequestCount',
    ]);
  });

  it('has no Lambda alarms', () => {
    const names = resourcesOfType(server, 'AWS::CloudWatch::Alarm').map(([, p]) => String(p.AlarmName));

    expect(names).toHaveLength(7);
  });
});

describe('audit counts from the log group (auditMetricSource: logs)', () => {
  it('counts every audit line by action and status with one metric filter', () => {
    fallbackTemplate.resourceCountIs('AWS::Logs::MetricFilter', 1);
    fallbackTemplate.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.audit IS TRUE }',
      MetricTransformations: [
        {
          MetricNamespace: 'Lookout/AuditLog/legacy-api/prod',
          MetricName: 'AuditEvents',
          MetricValue: '1',
          Unit: 'Count',
          Dimensions: Match.arrayWith([
            { Key: 'Action', Value: '$.action' },
            { Key: 'Status', Value: '$.status' },
          ]),
        },
      ],
    });
  });

  it('points the audit alarms and the audit dashboard line at the filter metrics', () => {
    const { metrics } = alarmReferences(alarm(fallback, 'legacy-api-prod-brute-force'));
    const [[, dashboard] = ['', {}]] = resourcesOfType(fallback, 'AWS::CloudWatch::Dashboard');
    const audit = dashboardSearches(dashboard).find((search) => search.name === 'AuditEvents');

    expect(metrics).toEqual([
      {
        namespace: 'Lookout/AuditLog/legacy-api/prod',
        name: 'AuditEvents',
        dimensions: { Action: 'LOGIN', Status: 'FAILED' },
        unit: 'Count',
        statistic: 'Sum',
      },
    ]);
    expect(audit).toMatchObject({
      namespace: 'Lookout/AuditLog/legacy-api/prod',
      dimensionNames: ['Action', 'Status'],
    });
  });

  it('keeps request metrics on EMF', () => {
    const { metrics } = alarmReferences(alarm(fallback, 'legacy-api-prod-error-rate'));

    expect(new Set(metrics.map((metric) => metric.namespace))).toEqual(new Set(['Lookout']));
  });
});

describe('optional parts', () => {
  it('creates no dashboard and no saved queries when asked not to', () => {
    bare.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    bare.resourceCountIs('AWS::Logs::QueryDefinition', 0);
    bare.resourceCountIs('AWS::CloudWatch::Alarm', 7);
  });

  it('uses an imported key for the topics without creating one', () => {
    bare.resourceCountIs('AWS::KMS::Key', 0);
    bare.allResourcesProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abcd',
    });
  });
});

describe('props refused at synth', () => {
  it.each([
    [{ serviceName: 'orders api é' }, 'serviceName'],
    [{ namespace: 'AWS/Custom' }, 'namespace'],
    [{ alarms: { bruteForce: { threshold: -5 } } }, 'alarms.bruteForce.threshold'],
    [{ auditMetricSource: 'logs', auditLogNamespace: 'bad|namespace' }, 'auditLogNamespace'],
    [{ platform: 'ecs' as never }, 'platform'],
    [{ dashboardName: 'd'.repeat(256) }, 'dashboardName'],
    [{ dashboardName: 'orders.prod' }, 'dashboardName'],
  ] as const)('%o throws LookoutConfigError naming %s', (props, option) => {
    const act = () =>
      new ServiceObservability(new Stack(new App(), 'Refused'), 'Observability', {
        serviceName: 'orders-api',
        environment: 'prod',
        platform: 'server',
        ...props,
      });

    expect(act).toThrow(LookoutConfigError);
    expect(act).toThrow(`Invalid option "${option}"`);
  });
});

describe('values known only at deploy time', () => {
  it('names the dashboard after a service name given as a token, not after the token’s text', () => {
    // Prepare
    const stack = new Stack(new App(), 'Tokens');
    const service = new CfnParameter(stack, 'ServiceName', { default: 'orders-api' });
    new ServiceObservability(stack, 'Observability', {
      serviceName: service.valueAsString,
      environment: 'prod',
      platform: 'lambda',
    });

    // Act
    const template = Template.fromStack(stack).toJSON() as TemplateJson;
    const [dashboard] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard');

    // Assess
    expect(dashboard?.[1].DashboardName).toEqual({ 'Fn::Join': ['', [{ Ref: 'ServiceName' }, '-prod']] });
  });

  it('accepts a namespace given as a token and points the alarms at it', () => {
    // Prepare: the namespace and service name from parameters, audit counts from the log group
    // (whose default namespace is built from both)
    const stack = new Stack(new App(), 'NamespaceToken');
    const namespace = new CfnParameter(stack, 'Namespace', { default: 'Shop' });
    const service = new CfnParameter(stack, 'ServiceName', { default: 'orders-api' });
    new ServiceObservability(stack, 'Observability', {
      serviceName: service.valueAsString,
      environment: 'prod',
      namespace: namespace.valueAsString,
      platform: 'server',
      auditMetricSource: 'logs',
    });

    // Act
    const template = Template.fromStack(stack).toJSON() as TemplateJson;
    const latency = resourcesOfType(template, 'AWS::CloudWatch::Alarm').find(
      ([, properties]) => properties.MetricName === 'Latency',
    );

    // Assess
    expect(latency?.[1].Namespace).toEqual({ Ref: 'Namespace' });
    expect(latency?.[1].Dimensions).toEqual([
      { Name: 'Environment', Value: 'prod' },
      { Name: 'Service', Value: { Ref: 'ServiceName' } },
    ]);
  });

  it('alarms on a share of a function timeout given as a token, written in at deploy time', () => {
    // Prepare: the timeout from a Number parameter, 30 s by default
    const stack = new Stack(new App(), 'TimeoutToken');
    const timeout = new CfnParameter(stack, 'TimeoutSeconds', { type: 'Number', default: 30 });
    const fn = new lambda.Function(stack, 'Orders', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
      timeout: Duration.seconds(timeout.valueAsNumber),
    });

    // Act
    new ServiceObservability(stack, 'Observability', {
      serviceName: 'orders-api',
      environment: 'prod',
      platform: 'lambda',
      functions: [fn],
    });
    const template = Template.fromStack(stack).toJSON() as TemplateJson;
    const duration = alarm(template, 'orders-api-prod-orders-duration');

    // Assess: p99 Duration as a percentage of 1000 * the parameter, against the 80 % share
    const [expression] = (duration.Metrics as { Expression?: unknown }[]).filter(
      (query) => query.Expression !== undefined,
    );
    expect(expression?.Expression).toEqual({
      'Fn::Join': ['', ['100 * duration / (1000 * ', { Ref: 'TimeoutSeconds' }, ')']],
    });
    expect(duration.Threshold).toBe(80);
    expect(duration.AlarmDescription).toContain('80 % of the timeout (set at deploy time)');
  });
});

describe('functions whose ids clash once numbered', () => {
  it('watches a function named OrdersFunction3 and two named Orders, each with its own alarms', () => {
    // Prepare: imported functions in three scopes; the third Orders would be numbered 3
    const stack = new Stack(new App(), 'Clash');
    const observability = new ServiceObservability(stack, 'Observability', {
      serviceName: 'orders-api',
      environment: 'prod',
      platform: 'lambda',
    });
    const imported = (scope: Construct, id: string) =>
      lambda.Function.fromFunctionArn(scope, id, `arn:aws:lambda:eu-west-1:123456789012:function:${id}`);
    const options = { timeout: Duration.seconds(10) };

    // Act
    observability.addFunction(imported(stack, 'OrdersFunction3'), options);
    observability.addFunction(imported(new Construct(stack, 'A'), 'Orders'), options);
    observability.addFunction(imported(new Construct(stack, 'B'), 'Orders'), options);

    // Assess
    expect(Object.keys(observability.functionAlarms)).toEqual([
      'OrdersFunction3',
      'Orders',
      'OrdersFunction4',
    ]);
  });

  it('gives functions whose ids differ only in case alarm names of their own', () => {
    // Prepare: CloudFormation refuses an alarm name a second time, and alarm names are the ids
    // in lower case
    const stack = new Stack(new App(), 'CaseClash');
    const observability = new ServiceObservability(stack, 'Observability', {
      serviceName: 'orders-api',
      environment: 'prod',
      platform: 'lambda',
    });
    const options = { timeout: Duration.seconds(10) };

    // Act
    for (const id of ['OrdersHandler', 'ordersHandler', 'ORDERSHandler'])
      observability.addFunction(
        lambda.Function.fromFunctionArn(stack, id, `arn:aws:lambda:eu-west-1:123456789012:function:${id}`),
        options,
      );

    // Assess
    const names = resourcesOfType(
      Template.fromStack(stack).toJSON() as TemplateJson,
      'AWS::CloudWatch::Alarm',
    ).map(([, properties]) => properties.AlarmName);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((name) => String(name).endsWith('-error-rate'))).toHaveLength(4);
  });
});

describe("names past CloudFormation's limits", () => {
  // A service name may be 255 characters (a dimension value): the names made from it, the
  // environment and the construct ids went past what CloudFormation takes, and only the deploy
  // failed. Synth makes them fit, each kept apart from the others and keeping its ending.
  const serviceName = `shop:${'orders-'.repeat(35)}api`; // 253 characters
  let names: Record<'alarms' | 'queries' | 'dashboards' | 'budgets', string[]>;

  beforeAll(() => {
    const stack = new Stack(new App(), 'LongNames');
    const observability = new ServiceObservability(stack, 'Observability', {
      serviceName,
      environment: 'production-eu-west-1',
      platform: 'lambda',
      errorStore: true,
      costBudget: { monthlyLimitUsd: 100 },
    });
    const options = { timeout: Duration.seconds(10) };
    for (const id of [
      'OrdersHandlerThatReadsTheCatalogueAndWritesTheOrders',
      'OrdersHandlerThatReadsTheCatalogue',
    ])
      observability.addFunction(
        lambda.Function.fromFunctionArn(stack, id, `arn:aws:lambda:eu-west-1:123456789012:function:${id}`),
        options,
      );
    const json = Template.fromStack(stack).toJSON() as TemplateJson;
    const named = (type: string, read: (properties: Record<string, unknown>) => unknown) =>
      resourcesOfType(json, type).map(([, properties]) => String(read(properties)));
    names = {
      alarms: named('AWS::CloudWatch::Alarm', (properties) => properties.AlarmName),
      queries: named('AWS::Logs::QueryDefinition', (properties) => properties.Name),
      dashboards: named('AWS::CloudWatch::Dashboard', (properties) => properties.DashboardName),
      budgets: named(
        'AWS::Budgets::Budget',
        (properties) => (properties.Budget as { BudgetName: string }).BudgetName,
      ),
    };
  });

  it.each([
    ['alarms', 255, /^[ -~]+$/],
    ['queries', 255, /^[^:*]+$/],
    ['dashboards', 255, /^[\w-]+$/],
    ['budgets', 100, /^[^:\\]+$/],
  ] as const)(
    'makes every name of the %s at most %i characters, each its own, of allowed characters',
    (kind, max, allowed) => {
      // Assess
      const list = names[kind];
      expect(list.length).toBeGreaterThan(0);
      for (const name of list) {
        expect(name.length).toBeLessThanOrEqual(max);
        expect(name).toMatch(allowed);
      }
      expect(new Set(list).size).toBe(list.length);
    },
  );

  it('keeps the ending that says which alarm a shortened name is, and the service it starts with', () => {
    // Assess
    const functionAlarms = names.alarms.filter((name) =>
      name.includes('orders-handler-that-reads-the-catalogue'),
    );
    expect(functionAlarms).toHaveLength(6);
    expect(
      functionAlarms.filter((name) => name.endsWith('-catalogue-and-writes-the-orders-error-rate')),
    ).toHaveLength(1);
    expect(functionAlarms.filter((name) => name.endsWith('-reads-the-catalogue-error-rate'))).toHaveLength(1);
    for (const name of names.alarms) expect(name.startsWith('shop:orders-orders-')).toBe(true);
    expect(names.alarms.some((name) => name.endsWith('-error-store-dead-letters'))).toBe(true);
    expect(names.queries.some((name) => name.endsWith('/Top error fingerprints'))).toBe(true);
    expect(names.budgets[0]).toMatch(/-monthly-cost$/);
  });
});
