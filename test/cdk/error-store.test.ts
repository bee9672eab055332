// The ErrorStore construct, alone and through ServiceObservability's `errorStore` option: the
// table, the subscription filter, the forwarder and its permissions, the alarms, the saved
// queries and the dashboard widget, asserted on synthesized templates; and the names the
// construct shares with the forwarder, checked against the forwarder's own.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { beforeAll, describe, expect, it } from 'vitest';
import * as contract from '../../src/cdk/error-store-contract.js';
import { ERROR_STORE_QUERIES, ErrorStore, ServiceObservability } from '../../src/cdk/index.js';
import { LookoutConfigError } from '../../src/core.js';
import { ERROR_TABLE_SCHEMA } from '../../src/lambda/error-store/error-item.js';
import { FORWARDER_METRICS, STORED_LINE_MESSAGE } from '../../src/lambda/error-store/forward-errors.js';
import { FORWARDER_ENV } from '../../src/lambda/error-store/handler.js';
import {
  alarmReferences,
  dashboardBody,
  resourcesOfType,
  type TemplateJson,
} from '../helpers/cdk-template.js';

const FORWARDER_DIR = fileURLToPath(new URL('../../dist/error-store-forwarder/', import.meta.url));

let standalone: { template: Template; json: TemplateJson; stack: Stack; store: ErrorStore };
let observed: { template: Template; json: TemplateJson; stack: Stack; observability: ServiceObservability };

beforeAll(() => {
  const app = new App();
  const stack = new Stack(app, 'Standalone');
  const logGroup = new logs.LogGroup(stack, 'ServiceLogs');
  const store = new ErrorStore(stack, 'Errors', {
    serviceName: 'payments',
    environment: 'prod',
    logGroup,
    tableName: 'error-logs-prod',
    retention: Duration.days(30),
  });
  const template = Template.fromStack(stack);
  standalone = { template, json: template.toJSON() as TemplateJson, stack, store };

  const observedStack = new Stack(new App(), 'Observed');
  const observability = new ServiceObservability(observedStack, 'Observability', {
    serviceName: 'orders-api',
    environment: 'prod',
    platform: 'lambda',
    errorStore: true,
  });
  const observedTemplate = Template.fromStack(observedStack);
  observed = {
    template: observedTemplate,
    json: observedTemplate.toJSON() as TemplateJson,
    stack: observedStack,
    observability,
  };
});

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

describe('the names the construct and the forwarder share', () => {
  it('are the same on both sides', () => {
    expect(contract.ERROR_TABLE_SCHEMA).toEqual(ERROR_TABLE_SCHEMA);
    expect(contract.FORWARDER_ENV).toEqual(FORWARDER_ENV);
    expect(contract.FORWARDER_METRICS).toEqual(FORWARDER_METRICS);
    expect(contract.STORED_LINE_MESSAGE).toBe(STORED_LINE_MESSAGE);
  });
});

