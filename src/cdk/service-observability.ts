import { ArnFormat, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as budgets from 'aws-cdk-lib/aws-budgets';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOOKOUT_METRICS, LookoutConfigError } from '../core.js';
import type { AlarmId, AlarmTuning } from './alarm-defaults.js';
import { type AlertOptions, AlertTopics } from './alert-topics.js';
import {
  type ApiAlarms,
  type ApiOptions,
  createApiAlarms,
  type ObservedApi,
  resolveApiStage,
  type WatchedApi,
} from './api-alarms.js';
import { createAuditAlarms } from './audit-alarms.js';
import {
  AUDIT_METRIC_SOURCES,
  type AuditMetricSource,
  type AuditMetrics,
  defaultAuditLogNamespace,
  emfAuditMetrics,
  logAuditMetrics,
} from './audit-metrics.js';
import { type CostBudgetOptions, createCostBudget } from './cost-budget.js';
import { type AlarmContext, alarmNameOf } from './create-alarm.js';
import { ErrorStore, type ErrorStoreOptions } from './error-store.js';
import { fitName, NAME_LIMITS } from './fit-name.js';
import { createFunctionAlarms, type FunctionAlarms, type FunctionOptions } from './function-alarms.js';
import type { InsightsQueryId } from './insights-queries.js';
import { LOOKOUT_EXEC_WRAPPER } from './lookout-layer.js';
import { type MetricIdentity, resolveMetricIdentity } from './metric-identity.js';
import { createObservabilityDashboard } from './observability-dashboard.js';
import { runtimeEnvironmentFor } from './runtime-environment.js';
import { createSavedQueries } from './saved-queries.js';
import { createServiceAlarms } from './service-alarms.js';

/**
 * How the service runs: decides whether requests are counted as `Invocations` or `RequestCount`.
 *
 * @example
 * new ServiceObservability(this, 'Obs', { serviceName: 'orders-api', environment: 'prod', platform: SERVICE_PLATFORMS.server });
 */
export const SERVICE_PLATFORMS = { lambda: 'lambda', server: 'server' } as const;
export type ServicePlatform = (typeof SERVICE_PLATFORMS)[keyof typeof SERVICE_PLATFORMS];

/** The service's log group. */
export interface ServiceLogGroupOptions {
  /** @default logs.RetentionDays.ONE_YEAR (365 days) */
  readonly retention?: logs.RetentionDays;
  /**
   * KMS key for the log group. A key defined in the same app gets the statement that lets
   * CloudWatch Logs in this region use it; an imported key must already allow that.
   * @default no key (CloudWatch Logs' own encryption)
   */
  readonly encryptionKey?: kms.IKey;
  /** @default a name CloudFormation generates */
  readonly logGroupName?: string;
  /** Audit trails are evidence: the log group is kept when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export interface ServiceObservabilityProps {
  /** The `Service` dimension: the service name the running code is given (`LOOKOUT_SERVICE_NAME`). */
  readonly serviceName: string;
  /** The `Environment` dimension (`LOOKOUT_ENVIRONMENT`), e.g. `prod`. */
  readonly environment: string;
  /** The namespace the service writes metrics to (`LOOKOUT_METRICS_NAMESPACE`). @default "Lookout" */
  readonly namespace?: string;
  /**
   * How the service runs, which decides what counts its requests in the error-rate alarm:
   * `lambda`, `Invocations` (written by the Lambda wrapper and the layer); `server`,
   * `RequestCount` (an Express app on ECS, EC2 or anywhere else).
   */
  readonly platform: ServicePlatform;
  /**
   * Lambda functions of the service: each gets error-rate, duration and throttle alarms and a
   * dashboard row. More can be added with `addFunction()` (an imported function must be added
   * that way, with its timeout).
   * @default none
   */
  readonly functions?: readonly lambda.IFunction[];
  /**
   * A monthly cost budget (AWS Budgets) notifying the warning topic (or `severity`'s) at 80 %
   * and 100 % of the limit and when the forecast passes it.
   * @default no budget
   */
  readonly costBudget?: CostBudgetOptions;
  /** @default a new log group kept for 365 days */
  readonly logGroup?: ServiceLogGroupOptions;
  /** Per-alarm changes to ALARM_DEFAULTS (threshold, periods, severity, or `enabled: false`). @default none */
  readonly alarms?: Partial<Record<AlarmId, AlarmTuning>>;
  /** E-mail subscriptions and the key of the alarm topics. @default no subscriptions, a new key */
  readonly alerts?: AlertOptions;
  /**
   * Where the audit alarms read audit counts: `emf`, the `AuditEvents` metric the SDK writes
   * with each audit entry; `logs`, a metric filter counting the audit lines in the log group
   * (for services that write audit lines without Lookout's metrics). Never both for one
   * service: the counts would be the same events twice in two places.
   * @default "emf"
   */
  readonly auditMetricSource?: AuditMetricSource;
  /** Namespace of the metric filter's counts when `auditMetricSource` is `logs`. @default "<namespace>/AuditLog/<service>/<environment>" */
  readonly auditLogNamespace?: string;
  /** Prefix of every alarm name. @default "<serviceName>-<environment>" */
  readonly alarmNamePrefix?: string;
  /** @default true */
  readonly dashboard?: boolean;
  /** @default "<serviceName>-<environment>" with characters dashboards refuse replaced by "-" */
  readonly dashboardName?: string;
  /** Save the Logs Insights queries (AWS::Logs::QueryDefinition). @default true */
  readonly savedQueries?: boolean;
  /**
   * Add an ErrorStore on the log group: a DynamoDB table of the service's errors, filled off the
   * request path. `true` for its defaults, or its options.
   * @default false
   */
  readonly errorStore?: boolean | ErrorStoreOptions;
}

