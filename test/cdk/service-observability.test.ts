// The resources ServiceObservability creates and their key properties, asserted on one
// synthesized template (a Lambda service with two functions, one added after construction,
// an encrypted log group, e-mail subscriptions and tuned alarms).
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALARM_DEFAULTS,
  DASHBOARD_QUERIES,
  INSIGHTS_QUERIES,
  ServiceObservability,
} from '../../src/cdk/index.js';
import {
  alarmReferences,
  dashboardBody,
  resourcesOfType,
  type TemplateJson,
} from '../helpers/cdk-template.js';

let template: Template;
let json: TemplateJson;
let stack: Stack;
let observability: ServiceObservability;
let ids: Record<'orders' | 'reports' | 'logKey' | 'logGroup' | 'critical' | 'warning' | 'topicKey', string>;

function inlineFunction(
  scope: Stack,
  id: string,
  props: Partial<lambda.FunctionProps> = {},
): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    ...props,
  });
}

beforeAll(() => {
  const app = new App();
  stack = new Stack(app, 'Service');
  const logKey = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
  const orders = inlineFunction(stack, 'OrdersHandler');
  observability = new ServiceObservability(stack, 'Observability', {
    serviceName: 'orders-api',
    environment: 'prod',
    platform: 'lambda',
    functions: [orders],
    logGroup: { encryptionKey: logKey, retention: logs.RetentionDays.THREE_MONTHS },
    alerts: { criticalEmails: ['oncall@example.com'], warningEmails: ['team@example.com'] },
    alarms: { latencyP99: { threshold: 800 }, accessDenied: { enabled: false } },
  });
  const reports = inlineFunction(stack, 'ReportsHandler', {
    logGroup: observability.logGroup,
    environment: { ...observability.runtimeEnvironment },
    timeout: Duration.seconds(30),
  });
  observability.addFunction(reports);
  template = Template.fromStack(stack);
  json = template.toJSON() as TemplateJson;
  const id = (construct: { node: { defaultChild?: unknown } } | kms.Key | logs.LogGroup) =>
    stack.getLogicalId((construct.node.defaultChild ?? construct) as never);
  ids = {
    orders: id(orders),
    reports: id(reports),
    logKey: id(logKey),
    logGroup: id(observability.logGroup),
    critical: id(observability.alerts.critical),
    warning: id(observability.alerts.warning),
    topicKey: id(observability.alerts.encryptionKey as kms.Key),
  };
});

function alarmNamed(suffix: string): Record<string, unknown> {
  const found = resourcesOfType(json, 'AWS::CloudWatch::Alarm').find(
    ([, properties]) => properties.AlarmName === `orders-api-prod-${suffix}`,
  );
  if (found === undefined) throw new Error(`no alarm orders-api-prod-${suffix}`);
  return found[1];
}

describe('ServiceObservability log group', () => {
  it('keeps logs for the retention asked, encrypted with the key given, and survives stack deletion', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 90, KmsKeyId: { 'Fn::GetAtt': [ids.logKey, 'Arn'] } },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('lets CloudWatch Logs of this region use the key, for log groups of this account only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsToUseTheKey',
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            Action: Match.arrayWith(['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*']),
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': {
                  'Fn::Join': ['', Match.arrayWith([':logs:', ':log-group:*'])],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('defaults to 365 days', () => {
    const app = new App();
    const other = new Stack(app, 'Defaults');
    new ServiceObservability(other, 'Observability', {
      serviceName: 'a',
      environment: 'b',
      platform: 'server',
      dashboard: false,
      savedQueries: false,
    });

    Template.fromStack(other).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });
});

describe('ServiceObservability alert topics', () => {
  it('encrypts both topics with a rotated customer-managed key that CloudWatch alarms may use', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Effect: 'Allow',
          }),
        ]),
      },
    });
    for (const topic of [ids.critical, ids.warning]) {
      expect(json.Resources[topic]?.Properties?.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [ids.topicKey, 'Arn'],
      });
    }
  });

  it.each([['critical'], ['warning']] as const)(
    "%s: denies publishing without TLS and lets only this account's alarms publish",
    (which) => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: ids[which] }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Condition: {
                ArnLike: {
                  'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([':cloudwatch:', ':alarm:*'])] },
                },
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              },
            }),
          ]),
        },
      });
    },
  );

  it('subscribes the e-mail addresses to their topic', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: ids.critical },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'team@example.com',
      TopicArn: { Ref: ids.warning },
    });
  });
});