describe('the error table', () => {
  it('has the hand-built key schema, pay-per-request billing, PITR, a KMS key and the TTL attribute', () => {
    const { stack, store } = standalone;

    standalone.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'error-logs-prod',
      KeySchema: [
        { AttributeName: 'errorId', KeyType: 'HASH' },
        { AttributeName: 'timestamp', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: {
          'Fn::GetAtt': [stack.getLogicalId(store.encryptionKey.node.defaultChild as never), 'Arn'],
        },
      },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    standalone.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    standalone.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('has the FunctionNameIndex with every attribute and the FingerprintIndex with what lists occurrences', () => {
    const [[, table] = ['', {}]] = resourcesOfType(standalone.json, 'AWS::DynamoDB::Table');

    expect(table.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'FunctionNameIndex',
        KeySchema: [
          { AttributeName: 'functionName', KeyType: 'HASH' },
          { AttributeName: 'timestamp', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'FingerprintIndex',
        KeySchema: [
          { AttributeName: 'fingerprint', KeyType: 'HASH' },
          { AttributeName: 'timestamp', KeyType: 'RANGE' },
        ],
        Projection: {
          ProjectionType: 'INCLUDE',
          NonKeyAttributes: [...ERROR_TABLE_SCHEMA.fingerprintIndex.projected],
        },
      },
    ]);
  });

  it('keeps items 90 days unless told otherwise, and refuses a retention of part of a day', () => {
    const retention = (template: Template) =>
      Object.values(template.findResources('AWS::Lambda::Function')).map(
        (fn) =>
          (fn as { Properties: { Environment: { Variables: Record<string, string> } } }).Properties
            .Environment.Variables[FORWARDER_ENV.retentionDays],
      );

    expect(retention(standalone.template)).toEqual(['30']);
    expect(retention(observed.template)).toEqual(['90']);
    const stack = new Stack(new App(), 'Bad');
    expect(
      () =>
        new ErrorStore(stack, 'Errors', {
          serviceName: 'payments',
          environment: 'prod',
          logGroup: new logs.LogGroup(stack, 'Logs'),
          retention: Duration.hours(36),
        }),
    ).toThrow(LookoutConfigError);
  });

  it.each(['error logs prod', 'e', 'é-errors', 't'.repeat(256)])(
    'refuses the table name %o at synth, which DynamoDB would refuse at deploy',
    (tableName) => {
      const act = () => {
        const stack = new Stack(new App(), 'BadName');
        return new ErrorStore(stack, 'Errors', {
          serviceName: 'payments',
          environment: 'prod',
          logGroup: new logs.LogGroup(stack, 'Logs'),
          tableName,
        });
      };

      expect(act).toThrow(LookoutConfigError);
      expect(act).toThrow('Invalid option "errorStore.tableName"');
    },
  );
});

describe('the subscription and the forwarder', () => {
  it("subscribes the forwarder to the service's log group with the error-line pattern", () => {
    const { stack, store } = standalone;
    const serviceLogs = stack.node.findChild('ServiceLogs') as logs.LogGroup;

    standalone.template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: { Ref: stack.getLogicalId(serviceLogs.node.defaultChild as never) },
      FilterPattern: contract.errorLinePattern().logPatternString,
      DestinationArn: { 'Fn::GetAtt': [logicalId(stack, store.forwarder), 'Arn'] },
    });
    standalone.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'logs.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [stack.getLogicalId(serviceLogs.node.defaultChild as never), 'Arn'] },
    });
    expect(contract.errorLinePattern().logPatternString).toBe(
      '{ (($.level = "ERROR") || ($.level = "CRITICAL")) && (($.error.name = "*") || ($.error = "*") || ($.message.errorType = "*")) }',
    );
  });

  it('runs the bundled forwarder with its own log group, the table name, and a dead-letter queue after two retries', () => {
    const { stack, store } = standalone;

    standalone.template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(stack, store.forwarderLogGroup) } },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [logicalId(stack, store.deadLetterQueue), 'Arn'] } },
      Environment: {
        Variables: {
          LOOKOUT_SERVICE_NAME: 'payments-error-store',
          LOOKOUT_ENVIRONMENT: 'prod',
          LOOKOUT_METRICS_NAMESPACE: 'Lookout',
          [FORWARDER_ENV.tableName]: { Ref: logicalId(stack, store.table) },
          [FORWARDER_ENV.serviceName]: 'payments',
        },
      },
    });
    standalone.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    standalone.template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      MessageRetentionPeriod: 14 * 86_400,
    });
    // The code is the built forwarder folder (dist/error-store-forwarder): same content, same hash.
    const code = store.forwarder.node.findChild('Code') as s3assets.Asset;
    const built = new s3assets.Asset(new Stack(new App(), 'Built'), 'Forwarder', { path: FORWARDER_DIR });
    expect(code.assetHash).toBe(built.assetHash);
    expect(readdirSync(FORWARDER_DIR).filter((name) => name.endsWith('.mjs'))).toEqual(['index.mjs']);
  });

  it("gives the forwarder's role each permission on its one resource, and no managed policy", () => {
    const { stack, store } = standalone;
    const policies = resourcesOfType(standalone.json, 'AWS::IAM::Policy');
    const statements = policies.flatMap(
      ([, policy]) =>
        (policy.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
          .Statement,
    );

    expect(statements.map((statement) => [statement.Action].flat().sort())).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
      ['sqs:SendMessage'],
      ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
    ]);
    for (const statement of statements) expect(JSON.stringify(statement.Resource)).not.toContain('*');
    expect(statements[1]?.Resource).toEqual({ 'Fn::GetAtt': [logicalId(stack, store.table), 'Arn'] });
    standalone.template.resourcePropertiesCountIs(
      'AWS::IAM::Role',
      { ManagedPolicyArns: Match.anyValue() },
      0,
    );
  });
});