/** How `addFunction()` watches a function and, with `layer`, runs it with Lookout. */
export interface AddFunctionOptions extends FunctionOptions {
  /**
   * The Lookout layer (`LookoutLayer`) to run the function with: the layer is added and the
   * exec wrapper, `runtimeEnvironment` and X-Ray active tracing are set.
   * @default the function is watched only, not changed
   */
  readonly layer?: lambda.ILayerVersion;
  /** With `layer`: turn on X-Ray active tracing. @default true */
  readonly activeTracing?: boolean;
}

/** The members of a function defined in the app that adding the layer changes. */
interface ChangeableFunction extends lambda.IFunction {
  addLayers(...layers: lambda.ILayerVersion[]): void;
  addEnvironment(key: string, value: string): unknown;
}

function isChangeable(fn: lambda.IFunction): fn is ChangeableFunction {
  const candidate = fn as Partial<ChangeableFunction>;
  return typeof candidate.addLayers === 'function' && typeof candidate.addEnvironment === 'function';
}

/**
 * Adds the layer, the exec wrapper, the service's variables and (when asked) X-Ray active
 * tracing to a function defined in the app: what `Tracing.ACTIVE` does at construction, the
 * tracing mode on the function and the two X-Ray actions on its role.
 */
function runWithLookout(
  fn: lambda.IFunction,
  layer: lambda.ILayerVersion,
  environment: Readonly<Record<string, string>>,
  activeTracing: boolean,
): void {
  if (!isChangeable(fn))
    throw new LookoutConfigError({
      option: 'addFunction(fn, { layer })',
      value: fn.node.path,
      accepted:
        'a lambda.Function defined in this app (an imported function cannot be changed: add the layer, AWS_LAMBDA_EXEC_WRAPPER and tracing where it is defined)',
    });
  fn.addLayers(layer);
  fn.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', LOOKOUT_EXEC_WRAPPER);
  for (const [name, value] of Object.entries(environment)) fn.addEnvironment(name, value);
  if (!activeTracing) return;
  const resource = fn.node.defaultChild as lambda.CfnFunction | undefined;
  if (resource === undefined) return;
  resource.tracingConfig = { mode: 'Active' };
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      resources: ['*'],
    }),
  );
}

interface ObservedFunction {
  readonly fn: lambda.IFunction;
  readonly key: string;
}