describe('ServiceObservability alarms', () => {
  it('creates the service, audit and per-function alarms, leaving out the one disabled', () => {
    const names = resourcesOfType(json, 'AWS::CloudWatch::Alarm').map(
      ([, properties]) => properties.AlarmName,
    );

    expect(names.sort()).toEqual(
      [
        'error-rate',
        'latency-p99',
        'brute-force',
        'failed-actions',
        'excessive-deletes',
        'suspicious-requests',
        'orders-handler-error-rate',
        'orders-handler-duration',
        'orders-handler-throttles',
        'reports-handler-error-rate',
        'reports-handler-duration',
        'reports-handler-throttles',
      ]
        .map((suffix) => `orders-api-prod-${suffix}`)
        .sort(),
    );
    expect(Object.keys(observability.alarms)).not.toContain('accessDenied');
  });

  it('treats missing data as not breaching, compares "greater than" and notifies on alarm and on recovery', () => {
    for (const [, properties] of resourcesOfType(json, 'AWS::CloudWatch::Alarm')) {
      expect(properties.TreatMissingData).toBe('notBreaching');
      expect(properties.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(properties.AlarmActions).toHaveLength(1);
      expect(properties.OKActions).toEqual(properties.AlarmActions);
    }
  });

  it('alarms on Fault / Invocations above 5 % over 2 periods of 5 minutes, with at least 20 requests, paging the critical topic', () => {
    const alarm = alarmNamed('error-rate');
    const { metrics, expressions } = alarmReferences(alarm);

    expect(alarm).toMatchObject({ Threshold: 5, EvaluationPeriods: 2, DatapointsToAlarm: 2 });
    expect(alarm.AlarmActions).toEqual([{ Ref: ids.critical }]);
    expect(expressions).toEqual(['IF(requests >= 20, 100 * failures / requests, 0)']);
    expect(metrics.map(({ name, statistic }) => `${name}:${statistic}`).sort()).toEqual([
      'Fault:Sum',
      'Invocations:Sum',
    ]);
    for (const metric of metrics) {
      expect(metric).toMatchObject({
        namespace: 'Lookout',
        dimensions: { Service: 'orders-api', Environment: 'prod' },
      });
    }
  });

  it('alarms on p99 latency with the tuned threshold, to the warning topic', () => {
    const alarm = alarmNamed('latency-p99');

    expect(alarm).toMatchObject({
      Namespace: 'Lookout',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Unit: 'Milliseconds',
      Threshold: 800,
      Period: 300,
    });
    expect(alarm.AlarmActions).toEqual([{ Ref: ids.warning }]);
  });

  it('alarms on more than 20 failed logins in 5 minutes', () => {
    expect(alarmNamed('brute-force')).toMatchObject({
      MetricName: 'AuditEvents',
      Statistic: 'Sum',
      Threshold: 20,
      EvaluationPeriods: 1,
      Period: 300,
    });
    expect(alarmReferences(alarmNamed('brute-force')).metrics[0]?.dimensions).toEqual({
      Service: 'orders-api',
      Environment: 'prod',
      Action: 'LOGIN',
      Status: 'FAILED',
    });
  });

  it('sums failed audit events over every action (> 50 in 5 minutes) and delete attempts (> 30)', () => {
    const failed = alarmReferences(alarmNamed('failed-actions'));
    const deletes = alarmReferences(alarmNamed('excessive-deletes'));

    expect(alarmNamed('failed-actions').Threshold).toBe(50);
    expect(failed.expressions[0]).toMatch(/^SUM\(\[\w+(, \w+){6}\]\)$/);
    expect(failed.metrics.map((metric) => metric.dimensions.Action).sort()).toEqual([
      'ACCESS_DENIED',
      'CREATE',
      'DELETE',
      'LOGIN',
      'LOGOUT',
      'READ',
      'UPDATE',
    ]);
    expect(new Set(failed.metrics.map((metric) => metric.dimensions.Status))).toEqual(new Set(['FAILED']));
    expect(alarmNamed('excessive-deletes').Threshold).toBe(30);
    expect(
      deletes.metrics.map((metric) => `${metric.dimensions.Action}/${metric.dimensions.Status}`).sort(),
    ).toEqual(['DELETE/FAILED', 'DELETE/SUCCESS']);
  });

  it('sums suspicious requests over every rule with a Metrics Insights query', () => {
    const { queries } = alarmReferences(alarmNamed('suspicious-requests'));

    expect(queries).toEqual([
      {
        namespace: 'Lookout',
        name: 'SuspiciousRequest',
        dimensionNames: ['Environment', 'Rule', 'Service'],
        where: { Service: 'orders-api', Environment: 'prod' },
      },
    ]);
  });

  it('ends every description with what to do first, the runbook line of its alarm', () => {
    const runbooks = Object.values(ALARM_DEFAULTS).map((settings) => settings.runbook);

    for (const [, properties] of resourcesOfType(json, 'AWS::CloudWatch::Alarm')) {
      const description = String(properties.AlarmDescription);
      expect(description.length).toBeLessThanOrEqual(1024);
      expect(
        runbooks.some((runbook) => description.endsWith(`First: ${runbook}`)),
        `${String(properties.AlarmName)}: ${description}`,
      ).toBe(true);
    }
  });

  it.each([
    ['orders-handler', 'orders', 2400, '3 s'],
    ['reports-handler', 'reports', 24000, '30 s'],
  ] as const)(
    'watches %s: error rate > 5 % (2 periods, at least 20 invocations), p99 duration > %d ms (80 % of its %s timeout), throttles > 5',
    (name, key, durationMs, timeout) => {
      const fn = { Ref: ids[key] };
      const errorRate = alarmNamed(`${name}-error-rate`);
      const { metrics, expressions } = alarmReferences(errorRate);
      const duration = alarmNamed(`${name}-duration`);

      expect(errorRate).toMatchObject({ Threshold: 5, EvaluationPeriods: 2, DatapointsToAlarm: 2 });
      expect(expressions).toEqual(['IF(requests >= 20, 100 * failures / requests, 0)']);
      expect(metrics.map((metric) => [metric.namespace, metric.name, metric.dimensions])).toEqual(
        expect.arrayContaining([
          ['AWS/Lambda', 'Errors', { FunctionName: fn }],
          ['AWS/Lambda', 'Invocations', { FunctionName: fn }],
        ]),
      );
      expect(duration).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        ExtendedStatistic: 'p99',
        Threshold: durationMs,
        EvaluationPeriods: 2,
      });
      expect(duration.AlarmDescription).toContain(`${durationMs} ms (80 % of the ${timeout} timeout)`);
      expect(alarmNamed(`${name}-throttles`)).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
        Statistic: 'Sum',
        Threshold: 5,
        EvaluationPeriods: 1,
      });
    },
  );
});

