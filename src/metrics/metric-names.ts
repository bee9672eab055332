// The one source of truth for what Lookout emits as CloudWatch metrics: the recorder, the
// docs and (later) the infrastructure code that builds alarms and dashboards all read these
// constants, so a name changes in one place or not at all.

/**
 * The namespace Lookout's metrics land in when neither the `metrics.namespace` option,
 * `LOOKOUT_METRICS_NAMESPACE` nor `POWERTOOLS_METRICS_NAMESPACE` is set.
 *
 * @example
 * cloudwatch.metric({ namespace: DEFAULT_METRICS_NAMESPACE, metricName: METRIC_NAMES.fault });
 */
export const DEFAULT_METRICS_NAMESPACE = 'Lookout';

/**
 * Dimension names, as CloudWatch Application Signals names them where it has a name.
 *
 * @example
 * metrics.addDimension(DIMENSION_NAMES.operation, 'GET /orders/:id');
 */
export const DIMENSION_NAMES = {
  /** The service name: the `serviceName` setting, the same on spans and log lines. */
  service: 'Service',
  /** `METHOD route-template`, e.g. `GET /orders/:id`; never a raw path (DESIGN decision 6). */
  operation: 'Operation',
  /** The deployment environment (`environment` setting). */
  environment: 'Environment',
  /** The audit action of an `AuditEvents` count: `CREATE`, `READ`, `UPDATE`, `DELETE`, `LOGIN`, `LOGOUT`, `ACCESS_DENIED`. */
  action: 'Action',
  /** The audit outcome of an `AuditEvents` count, as in the audit entry: `SUCCESS` or `FAILED`. */
  status: 'Status',
  /** The security rule that flagged a `SuspiciousRequest`. */
  rule: 'Rule',
} as const;
export type DimensionName = (typeof DIMENSION_NAMES)[keyof typeof DIMENSION_NAMES];

/**
 * Metric names Lookout emits.
 *
 * @example
 * new cloudwatch.Metric({ namespace: 'Lookout', metricName: METRIC_NAMES.latency, statistic: 'p99' });
 */
export const METRIC_NAMES = {
  /** Requests served by an HTTP server (one per request). */
  requestCount: 'RequestCount',
  /** Request or invocation duration; every sample is kept so percentiles are exact. */
  latency: 'Latency',
  /** Client errors: HTTP 4xx responses. */
  error: 'Error',
  /** Server faults: HTTP 5xx responses, or a Lambda handler that threw. */
  fault: 'Fault',
  /** Lambda cold starts, once per execution environment. */
  coldStart: 'ColdStart',
  /** Lambda invocations handled (one per invocation). */
  invocations: 'Invocations',
  /** Audit entries written, by action and status. */
  auditEvents: 'AuditEvents',
  /** Requests flagged by a security rule. */
  suspiciousRequest: 'SuspiciousRequest',
} as const;
export type LookoutMetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/**
 * The EMF units Lookout's own metrics use.
 *
 * @example
 * LOOKOUT_METRICS.Latency.unit === LOOKOUT_METRIC_UNITS.milliseconds; // true
 */
export const LOOKOUT_METRIC_UNITS = {
  count: 'Count',
  milliseconds: 'Milliseconds',
} as const;
export type LookoutMetricUnit = (typeof LOOKOUT_METRIC_UNITS)[keyof typeof LOOKOUT_METRIC_UNITS];

/**
 * How a metric is aggregated between flushes on a long-running server: `sum` adds every
 * value into one number per flush (counts); `samples` keeps every value, written as EMF value
 * arrays, so CloudWatch percentiles stay exact (latency).
 *
 * @example
 * const statistic = LOOKOUT_METRICS.Latency.aggregation === METRIC_AGGREGATIONS.samples ? 'p99' : 'Sum';
 */
export const METRIC_AGGREGATIONS = { sum: 'sum', samples: 'samples' } as const;
export type MetricAggregation = (typeof METRIC_AGGREGATIONS)[keyof typeof METRIC_AGGREGATIONS];

/** What one Lookout metric is: unit, aggregation and the dimension sets it is published under. */
export interface LookoutMetricDefinition {
  readonly name: LookoutMetricName;
  readonly unit: LookoutMetricUnit;
  readonly aggregation: MetricAggregation;
  /**
   * Each inner list is one CloudWatch dimension set the value is published under. Extra
   * dimensions (Action, Status, Rule) come after the ones listed here.
   */
  readonly dimensionSets: readonly (readonly DimensionName[])[];
  readonly description: string;
}

