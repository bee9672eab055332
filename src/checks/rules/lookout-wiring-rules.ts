// Lookout's own rules: the telemetry a service emits has somewhere to go. A function with the
// Lookout layer or exec wrapper traces actively (Lookout.3), writes to a log group the template
// manages (Lookout.4) and has an alarm on the SDK's Fault metric that notifies someone
// (Lookout.5); an ECS container with Lookout's variables sends its logs to a log group (Lookout.6).
import { DIMENSION_NAMES, LOOKOUT_METRICS, METRIC_NAMES } from '../../core.js';
import { type CheckedTemplate, propertiesOf, resourcesOfType } from '../checked-template.js';
import { containerRunsLookout, type LookoutFunction, lookoutFunctions } from '../lookout-wiring.js';
import type { RuleDefinition, RuleHit } from '../types.js';
import {
  asList,
  flattenText,
  isIntrinsic,
  isObject,
  type JsonObject,
  resolveBoolean,
  resolveString,
  UNKNOWN,
} from '../values.js';
import { ACTIVE_TRACING_FIX, inactiveTracingMode } from './lambda-rules.js';

export const LOOKOUT_FUNCTION_TRACING: RuleDefinition = {
  id: 'Lookout.3',
  title: 'Functions with the Lookout layer or exec wrapper should have active tracing',
  severity: 'high',
  source: 'lookout',
  standards: [],
  related: ['Lambda.7'],
  resourceTypes: ['AWS::Lambda::Function'],
  fix: ACTIVE_TRACING_FIX,
  evaluate(template) {
    return lookoutFunctions(template).flatMap((fn): RuleHit[] => {
      const mode = inactiveTracingMode(fn.properties, template.parameters);
      return mode === null
        ? []
        : [
            {
              logicalId: fn.logicalId,
              message: `runs Lookout through ${fn.via}, but tracing is ${mode ?? 'PassThrough (not set)'}: Lambda samples no requests, so its spans reach no trace`,
            },
          ];
    });
  },
};

/**
 * Whether the template names the function's default log group, `/aws/lambda/<function name>`,
 * among `names` (every log group name of the template, flattened once: looking them up keeps a
 * template of thousands of functions and log groups linear).
 */
function namesFunctionLogGroup(
  names: ReadonlySet<string>,
  fn: LookoutFunction,
  template: CheckedTemplate,
): boolean {
  const functionName = resolveString(fn.properties.FunctionName, template.parameters);
  return (
    names.has(`/aws/lambda/\${${fn.logicalId}}`) ||
    (typeof functionName === 'string' && names.has(`/aws/lambda/${functionName}`))
  );
}

export const LOOKOUT_FUNCTION_LOG_GROUP: RuleDefinition = {
  id: 'Lookout.4',
  title: 'Functions with the Lookout layer or exec wrapper should write to a log group the template defines',
  severity: 'medium',
  source: 'lookout',
  standards: [],
  related: ['CloudWatch.16'],
  resourceTypes: ['AWS::Lambda::Function', 'AWS::Logs::LogGroup'],
  fix: {
    cdk: 'logGroup: a logs.LogGroup with retention on the Function (ServiceObservability’s logGroup)',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: SAM's !Sub syntax, written for the user
    sam: 'LoggingConfig: { LogGroup: !Ref LogGroup } on the function, or an AWS::Logs::LogGroup named !Sub /aws/lambda/${Function}',
    cloudformation:
      'LoggingConfig: { LogGroup: { Ref: LogGroup } } on the AWS::Lambda::Function, or an AWS::Logs::LogGroup named /aws/lambda/<function name>',
  },
  evaluate(template) {
    const names = new Set<string>();
    for (const [, group] of resourcesOfType(template, 'AWS::Logs::LogGroup', 'Custom::LogRetention')) {
      const text = flattenText(propertiesOf(group).LogGroupName);
      if (text !== UNKNOWN) names.add(text);
    }
    return lookoutFunctions(template).flatMap((fn): RuleHit[] => {
      const logging = fn.properties.LoggingConfig;
      // A logging config a condition chooses is known only at deploy time.
      if (isIntrinsic(logging) || (isObject(logging) && logging.LogGroup !== undefined)) return [];
      if (namesFunctionLogGroup(names, fn, template)) return [];
      return [
        {
          logicalId: fn.logicalId,
          message:
            'Lambda will create its log group on first run, with no retention and outside the template: Lookout’s logs, audit trail and EMF metrics land there',
        },
      ];
    });
  },
};

