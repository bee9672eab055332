// CloudWatch metric objects for what the SDK writes. Every namespace, metric name, unit and
// dimension name comes from the SDK's constants, and every dimension set used here is checked
// against the sets LOOKOUT_METRICS says the SDK publishes: a metric renamed or re-dimensioned
// in the SDK fails the synth instead of leaving an alarm on a series nobody writes.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DIMENSION_NAMES, type DimensionName, type LookoutMetricDefinition } from '../core.js';
import type { MetricIdentity } from './metric-identity.js';

const { service, environment, operation } = DIMENSION_NAMES;

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name) => b.includes(name));
}

/**
 * Throws unless the SDK publishes `definition` under exactly these dimension names.
 *
 * @example
 * requirePublishedSet(LOOKOUT_METRICS.Fault, ['Service', 'Environment']);
 */
export function requirePublishedSet(
  definition: LookoutMetricDefinition,
  names: readonly DimensionName[],
): void {
  if (definition.dimensionSets.some((set) => sameNames(set, names))) return;
  throw new Error(
    `lookout/cdk: the SDK does not publish ${definition.name} under [${names.join(', ')}] (it uses ${definition.dimensionSets
      .map((set) => `[${set.join(', ')}]`)
      .join(', ')})`,
  );
}

/** The CloudWatch unit whose string is the SDK's unit, so an alarm's unit filter matches what was written. */
export function toCloudWatchUnit(unit: string): cloudwatch.Unit {
  const found = Object.values(cloudwatch.Unit).find((candidate) => candidate === unit);
  if (found === undefined) throw new Error(`lookout/cdk: "${unit}" is not a CloudWatch unit`);
  return found;
}

/**
 * One Lookout metric under an exact dimension set, e.g. `Fault` by Service and Environment.
 *
 * @example
 * lookoutMetric(identity, LOOKOUT_METRICS.Fault, {}, 'Sum', 300);
 */
export function lookoutMetric(
  identity: MetricIdentity,
  definition: LookoutMetricDefinition,
  extraDimensions: Readonly<Record<string, string>>,
  statistic: string,
  periodSeconds: number,
): cloudwatch.Metric {
  const dimensionsMap: Record<string, string> = {
    [service]: identity.service,
    [environment]: identity.environment,
    ...extraDimensions,
  };
  requirePublishedSet(definition, Object.keys(dimensionsMap) as DimensionName[]);
  return new cloudwatch.Metric({
    namespace: identity.namespace,
    metricName: definition.name,
    dimensionsMap,
    statistic,
    period: Duration.seconds(periodSeconds),
    unit: toCloudWatchUnit(definition.unit),
  });
}

// Names in SEARCH schemas and Metrics Insights queries need double quotes unless they are
// plain words; values were checked free of quotes and backslashes (metric-identity.ts).
function quoteName(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : `"${name}"`;
}

/**
 * A SEARCH expression over every series of `definition` under `dimensionNames` for this
 * service (one line per Operation, Action, Rule...), for dashboards: CloudWatch alarms cannot
 * watch a SEARCH.
 *
 * @example
 * searchMetric({ namespace: 'Lookout', filter: { Service: 'api', Environment: 'prod' } }, LOOKOUT_METRICS.RequestCount,
 *   ['Service', 'Environment', 'Operation'], 'Sum', 300);
 */
export function searchMetric(
  where: { readonly namespace: string; readonly filter: Readonly<Record<string, string>> },
  definition: LookoutMetricDefinition,
  dimensionNames: readonly DimensionName[],
  statistic: string,
  periodSeconds: number,
  label?: string,
): cloudwatch.MathExpression {
  const schema = [`"${where.namespace}"`, ...[...dimensionNames].sort().map(quoteName)].join(',');
  const terms = [
    `MetricName="${definition.name}"`,
    ...Object.entries(where.filter).map(([name, value]) => `${quoteName(name)}="${value}"`),
  ].join(' ');
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${schema}} ${terms}', '${statistic}', ${periodSeconds})`,
    usingMetrics: {},
    period: Duration.seconds(periodSeconds),
    // An empty label makes CloudWatch name each line by its dimension values (the operation).
    label: label ?? '',
  });
}

/**
 * A SEARCH over the per-operation series of a request metric for this service.
 *
 * @example
 * operationSearch(identity, LOOKOUT_METRICS.Latency, 'p99', 300);
 */
export function operationSearch(
  identity: MetricIdentity,
  definition: LookoutMetricDefinition,
  statistic: string,
  periodSeconds: number,
): cloudwatch.MathExpression {
  const names: DimensionName[] = [service, environment, operation];
  requirePublishedSet(definition, names);
  return searchMetric(
    {
      namespace: identity.namespace,
      filter: { [service]: identity.service, [environment]: identity.environment },
    },
    definition,
    names,
    statistic,
    periodSeconds,
  );
}

/**
 * A Metrics Insights query summing `definition` over every value of one extra dimension (every
 * Rule of `SuspiciousRequest`) for this service: one time series, so an alarm can watch it.
 *
 * @example
 * sumOverDimension(identity, LOOKOUT_METRICS.SuspiciousRequest, 'Rule', 300);
 */
export function sumOverDimension(
  identity: MetricIdentity,
  definition: LookoutMetricDefinition,
  dimension: DimensionName,
  periodSeconds: number,
): cloudwatch.MathExpression {
  const names: DimensionName[] = [service, environment, dimension];
  requirePublishedSet(definition, names);
  const schema = [`"${identity.namespace}"`, ...[...names].sort().map(quoteName)].join(', ');
  return new cloudwatch.MathExpression({
    expression:
      `SELECT SUM(${quoteName(definition.name)}) FROM SCHEMA(${schema}) ` +
      `WHERE ${quoteName(service)} = '${identity.service}' AND ${quoteName(environment)} = '${identity.environment}'`,
    usingMetrics: {},
    period: Duration.seconds(periodSeconds),
    label: definition.name,
  });
}
