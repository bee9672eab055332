import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DIMENSION_NAMES, LookoutConfigError } from '../core.js';
import type { AlarmSeverity } from './alarm-defaults.js';
import {
  ERROR_TABLE_SCHEMA,
  errorLinePattern,
  FORWARDER_ENV,
  FORWARDER_METRICS,
} from './error-store-contract.js';
import {
  createErrorStoreQueries,
  type ErrorStoreQueryId,
  topFingerprintsWidget,
} from './error-store-queries.js';
import { fitName, NAME_LIMITS } from './fit-name.js';
import { type MetricIdentity, resolveMetricIdentity } from './metric-identity.js';
import { runtimeEnvironmentFor } from './runtime-environment.js';

/** The error store's own alarms. */
export type ErrorStoreAlarmId = 'forwarderErrors' | 'rejectedRecords' | 'unwrittenItems' | 'deadLetters';

/** What ServiceObservability's `errorStore` option takes: the error store's own settings. */
export interface ErrorStoreOptions {
  /** How long an error is kept: the TTL set on each item. @default Duration.days(90) */
  readonly retention?: Duration;
  /** @default a name CloudFormation generates (the hand-built tables are often `error-logs-<environment>`) */
  readonly tableName?: string;
  /** Key for the table and the forwarder's dead-letter queue. @default a new key with rotation enabled */
  readonly encryptionKey?: kms.IKey;
  /** Errors are evidence too: the table is kept when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly forwarderLogRetention?: logs.RetentionDays;
  /** X-Ray active tracing for the forwarder (adds `xray:PutTraceSegments` on `*` to its role). @default false */
  readonly forwarderTracing?: boolean;
  /** Save the error store's Logs Insights queries. @default true */
  readonly savedQueries?: boolean;
}

export interface ErrorStoreProps extends ErrorStoreOptions {
  /** The observed service's name (`LOOKOUT_SERVICE_NAME`): the items' `service` when a line names none. */
  readonly serviceName: string;
  /** The observed service's environment (`LOOKOUT_ENVIRONMENT`). */
  readonly environment: string;
  /** The service's log group: the subscription filter is put on it. */
  readonly logGroup: logs.ILogGroup;
  /** Namespace of the forwarder's own metrics. @default "Lookout" */
  readonly namespace?: string;
  /** Where the forwarder's alarms notify (an AlertTopics fits). @default no notification */
  readonly alerts?: { topicFor(severity: AlarmSeverity): sns.ITopic };
  /** Prefix of the alarm names. @default "<serviceName>-<environment>" */
  readonly alarmNamePrefix?: string;
  /** The forwarder's code. @default the forwarder built into this package (dist/error-store-forwarder) */
  readonly forwarderCode?: lambda.Code;
}

const DEFAULT_RETENTION = Duration.days(90);
const FIVE_MINUTES = Duration.minutes(5);

/** dist/error-store-forwarder of the installed package (or of this repository, built). */
function bundledForwarderCode(): lambda.Code {
  const root = dirname(require.resolve('lookout/package.json'));
  const dir = join(root, 'dist', 'error-store-forwarder');
  if (!existsSync(join(dir, 'index.mjs')))
    throw new Error(`lookout/cdk: the error store forwarder was not found in ${dir} (run \`npm run build\`)`);
  return lambda.Code.fromAsset(dir);
}

/** The table names DynamoDB takes. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * A queryable store of the service's errors, kept off the request path: a CloudWatch Logs
 * subscription on the service's log group hands Lookout's error lines (and the Lambda
 * runtime's uncaught-error lines) to a small forwarder function, which writes one item per
 * error to a DynamoDB table, `errorId` + `timestamp`, with a `FunctionNameIndex` and a
 * `FingerprintIndex`, pay-per-request, point-in-time recovery, KMS, items expiring after
 * `retention`. The service's code does not change and never waits for the store
 * (docs/decisions/0025-error-store-off-the-request-path.md). The forwarder's failures are
 * metrics and alarms; deliveries it could not handle after Lambda's retries wait in a
 * dead-letter queue.
 *
 * @example
 * const store = new ErrorStore(this, 'Errors', {
 *   serviceName: 'payments',
 *   environment: 'prod',
 *   logGroup: observability.logGroup,
 *   tableName: 'error-logs-prod',
 * });
 */