/**
 * `<service>-<environment>` with the characters dashboard names refuse replaced by "-". A name
 * holding a token (a service name from a CfnParameter) is left as it is: the replacement would
 * rewrite the token's own text (`${Token[TOKEN.33]}`) into a name like `--Token-TOKEN-33---prod`
 * instead of the value CloudFormation resolves.
 */
function defaultDashboardName(name: string): string {
  return Token.isUnresolved(name)
    ? name
    : fitName(name.replace(/[^A-Za-z0-9_-]/g, '-'), NAME_LIMITS.dashboard);
}

/**
 * The `dashboardName` given, refused at synth when CloudFormation would refuse it at deploy
 * (CDK checks its characters, not its length).
 */
function checkDashboardName(name: string): string {
  if (Token.isUnresolved(name) || (name.length <= NAME_LIMITS.dashboard && /^[\w-]+$/.test(name)))
    return name;
  throw new LookoutConfigError({
    option: 'dashboardName',
    value: name,
    accepted: `1 to ${NAME_LIMITS.dashboard} letters, digits, "-" and "_"`,
  });
}

/**
 * Letters and digits of a construct id, made unique among `taken`, as a key and as the alarm
 * names made of it: `OrdersHandler` and `ordersHandler` are two keys but one alarm name,
 * `…-orders-handler-error-rate`, which CloudFormation refuses the second time, at deploy.
 */
function uniqueKey(
  id: string,
  taken: Readonly<Record<string, unknown>>,
  kind: string,
  index: number,
): string {
  const names = new Set(Object.keys(taken).map(alarmNameOf));
  const free = (candidate: string) => !Object.hasOwn(taken, candidate) && !names.has(alarmNameOf(candidate));
  const key = id.replace(/[^A-Za-z0-9]/g, '');
  if (key !== '' && free(key)) return key;
  // The numbered key may itself be taken (a function whose id is `OrdersFunction3`, then two
  // named `Orders`): count on until one is free, or the alarms' construct ids would clash.
  let next = index;
  while (!free(`${key}${kind}${next}`)) next += 1;
  return `${key}${kind}${next}`;
}

/**
 * Everything a service instrumented with Lookout needs in CloudWatch, built from the same
 * constants the SDK writes with: a log group (365 days by default), alarms on error rate,
 * latency, each Lambda function and the audit and security metrics, critical and warning SNS
 * topics, a dashboard and saved Logs Insights queries. One per service and environment; works
 * for Lambda functions and for servers (ECS, EC2).
 *
 * Give the running service `runtimeEnvironment` (or the same three values) so that it writes
 * exactly the series the alarms watch, and send its logs to `logGroup`.
 *
 * @example
 * const observability = new ServiceObservability(this, 'Observability', {
 *   serviceName: 'orders-api',
 *   environment: 'prod',
 *   platform: 'lambda',
 *   functions: [ordersFunction],
 *   alerts: { criticalEmails: ['oncall@example.com'] },
 * });
 */
export class ServiceObservability extends Construct {
  /** Namespace, Service and Environment of the metrics the alarms watch. */
  readonly metricIdentity: MetricIdentity;
  /** `LOOKOUT_SERVICE_NAME`, `LOOKOUT_ENVIRONMENT`, `LOOKOUT_METRICS_NAMESPACE`: set them on the service. */
  readonly runtimeEnvironment: Readonly<Record<string, string>>;
  /** The service's log group: the function's `logGroup`, or the ECS `awslogs` driver's. */
  readonly logGroup: logs.LogGroup;
  /** The critical and warning topics. */
  readonly alerts: AlertTopics;
  /** Service-level and audit alarms, by id. */
  readonly alarms: Partial<Record<AlarmId, cloudwatch.Alarm>>;
  /** Alarms per Lambda function, by the function's construct id (letters and digits only). */
  readonly functionAlarms: Readonly<Record<string, FunctionAlarms>>;
  /** Alarms per API added with `addApi()`, by the API's construct id (letters and digits only). */
  readonly apiAlarms: Readonly<Record<string, ApiAlarms>>;
  /** The monthly cost budget, when `costBudget` is given. */
  readonly costBudget: budgets.CfnBudget | undefined;
  readonly #functionAlarms: Record<string, FunctionAlarms> = {};
  readonly #functions: ObservedFunction[] = [];
  readonly #apiAlarms: Record<string, ApiAlarms> = {};
  readonly #apis: WatchedApi[] = [];
  readonly #alarmContext: AlarmContext;
  readonly #tuning: Partial<Record<AlarmId, AlarmTuning>>;
  /** Where audit counts come from, and the metrics the audit alarms use. */
  readonly auditMetrics: AuditMetrics;
  readonly dashboard: cloudwatch.Dashboard | undefined;
  readonly savedQueries: Partial<Record<InsightsQueryId, logs.CfnQueryDefinition>>;
  /** The error store, when the `errorStore` option asked for one. */
  readonly errorStore: ErrorStore | undefined;