/** The metrics an alarm reads: its own metric, the members of a metric-math alarm, and Metrics Insights expressions. */
function alarmMetrics(properties: JsonObject): { metrics: JsonObject[]; expressions: string[] } {
  const metrics: JsonObject[] = [];
  const expressions: string[] = [];
  if (properties.MetricName !== undefined) metrics.push(properties);
  for (const query of asList(properties.Metrics).filter(isObject)) {
    const stat = isObject(query.MetricStat) ? query.MetricStat : undefined;
    if (isObject(stat?.Metric)) metrics.push(stat.Metric);
    if (typeof query.Expression === 'string') expressions.push(query.Expression);
  }
  return { metrics, expressions };
}

/**
 * Whether dimension names are exactly one of the sets the SDK publishes Fault under. CloudWatch
 * keeps one series per exact dimension set: an alarm on Fault by Service alone, or with no
 * dimensions, reads a series nobody writes and never fires. Names that are intrinsics are given
 * the benefit of the doubt.
 */
function isPublishedFaultSet(names: readonly unknown[]): boolean {
  if (names.some((name) => typeof name !== 'string')) return true;
  return LOOKOUT_METRICS.Fault.dimensionSets.some(
    (set) => set.length === names.length && set.every((name) => names.includes(name)),
  );
}

/**
 * Whether a Metrics Insights query reads a published Fault series: `FROM SCHEMA("ns", A, B)`
 * reads only metrics with exactly the dimensions A and B; `FROM "ns"` reads them all.
 */