export class ErrorStore extends Construct {
  readonly table: dynamodb.Table;
  readonly encryptionKey: kms.IKey;
  readonly forwarder: lambda.Function;
  readonly forwarderLogGroup: logs.LogGroup;
  readonly deadLetterQueue: sqs.Queue;
  readonly subscription: logs.SubscriptionFilter;
  readonly alarms: Readonly<Record<ErrorStoreAlarmId, cloudwatch.Alarm>>;
  readonly savedQueries: Partial<Record<ErrorStoreQueryId, logs.CfnQueryDefinition>>;
  /** Service and environment of the forwarder's own metrics. */
  readonly forwarderIdentity: MetricIdentity;

  constructor(scope: Construct, id: string, props: ErrorStoreProps) {
    super(scope, id);
    const retention = props.retention ?? DEFAULT_RETENTION;
    const retentionDays = retention.toDays({ integral: false });
    if (!Number.isInteger(retentionDays) || retentionDays < 1)
      throw new LookoutConfigError({
        option: 'errorStore.retention',
        value: retention.toString(),
        accepted: 'a whole number of days, at least 1',
      });
    // CDK passes a table name through as given; DynamoDB refuses one it does not take at deploy,
    // after the rest of the stack was created (a token is known only then).
    const { tableName } = props;
    if (tableName !== undefined && !Token.isUnresolved(tableName) && !TABLE_NAME.test(tableName))
      throw new LookoutConfigError({
        option: 'errorStore.tableName',
        value: tableName,
        accepted: '3 to 255 letters, digits, "_", "-" and "."',
      });
    const observed = resolveMetricIdentity(props);
    this.forwarderIdentity = resolveMetricIdentity({
      // A service name of 255 characters, which the SDK takes, is one this suffix made too long
      // for a dimension value: the name is shortened, for the forwarder and its alarms alike.
      serviceName: fitName(`${observed.service}-error-store`, NAME_LIMITS.dimensionValue),
      environment: observed.environment,
      namespace: observed.namespace,
    });

    this.encryptionKey =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        enableKeyRotation: true,
        description: `Encrypts the ${observed.service} ${observed.environment} error store`,
      });
    this.table = this.#createTable(props);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.forwarderLogGroup = new logs.LogGroup(this, 'ForwarderLogs', {
      retention: props.forwarderLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.forwarder = this.#createForwarder(props, observed, retentionDays);
    this.subscription = new logs.SubscriptionFilter(this, 'Subscription', {
      logGroup: props.logGroup,
      destination: new destinations.LambdaDestination(this.forwarder),
      filterPattern: errorLinePattern(),
    });
    this.alarms = this.#createAlarms(
      props,
      props.alarmNamePrefix ?? `${observed.service}-${observed.environment}`,
    );
    this.savedQueries =
      props.savedQueries === false
        ? {}
        : createErrorStoreQueries(
            this,
            this.forwarderLogGroup,
            `Lookout/${observed.service}/${observed.environment}/Error store`.replace(/[:*]/g, '-'),
          );
  }

  /** Dashboard widgets: the top fingerprints, the forwarder's counts, and its alarms. */
  widgets(): cloudwatch.IWidget[] {
    const count = (name: string, label: string) => this.#forwarderMetric(name).with({ label });
    return [
      topFingerprintsWidget(this.forwarderLogGroup),
      new cloudwatch.GraphWidget({
        title: 'Error store: stored, rejected, unwritten',
        left: [
          count(FORWARDER_METRICS.stored, 'Stored'),
          count(FORWARDER_METRICS.rejected, 'Rejected'),
          count(FORWARDER_METRICS.unwritten, 'Unwritten'),
          count(FORWARDER_METRICS.retries, 'Write retries'),
        ],
        width: 12,
        height: 6,
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Error store alarms',
        alarms: Object.values(this.alarms),
        width: 12,
        height: 6,
      }),
    ];
  }

  #createTable(props: ErrorStoreProps): dynamodb.Table {
    const { partitionKey, sortKey, ttlAttribute, functionIndex, fingerprintIndex } = ERROR_TABLE_SCHEMA;
    const text = dynamodb.AttributeType.STRING;
    const table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: partitionKey, type: text },
      sortKey: { name: sortKey, type: text },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey,
      timeToLiveAttribute: ttlAttribute,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      ...(props.tableName === undefined ? {} : { tableName: props.tableName }),
    });
    table.addGlobalSecondaryIndex({
      indexName: functionIndex.name,
      partitionKey: { name: functionIndex.partitionKey, type: text },
      sortKey: { name: functionIndex.sortKey, type: text },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    table.addGlobalSecondaryIndex({
      indexName: fingerprintIndex.name,
      partitionKey: { name: fingerprintIndex.partitionKey, type: text },
      sortKey: { name: fingerprintIndex.sortKey, type: text },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...fingerprintIndex.projected],
    });
    return table;
  }

  #createForwarder(props: ErrorStoreProps, observed: MetricIdentity, retentionDays: number): lambda.Function {
    // Its own role, stating each permission on its one resource: no managed policy, no wildcard.
    const role = new iam.Role(this, 'ForwarderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Writes the ${observed.service} ${observed.environment} errors to the error store`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.forwarderLogGroup.logGroupArn],
      }),
    );
    role.addToPolicy(
      // BatchGetItem: the forwarder reads the keys of a delivery's items first, to tell an error
      // delivered again from a new one (src/lambda/error-store/write-error-items.ts).
      new iam.PolicyStatement({
        actions: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
        resources: [this.table.tableArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [this.encryptionKey.keyArn],
      }),
    );
    const fn = new lambda.Function(this, 'Forwarder', {
      description: fitName(
        `Lookout error store: writes the ${observed.service} ${observed.environment} error lines to DynamoDB`,
        NAME_LIMITS.functionDescription,
      ),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: props.forwarderCode ?? bundledForwarderCode(),
      memorySize: 256,
      timeout: Duration.minutes(1),
      role,
      logGroup: this.forwarderLogGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: props.forwarderTracing === true ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      environment: {
        ...runtimeEnvironmentFor(this.forwarderIdentity),
        [FORWARDER_ENV.tableName]: this.table.tableName,
        [FORWARDER_ENV.retentionDays]: String(retentionDays),
        [FORWARDER_ENV.serviceName]: observed.service,
      },
      // CloudWatch Logs invokes asynchronously: Lambda retries a failed delivery twice (the
      // writes are idempotent), then keeps it in the queue.
      retryAttempts: 2,
      deadLetterQueueEnabled: true,
      deadLetterQueue: this.deadLetterQueue,
    });
    return fn;
  }

  #forwarderMetric(name: string): cloudwatch.Metric {
    const { namespace, service, environment } = this.forwarderIdentity;
    return new cloudwatch.Metric({
      namespace,
      metricName: name,
      dimensionsMap: { [DIMENSION_NAMES.service]: service, [DIMENSION_NAMES.environment]: environment },
      statistic: 'Sum',
      unit: cloudwatch.Unit.COUNT,
      period: FIVE_MINUTES,
    });
  }

  #createAlarms(props: ErrorStoreProps, namePrefix: string): Record<ErrorStoreAlarmId, cloudwatch.Alarm> {
    const alarm = (
      id: string,
      nameSuffix: string,
      metric: cloudwatch.IMetric,
      severity: AlarmSeverity,
      description: string,
    ): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, id, {
        alarmName: fitName(`${namePrefix}-${nameSuffix}`, NAME_LIMITS.alarm),
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      if (props.alerts !== undefined) {
        const action = new actions.SnsAction(props.alerts.topicFor(severity));
        created.addAlarmAction(action);
        created.addOkAction(action);
      }
      return created;
    };
    return {
      forwarderErrors: alarm(
        'ForwarderErrorsAlarm',
        'error-store-forwarder-errors',
        this.forwarder.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        'warning',
        'The error store forwarder failed an invocation (Lambda retries it twice, then keeps it in the dead-letter queue). First: read the error in the forwarder\'s log group (the "Error store forwarder problems" query).',
      ),
      rejectedRecords: alarm(
        'RejectedRecordsAlarm',
        'error-store-rejected-records',
        this.#forwarderMetric(FORWARDER_METRICS.rejected),
        'warning',
        'Log events the error store could not store (not an error line, cut at 256 KB, or refused by DynamoDB). First: run the "Error store forwarder problems" query for which events and why.',
      ),
      unwrittenItems: alarm(
        'UnwrittenItemsAlarm',
        'error-store-unwritten-items',
        this.#forwarderMetric(FORWARDER_METRICS.unwritten),
        'warning',
        "Errors DynamoDB left unprocessed after the retries (throttling); the deliveries are retried. First: look at the table's ThrottledRequests; on this on-demand table, lasting throttling is one hot fingerprint or the account's table limit.",
      ),
      deadLetters: alarm(
        'DeadLettersAlarm',
        'error-store-dead-letters',
        this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: FIVE_MINUTES,
        }),
        'critical',
        "Deliveries the forwarder failed three times: those errors are not in the table. First: fix the cause from the forwarder's log group, then send the messages of the dead-letter queue to the forwarder again.",
      ),
    };
  }
}
