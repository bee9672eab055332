import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { LOOKOUT_METRICS } from '../core.js';
import { type AlarmId, type AlarmTuning, resolveAlarmSettings } from './alarm-defaults.js';
import { type AlarmContext, createAlarm } from './create-alarm.js';
import { guardedRate, minRequestsOf } from './guarded-rate.js';
import { lookoutMetric } from './lookout-metric.js';
import type { MetricIdentity } from './metric-identity.js';

/** The metric that counts a service's requests: `RequestCount` on a server, `Invocations` on Lambda. */
export type TrafficMetric = typeof LOOKOUT_METRICS.RequestCount | typeof LOOKOUT_METRICS.Invocations;

/**
 * The service-level alarms on Lookout's request metrics, under [Service, Environment]: fault
 * rate (`100 * Fault / requests`, judged only in periods with enough requests), p99 `Latency`,
 * and, when turned on, no traffic at all.
 *
 * @example
 * createServiceAlarms(context, identity, LOOKOUT_METRICS.RequestCount, props.alarms ?? {});
 */
export function createServiceAlarms(
  context: AlarmContext,
  identity: MetricIdentity,
  traffic: TrafficMetric,
  tuning: Partial<Record<AlarmId, AlarmTuning>>,
): Partial<Record<AlarmId, cloudwatch.Alarm>> {
  const alarms: Partial<Record<AlarmId, cloudwatch.Alarm>> = {};
  const errorRate = resolveAlarmSettings('errorRate', tuning.errorRate);
  if (errorRate.enabled) {
    const period = errorRate.periodSeconds;
    alarms.errorRate = createAlarm(
      context,
      errorRate,
      'ErrorRateAlarm',
      'error-rate',
      guardedRate(
        lookoutMetric(identity, LOOKOUT_METRICS.Fault, {}, 'Sum', period),
        lookoutMetric(identity, traffic, {}, 'Sum', period),
        minRequestsOf(errorRate),
        `Fault rate (% of ${traffic.name})`,
      ),
    );
  }
  const latency = resolveAlarmSettings('latencyP99', tuning.latencyP99);
  if (latency.enabled) {
    alarms.latencyP99 = createAlarm(
      context,
      latency,
      'LatencyP99Alarm',
      'latency-p99',
      lookoutMetric(identity, LOOKOUT_METRICS.Latency, {}, 'p99', latency.periodSeconds),
    );
  }
  const noTraffic = resolveAlarmSettings('noTraffic', tuning.noTraffic);
  if (noTraffic.enabled) {
    // A silent period has no data point at all. FILL makes it a 0, so the alarm judges the
    // latest periods instead of looking back past the silence for older data points (which
    // would delay it by two periods); a range with no data at all is missing data, which this
    // alarm treats as breaching (docs/decisions/0038-no-traffic-and-cost-budget.md).
    const requests = new cloudwatch.MathExpression({
      expression: 'FILL(requests, 0)',
      usingMetrics: { requests: lookoutMetric(identity, traffic, {}, 'Sum', noTraffic.periodSeconds) },
      label: `${traffic.name} (0 when none)`,
    });
    alarms.noTraffic = createAlarm(context, noTraffic, 'NoTrafficAlarm', 'no-traffic', requests);
  }
  return alarms;
}