describe('ServiceObservability dashboard', () => {
  function body() {
    const [[, properties] = ['', {}]] = resourcesOfType(json, 'AWS::CloudWatch::Dashboard');
    return { name: properties.DashboardName, widgets: dashboardBody(properties).widgets };
  }

  it('is named after the service and environment', () => {
    expect(body().name).toBe('orders-api-prod');
  });

  it('shows the state of every alarm, including those of a function added later', () => {
    const alarms = body().widgets.find((widget) => widget.type === 'alarm');

    expect(alarms?.properties.alarms).toHaveLength(12);
  });

  it('has rows for the service, per operation, each function and the audit metrics', () => {
    const titles = body().widgets.map((widget) => widget.properties.title);

    expect(titles).toEqual(
      expect.arrayContaining([
        'Invocations, errors and faults',
        'Error and fault rate (%)',
        'Latency (ms)',
        'Invocations by operation',
        'Faults by operation',
        'p99 latency by operation (ms)',
        'OrdersHandler: invocations, errors, throttles',
        'OrdersHandler: duration (ms)',
        'ReportsHandler: invocations, errors, throttles',
        'ReportsHandler: duration (ms)',
        'Audit events by action and status',
        'Suspicious requests by rule',
      ]),
    );
  });

  it('lays widgets out without overlap on the 24-column grid', () => {
    const cells = new Set<string>();
    for (const widget of body().widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      for (let x = widget.x; x < widget.x + widget.width; x++) {
        for (let y = widget.y; y < widget.y + widget.height; y++) {
          expect(cells.has(`${x},${y}`), `${widget.properties.title} at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('runs the Logs Insights queries on the service log group', () => {
    const queries = body().widgets.filter((widget) => widget.type === 'log');

    expect(queries.map((widget) => widget.properties.title)).toEqual(
      DASHBOARD_QUERIES.map((id) => INSIGHTS_QUERIES[id].title),
    );
    for (const widget of queries) {
      const id = DASHBOARD_QUERIES.find(
        (candidate) => INSIGHTS_QUERIES[candidate].title === widget.properties.title,
      );
      expect(widget.properties.query).toBe(`SOURCE '<token>' | ${INSIGHTS_QUERIES[id ?? 'deletes'].query}`);
    }
    expect(JSON.stringify(json.Resources)).toContain(`"SOURCE '",{"Ref":"${ids.logGroup}"}`);
  });
});

describe('ServiceObservability saved queries', () => {
  it('saves every Logs Insights query for the log group, in a folder per service and environment', () => {
    const saved = resourcesOfType(json, 'AWS::Logs::QueryDefinition').map(([, properties]) => properties);

    expect(saved).toHaveLength(Object.keys(INSIGHTS_QUERIES).length);
    for (const { title, query } of Object.values(INSIGHTS_QUERIES)) {
      expect(saved).toContainEqual({
        Name: `Lookout/orders-api/prod/${title}`,
        QueryString: query,
        LogGroupNames: [{ Ref: ids.logGroup }],
      });
    }
  });
});

describe('ServiceObservability runtime environment', () => {
  it("gives a function the variables the alarms' dimensions are built from", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: ids.logGroup } },
      Environment: {
        Variables: {
          LOOKOUT_SERVICE_NAME: 'orders-api',
          LOOKOUT_ENVIRONMENT: 'prod',
          LOOKOUT_METRICS_NAMESPACE: 'Lookout',
        },
      },
    });
  });
});