function isPublishedSchema(expression: string): boolean {
  const opening = /\bSCHEMA\s*\(/i.exec(expression);
  if (opening === null) return true;
  // The closing parenthesis found once, not by a pattern that rescans the rest of the text after
  // every "SCHEMA(" (quadratic on a hostile expression).
  const start = opening.index + opening[0].length;
  const end = expression.indexOf(')', start);
  if (end === -1) return true;
  const names = expression
    .slice(start, end)
    .split(',')
    .slice(1)
    .map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
  return isPublishedFaultSet(names);
}

function watchesFault(properties: JsonObject, fn: LookoutFunction, template: CheckedTemplate): boolean {
  const { metrics, expressions } = alarmMetrics(properties);
  const sameText = (value: unknown, expected: string | typeof UNKNOWN): boolean => {
    const resolved = resolveString(value, template.parameters);
    return resolved === UNKNOWN || expected === UNKNOWN || resolved === expected;
  };
  const onFault = metrics.some((metric) => {
    if (resolveString(metric.MetricName, template.parameters) !== METRIC_NAMES.fault) return false;
    if (!sameText(metric.Namespace, fn.namespace)) return false;
    // Dimensions written as one intrinsic (an Fn::If between two lists) are not read offline.
    if (isIntrinsic(metric.Dimensions)) return true;
    const dimensions = asList(metric.Dimensions).filter(isObject);
    if (!isPublishedFaultSet(dimensions.map((dimension) => dimension.Name))) return false;
    // The values must be the function's own: an alarm on Environment "prod" never sees the
    // series of a function that writes "production" (the SDK's default on Lambda).
    const sameValue = (name: string, expected: string | typeof UNKNOWN): boolean => {
      const dimension = dimensions.find((candidate) => candidate.Name === name);
      return dimension === undefined || sameText(dimension.Value, expected);
    };
    return (
      sameValue(DIMENSION_NAMES.service, fn.service) && sameValue(DIMENSION_NAMES.environment, fn.environment)
    );
  });
  if (onFault) return true;
  // A Metrics Insights query: SELECT SUM(Fault) FROM SCHEMA("Lookout", …) WHERE Service = '…'.
  return expressions.some(
    (expression) =>
      new RegExp(`\\(\\s*"?${METRIC_NAMES.fault}"?\\s*\\)`).test(expression) &&
      isPublishedSchema(expression) &&
      (fn.namespace === UNKNOWN || expression.includes(fn.namespace)) &&
      (fn.service === UNKNOWN ||
        !expression.includes(`${DIMENSION_NAMES.service} =`) ||
        expression.includes(`'${fn.service}'`)) &&
      (fn.environment === UNKNOWN ||
        !expression.includes(`${DIMENSION_NAMES.environment} =`) ||
        expression.includes(`'${fn.environment}'`)),
  );
}

/** Matches any service: the alarm's Service is unknown offline, or it reads a query. */
const ANY_SERVICE = Symbol('any service');

/**
 * The one Service an alarm's Fault metrics name, ANY_SERVICE when that cannot be told offline,
 * or undefined when the alarm reads no Fault metric and no query (it watches no function).
 */
function faultServiceOf(
  properties: JsonObject,
  template: CheckedTemplate,
): string | typeof ANY_SERVICE | undefined {
  const { metrics, expressions } = alarmMetrics(properties);
  if (expressions.length > 0) return ANY_SERVICE;
  let found: string | typeof ANY_SERVICE | undefined;
  for (const metric of metrics) {
    const name = resolveString(metric.MetricName, template.parameters);
    if (name !== METRIC_NAMES.fault && name !== UNKNOWN) continue;
    const service = isIntrinsic(metric.Dimensions)
      ? UNKNOWN
      : asList(metric.Dimensions)
          .filter(isObject)
          .find((dimension) => dimension.Name === DIMENSION_NAMES.service)?.Value;
    const value = service === UNKNOWN ? UNKNOWN : resolveString(service, template.parameters);
    if (name === UNKNOWN || typeof value !== 'string') return ANY_SERVICE;
    if (found !== undefined && found !== value) return ANY_SERVICE;
    found = value;
  }
  return found;
}

/**
 * The alarms (by index) that may watch a function of a service: those on its Service and those
 * whose Service is not known offline, in template order. A template of thousands of functions
 * and alarms is then read in time proportional to its size, not to functions × alarms.
 */
function indexByService(
  services: readonly (string | typeof ANY_SERVICE | undefined)[],
): (service: string | typeof UNKNOWN) => number[] {
  const named = new Map<string, number[]>();
  const any: number[] = [];
  const all: number[] = [];
  services.forEach((service, index) => {
    if (service === undefined) return;
    all.push(index);
    if (service === ANY_SERVICE) any.push(index);
    else {
      const list = named.get(service);
      if (list === undefined) named.set(service, [index]);
      else list.push(index);
    }
  });
  return (service) => {
    if (service === UNKNOWN) return all;
    const own = named.get(service) ?? [];
    return own.length === 0 ? any : any.length === 0 ? own : [...own, ...any].sort((a, b) => a - b);
  };
}

function notifiesSomeone(properties: JsonObject, template: CheckedTemplate): boolean {
  return (
    asList(properties.AlarmActions).length > 0 &&
    resolveBoolean(properties.ActionsEnabled, template.parameters) !== false
  );
}

export const LOOKOUT_FUNCTION_FAULT_ALARM: RuleDefinition = {
  id: 'Lookout.5',
  title:
    'Functions with the Lookout layer or exec wrapper should have an alarm on Lookout’s Fault metric that notifies someone',
  severity: 'high',
  source: 'lookout',
  standards: [],
  related: [],
  resourceTypes: ['AWS::Lambda::Function', 'AWS::CloudWatch::Alarm'],
  fix: {
    cdk: 'new ServiceObservability(this, id, { serviceName, environment, platform: "lambda", functions: [fn], alerts: { criticalEmails } }) from lookout/cdk, or a cloudwatch.Alarm on the Fault metric with an alarm action',
    sam: 'an AWS::CloudWatch::Alarm on MetricName Fault in the service’s namespace (Dimensions Service, Environment) with AlarmActions: [!Ref AlertTopic]',
    cloudformation:
      'an AWS::CloudWatch::Alarm on MetricName Fault in the service’s namespace (Dimensions Service, Environment) with AlarmActions',
  },
  evaluate(template, options) {
    // Alarms of the templates deployed with this one count too (a function in a nested stack,
    // its alarm in the parent); each alarm's values resolve against its own template.
    const alarms = [template, ...options.deployedWith].flatMap((where) =>
      resourcesOfType(where, 'AWS::CloudWatch::Alarm').map(
        ([id, alarm]) => [id, propertiesOf(alarm), where] as const,
      ),
    );
    const byService = indexByService(alarms.map(([, alarm, where]) => faultServiceOf(alarm, where)));
    return lookoutFunctions(template).flatMap((fn): RuleHit[] => {
      if (fn.metricsOffBy !== undefined)
        return [
          {
            logicalId: fn.logicalId,
            message: `runs Lookout with its metrics turned off (${fn.metricsOffBy}): it writes no ${METRIC_NAMES.fault} metric, so no alarm can page anyone about handler errors`,
          },
        ];
      const watching = byService(fn.service)
        .map((index) => alarms[index] as (typeof alarms)[number])
        .filter(([, alarm, where]) => watchesFault(alarm, fn, where));
      const where = `${METRIC_NAMES.fault} in namespace ${fn.namespace === UNKNOWN ? '(set at deploy time)' : fn.namespace}${fn.service === UNKNOWN ? '' : ` for service ${fn.service}`}${fn.environment === UNKNOWN ? '' : ` in environment ${fn.environment}`}`;
      if (watching.length === 0)
        return [
          { logicalId: fn.logicalId, message: `no alarm watches ${where}: handler errors page nobody` },
        ];
      if (watching.some(([, alarm, where]) => notifiesSomeone(alarm, where))) return [];
      return [
        {
          logicalId: fn.logicalId,
          message: `${watching.map(([id]) => id).join(', ')} watch ${where} but notify nobody (no AlarmActions, or actions disabled)`,
        },
      ];
    });
  },
};

function sendsLogsToLogGroup(container: JsonObject): boolean {
  // A log configuration a condition chooses is known only at deploy time.
  if (isIntrinsic(container.LogConfiguration)) return true;
  const configuration = isObject(container.LogConfiguration) ? container.LogConfiguration : {};
  const options = isObject(configuration.Options) ? configuration.Options : {};
  if (configuration.LogDriver === 'awslogs') return options['awslogs-group'] !== undefined;
  // FireLens with Fluent Bit's CloudWatch Logs output.
  return (
    configuration.LogDriver === 'awsfirelens' &&
    ['cloudwatch', 'cloudwatch_logs'].includes(String(options.Name)) &&
    options.log_group_name !== undefined
  );
}

export const LOOKOUT_CONTAINER_LOGS: RuleDefinition = {
  id: 'Lookout.6',
  title: 'ECS containers with Lookout variables should send their logs to a CloudWatch log group',
  severity: 'high',
  source: 'lookout',
  standards: [],
  related: ['ECS.9'],
  resourceTypes: ['AWS::ECS::TaskDefinition'],
  fix: {
    cdk: 'logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix }) on the container (ServiceObservability’s logGroup)',
    sam: 'LogConfiguration: { LogDriver: awslogs, Options: { awslogs-group, awslogs-region, awslogs-stream-prefix } } on the container definition',
    cloudformation:
      'LogConfiguration: { LogDriver: awslogs, Options: { awslogs-group, awslogs-region, awslogs-stream-prefix } } on the container definition',
  },
  evaluate(template) {
    const hits: RuleHit[] = [];
    for (const [logicalId, resource] of resourcesOfType(template, 'AWS::ECS::TaskDefinition')) {
      for (const container of asList(propertiesOf(resource).ContainerDefinitions).filter(isObject)) {
        if (!containerRunsLookout(container) || sendsLogsToLogGroup(container)) continue;
        hits.push({
          logicalId,
          message: `container ${String(container.Name ?? '(unnamed)')} runs Lookout but its logs (and EMF metrics, audit entries) go to no CloudWatch log group`,
        });
      }
    }
    return hits;
  },
};
