// Where the audit alarms and dashboard read audit counts from: the `AuditEvents` EMF metric the
// SDK writes with every audit entry (the default), or, as a fallback for services that write
// audit lines without Lookout's metrics, a metric filter that counts the audit lines in the log
// group.
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  type AuditAction,
  type AuditStatus,
  checkNamespace,
  DIMENSION_NAMES,
  LOOKOUT_METRICS,
  LookoutConfigError,
  type OTHER_AUDIT_ACTION,
} from '../core.js';
import { lookoutMetric, searchMetric, toCloudWatchUnit } from './lookout-metric.js';
import type { MetricIdentity } from './metric-identity.js';

const { service, environment, action, status } = DIMENSION_NAMES;
const AUDIT_EVENTS = LOOKOUT_METRICS.AuditEvents;

/**
 * Where audit counts come from: `emf`, the `AuditEvents` metric the SDK writes; `logs`, a
 * metric filter on the log group.
 *
 * @example
 * new ServiceObservability(this, 'Obs', { ...props, auditMetricSource: AUDIT_METRIC_SOURCES.logs });
 */
export const AUDIT_METRIC_SOURCES = { emf: 'emf', logs: 'logs' } as const;
export type AuditMetricSource = (typeof AUDIT_METRIC_SOURCES)[keyof typeof AUDIT_METRIC_SOURCES];

/** The audit counts of one service, as alarms and dashboards use them. */
export interface AuditMetrics {
  readonly source: AuditMetricSource;
  /** `AuditEvents` (Sum) for one action and outcome. */
  metric(
    actionValue: AuditAction | typeof OTHER_AUDIT_ACTION,
    statusValue: AuditStatus,
    periodSeconds: number,
  ): cloudwatch.Metric;
  /** Every action and outcome of this service, one line each (dashboards only). */
  search(periodSeconds: number): cloudwatch.MathExpression;
}

/**
 * Audit counts from the `AuditEvents` metric the SDK writes with each audit entry.
 *
 * @example
 * emfAuditMetrics(identity).metric('LOGIN', 'FAILED', 300);
 */
export function emfAuditMetrics(identity: MetricIdentity): AuditMetrics {
  return {
    source: AUDIT_METRIC_SOURCES.emf,
    metric: (actionValue, statusValue, periodSeconds) =>
      lookoutMetric(
        identity,
        AUDIT_EVENTS,
        { [action]: actionValue, [status]: statusValue },
        'Sum',
        periodSeconds,
      ),
    search: (periodSeconds) =>
      searchMetric(
        {
          namespace: identity.namespace,
          filter: { [service]: identity.service, [environment]: identity.environment },
        },
        AUDIT_EVENTS,
        [service, environment, action, status],
        'Sum',
        periodSeconds,
      ),
  };
}

/**
 * The namespace the fallback metric filter writes to. A metric filter can take dimension values
 * only from fields of the log line, and an audit entry carries no service or environment, so
 * the service is told apart by namespace instead.
 *
 * @example
 * defaultAuditLogNamespace({ namespace: 'Lookout', service: 'orders-api', environment: 'prod' });
 * // 'Lookout/AuditLog/orders-api/prod'
 */
export function defaultAuditLogNamespace(identity: MetricIdentity): string {
  return `${identity.namespace}/AuditLog/${identity.service}/${identity.environment}`;
}

/**
 * Audit counts from a metric filter on the service's log group: one filter matching every
 * audit line (`{ $.audit IS TRUE }`), counted as `AuditEvents` by Action and Status taken from
 * the line's `action` and `status` fields, in a namespace of its own so they never add to the
 * EMF series.
 *
 * @example
 * logAuditMetrics(this, logGroup, 'Lookout/AuditLog/orders-api/prod').metric('DELETE', 'SUCCESS', 300);
 */
export function logAuditMetrics(scope: Construct, logGroup: logs.ILogGroup, namespace: string): AuditMetrics {
  // A namespace holding a token (the default one, from a namespace or service name given as a
  // token) is known only at deploy time.
  const problem = Token.isUnresolved(namespace) ? undefined : checkNamespace(namespace);
  if (problem !== undefined) {
    throw new LookoutConfigError({
      option: 'auditLogNamespace',
      value: namespace,
      accepted: `a namespace that ${problem} (set auditLogNamespace when the service name or environment has other characters)`,
    });
  }
  const unit = toCloudWatchUnit(AUDIT_EVENTS.unit);
  new logs.MetricFilter(scope, 'AuditEventsFilter', {
    logGroup,
    filterPattern: logs.FilterPattern.literal('{ $.audit IS TRUE }'),
    metricNamespace: namespace,
    metricName: AUDIT_EVENTS.name,
    metricValue: '1',
    dimensions: { [action]: '$.action', [status]: '$.status' },
    unit,
  });
  return {
    source: AUDIT_METRIC_SOURCES.logs,
    metric: (actionValue, statusValue, periodSeconds) =>
      new cloudwatch.Metric({
        namespace,
        metricName: AUDIT_EVENTS.name,
        dimensionsMap: { [action]: actionValue, [status]: statusValue },
        statistic: 'Sum',
        period: Duration.seconds(periodSeconds),
        unit,
      }),
    search: (periodSeconds) =>
      searchMetric({ namespace, filter: {} }, AUDIT_EVENTS, [action, status], 'Sum', periodSeconds),
  };
}