  constructor(scope: Construct, id: string, props: ServiceObservabilityProps) {
    super(scope, id);
    const identity = resolveMetricIdentity(props);
    this.metricIdentity = identity;
    this.runtimeEnvironment = runtimeEnvironmentFor(identity);
    if (!Object.values(SERVICE_PLATFORMS).includes(props.platform)) {
      throw new LookoutConfigError({
        option: 'platform',
        value: props.platform,
        accepted: '"lambda" or "server"',
      });
    }
    const traffic =
      props.platform === SERVICE_PLATFORMS.lambda
        ? LOOKOUT_METRICS.Invocations
        : LOOKOUT_METRICS.RequestCount;
    const name = `${identity.service}-${identity.environment}`;

    this.logGroup = this.#createLogGroup(props.logGroup ?? {});
    this.alerts = new AlertTopics(this, 'Alerts', {
      ...props.alerts,
      displayNamePrefix: `${identity.service} ${identity.environment}`,
    });
    this.auditMetrics =
      props.auditMetricSource === AUDIT_METRIC_SOURCES.logs
        ? logAuditMetrics(this, this.logGroup, props.auditLogNamespace ?? defaultAuditLogNamespace(identity))
        : emfAuditMetrics(identity);

    this.#tuning = props.alarms ?? {};
    this.#alarmContext = { scope: this, namePrefix: props.alarmNamePrefix ?? name, topics: this.alerts };
    this.alarms = {
      ...createServiceAlarms(this.#alarmContext, identity, traffic, this.#tuning),
      ...createAuditAlarms(this.#alarmContext, identity, this.auditMetrics, this.#tuning),
    };
    this.functionAlarms = this.#functionAlarms;
    this.apiAlarms = this.#apiAlarms;
    for (const fn of props.functions ?? []) this.addFunction(fn);
    this.costBudget =
      props.costBudget === undefined
        ? undefined
        : createCostBudget(
            this,
            'CostBudget',
            this.alerts,
            `${this.#alarmContext.namePrefix}-monthly-cost`,
            props.costBudget,
          );

    this.dashboard =
      props.dashboard === false
        ? undefined
        : createObservabilityDashboard(this, 'Dashboard', {
            identity,
            traffic,
            functions: () => this.#functions,
            apis: () => this.#apis,
            audit: this.auditMetrics,
            logGroup: this.logGroup,
            alarms: () => this.allAlarms(),
            dashboardName:
              props.dashboardName === undefined
                ? defaultDashboardName(name)
                : checkDashboardName(props.dashboardName),
          });
    this.savedQueries =
      props.savedQueries === false
        ? {}
        : createSavedQueries(this, this.logGroup, [identity.service, identity.environment]);
    this.errorStore = this.#createErrorStore(props);
  }

  #createErrorStore(props: ServiceObservabilityProps): ErrorStore | undefined {
    if (props.errorStore === undefined || props.errorStore === false) return undefined;
    const store = new ErrorStore(this, 'ErrorStore', {
      ...(props.errorStore === true ? {} : props.errorStore),
      serviceName: this.metricIdentity.service,
      environment: this.metricIdentity.environment,
      namespace: this.metricIdentity.namespace,
      logGroup: this.logGroup,
      alerts: this.alerts,
      alarmNamePrefix: this.#alarmContext.namePrefix,
      ...(props.savedQueries === false ? { savedQueries: false } : {}),
    });
    this.dashboard?.addWidgets(...store.widgets());
    return store;
  }

  /**
   * Watches one more Lambda function of the service: error-rate, duration and throttle alarms
   * and a dashboard row. For a function that needs `logGroup` and `runtimeEnvironment` itself,
   * so cannot exist before this construct. The duration alarm is a share of the function's
   * timeout: give `timeout` for an imported function.
   *
   * With `layer` (a `LookoutLayer`), it also runs the function with Lookout: adds the layer,
   * sets `AWS_LAMBDA_EXEC_WRAPPER` to the layer's exec wrapper and `runtimeEnvironment`, and
   * turns on X-Ray active tracing (with the role's permission to send segments), unless
   * `activeTracing` is `false`. Only a function defined in the app can be changed so.
   *
   * @example
   * const fn = new lambda.Function(this, 'Orders', { ...props, logGroup: observability.logGroup });
   * observability.addFunction(fn, { layer: new LookoutLayer(this, 'LookoutLayer') });
   */
  addFunction(fn: lambda.IFunction, options: AddFunctionOptions = {}): FunctionAlarms {
    if (options.layer !== undefined)
      runWithLookout(fn, options.layer, this.runtimeEnvironment, options.activeTracing ?? true);
    const key = uniqueKey(fn.node.id, this.#functionAlarms, 'Function', this.#functions.length + 1);
    const alarms = createFunctionAlarms(this.#alarmContext, fn, key, this.#tuning, options);
    this.#functions.push({ fn, key });
    this.#functionAlarms[key] = alarms;
    return alarms;
  }

  /**
   * Watches an API Gateway REST API or HTTP API in front of the service: 5XX and 4XX rates and
   * p99 latency of its stage (the deployment stage of a REST API, the default stage of an HTTP
   * API, or `stage`), and a dashboard row.
   *
   * @example
   * const api = new apigateway.LambdaRestApi(this, 'OrdersApi', { handler: fn });
   * observability.addApi(api);
   */
  addApi(api: ObservedApi, options: ApiOptions = {}): ApiAlarms {
    const stage = resolveApiStage(api, options);
    const key = uniqueKey(api.node.id, this.#apiAlarms, 'Api', this.#apis.length + 1);
    const watched: WatchedApi = { stage, key, kind: 'restApiId' in api ? 'REST' : 'HTTP' };
    const alarms = createApiAlarms(this.#alarmContext, watched, this.#tuning);
    this.#apis.push(watched);
    this.#apiAlarms[key] = alarms;
    return alarms;
  }

  /** Every alarm created: service, audit, per function and per API. */
  allAlarms(): cloudwatch.Alarm[] {
    const perFunction = Object.values(this.functionAlarms).flatMap((alarms) => Object.values(alarms));
    const perApi = Object.values(this.apiAlarms).flatMap((alarms) => Object.values(alarms));
    return [...Object.values(this.alarms), ...perFunction, ...perApi].filter((alarm) => alarm !== undefined);
  }

  #createLogGroup(options: ServiceLogGroupOptions): logs.LogGroup {
    const { encryptionKey } = options;
    if (encryptionKey !== undefined) {
      // CloudWatch Logs uses the key as the regional logs service, for log groups of this
      // account only (the encryption context names the log group).
      const stack = Stack.of(this);
      encryptionKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchLogsToUseTheKey',
          principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
          actions: [
            'kms:Encrypt*',
            'kms:Decrypt*',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:Describe*',
          ],
          resources: ['*'],
          conditions: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
                service: 'logs',
                resource: 'log-group',
                resourceName: '*',
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            },
          },
        }),
      );
    }
    return new logs.LogGroup(this, 'LogGroup', {
      retention: options.retention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
      ...(encryptionKey === undefined ? {} : { encryptionKey }),
      ...(options.logGroupName === undefined ? {} : { logGroupName: options.logGroupName }),
    });
  }
}