describe("the forwarder's alarms", () => {
  it('fire on a failed invocation, a rejected record, an unwritten item and a dead letter', () => {
    const alarms = resourcesOfType(standalone.json, 'AWS::CloudWatch::Alarm');
    const watched = alarms.map(([, properties]) => alarmReferences(properties).metrics[0]);

    expect(alarms.map(([, properties]) => properties.AlarmName).sort()).toEqual([
      'payments-prod-error-store-dead-letters',
      'payments-prod-error-store-forwarder-errors',
      'payments-prod-error-store-rejected-records',
      'payments-prod-error-store-unwritten-items',
    ]);
    for (const [, properties] of alarms) {
      expect(properties.Threshold).toBe(0);
      expect(properties.ComparisonOperator).toBe('GreaterThanThreshold');
    }
    const forwarderMetrics = watched.filter((metric) => metric?.namespace === 'Lookout');
    expect(forwarderMetrics.map((metric) => metric?.name).sort()).toEqual(
      [FORWARDER_METRICS.unwritten, FORWARDER_METRICS.rejected].sort(),
    );
    for (const metric of forwarderMetrics)
      expect(metric?.dimensions).toEqual({ Service: 'payments-error-store', Environment: 'prod' });
    expect(watched.map((metric) => metric?.name)).toEqual(
      expect.arrayContaining(['Errors', 'ApproximateNumberOfMessagesVisible']),
    );
  });

  it("notify ServiceObservability's topics: dead letters the critical one, the rest the warning one", () => {
    const { stack, observability } = observed;
    const topic = (severity: 'critical' | 'warning') => ({
      Ref: stack.getLogicalId(observability.alerts.topicFor(severity).node.defaultChild as never),
    });
    const alarms = Object.fromEntries(
      resourcesOfType(observed.json, 'AWS::CloudWatch::Alarm').map(([, properties]) => [
        properties.AlarmName,
        properties.AlarmActions,
      ]),
    );

    expect(alarms['orders-api-prod-error-store-dead-letters']).toEqual([topic('critical')]);
    expect(alarms['orders-api-prod-error-store-rejected-records']).toEqual([topic('warning')]);
  });
});

describe('queries and dashboard', () => {
  it("saves the error store's queries on the forwarder's log group", () => {
    const { stack, store } = standalone;
    const queries = resourcesOfType(standalone.json, 'AWS::Logs::QueryDefinition');

    expect(queries.map(([, properties]) => properties.Name).sort()).toEqual(
      Object.values(ERROR_STORE_QUERIES)
        .map(({ title }) => `Lookout/payments/prod/Error store/${title}`)
        .sort(),
    );
    for (const [, properties] of queries)
      expect(properties.LogGroupNames).toEqual([{ Ref: logicalId(stack, store.forwarderLogGroup) }]);
    expect(ERROR_STORE_QUERIES.topFingerprints.query).toContain(`filter message = "${STORED_LINE_MESSAGE}"`);
    expect(ERROR_STORE_QUERIES.topFingerprints.query).toContain('by fingerprint');
  });

  it("puts the top fingerprints on ServiceObservability's dashboard, and nothing when the option is off", () => {
    const [[, dashboard] = ['', {}]] = resourcesOfType(observed.json, 'AWS::CloudWatch::Dashboard');
    const widgets = dashboardBody(dashboard).widgets;
    const top = widgets.find((widget) => widget.properties.title === 'Top error fingerprints');

    expect(top?.type).toBe('log');
    expect(String(top?.properties.query)).toContain('stats count(*) as occurrences');
    expect(widgets.some((widget) => widget.properties.title === 'Error store alarms')).toBe(true);

    const plain = new Stack(new App(), 'Plain');
    new ServiceObservability(plain, 'Observability', {
      serviceName: 'orders-api',
      environment: 'prod',
      platform: 'lambda',
    });
    Template.fromStack(plain).resourceCountIs('AWS::DynamoDB::Table', 0);
    Template.fromStack(plain).resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
  });
});