const { service, operation, environment, action, status, rule } = DIMENSION_NAMES;

// Request and invocation metrics are published per operation and, in the same document, per
// service: the service-level series is what an alarm on the whole API watches, and CloudWatch
// alarms cannot sum over a dimension themselves.
const PER_OPERATION_AND_SERVICE = [
  [service, environment, operation],
  [service, environment],
] as const;

/**
 * Every metric Lookout emits, with its unit, aggregation and dimension sets.
 *
 * @example
 * const { unit, dimensionSets } = LOOKOUT_METRICS.Latency; // 'Milliseconds', [[Service, Environment, Operation], [Service, Environment]]
 */
export const LOOKOUT_METRICS = {
  RequestCount: {
    name: METRIC_NAMES.requestCount,
    unit: LOOKOUT_METRIC_UNITS.count,
    aggregation: METRIC_AGGREGATIONS.sum,
    dimensionSets: PER_OPERATION_AND_SERVICE,
    description: 'HTTP requests served.',
  },
  Latency: {
    name: METRIC_NAMES.latency,
    unit: LOOKOUT_METRIC_UNITS.milliseconds,
    aggregation: METRIC_AGGREGATIONS.samples,
    dimensionSets: PER_OPERATION_AND_SERVICE,
    description: 'Time from request received to response finished, or handler duration on Lambda.',
  },
  Error: {
    name: METRIC_NAMES.error,
    unit: LOOKOUT_METRIC_UNITS.count,
    aggregation: METRIC_AGGREGATIONS.sum,
    dimensionSets: PER_OPERATION_AND_SERVICE,
    description: 'Responses with a 4xx status. Error rate = Error / RequestCount (or / Invocations).',
  },
  Fault: {
    name: METRIC_NAMES.fault,
    unit: LOOKOUT_METRIC_UNITS.count,
    aggregation: METRIC_AGGREGATIONS.sum,
    dimensionSets: PER_OPERATION_AND_SERVICE,
    description: 'Responses with a 5xx status, or Lambda invocations whose handler threw.',
  },
  Invocations: {
    name: METRIC_NAMES.invocations,
    unit: LOOKOUT_METRIC_UNITS.count,
    aggregation: METRIC_AGGREGATIONS.sum,
    dimensionSets: PER_OPERATION_AND_SERVICE,
    description: 'Lambda invocations handled by the Lookout wrapper.',
  },
  ColdStart: {
    name: METRIC_NAMES.coldStart,
    unit: LOOKOUT_METRIC_UNITS.count,
    aggregation: METRIC_AGGREGATIONS.sum,
    dimensionSets: [[service, environment]],
    description: 'Lambda cold starts: 1 on the first invocation of each execution environment.',
  },
  AuditEvents: {
    name: METRIC_NAMES.auditEvents,
    unit: LOOKOUT_METRIC_UNITS.count,
    aggregation: METRIC_AGGREGATIONS.sum,
    dimensionSets: [[service, environment, action, status]],
    description: 'Audit entries written, by action and outcome.',
  },
  SuspiciousRequest: {
    name: METRIC_NAMES.suspiciousRequest,
    unit: LOOKOUT_METRIC_UNITS.count,
    aggregation: METRIC_AGGREGATIONS.sum,
    dimensionSets: [[service, environment, rule]],
    description: 'Requests flagged by a security rule.',
  },
} as const satisfies Record<LookoutMetricName, LookoutMetricDefinition>;

/**
 * The Operation route part shared by every request that matched no route, so that scanners
 * probing random paths add one series, not thousands (DESIGN decision 6).
 *
 * @example
 * const operation = `GET ${UNMATCHED_ROUTE}`; // the Operation of every unrouted GET
 */
export const UNMATCHED_ROUTE = 'UNMATCHED';

/**
 * The method part of Operation for any method outside the standard HTTP set.
 *
 * @example
 * const operation = `${OTHER_METHOD} /orders`; // a PROPFIND /orders request
 */
export const OTHER_METHOD = 'OTHER';

/**
 * The Operation of a Lambda invocation when the wrapper names none.
 *
 * @example
 * const dimensions = { Service: 'orders', Environment: 'prod', Operation: DEFAULT_INVOCATION_OPERATION };
 */
export const DEFAULT_INVOCATION_OPERATION = 'Invoke';
