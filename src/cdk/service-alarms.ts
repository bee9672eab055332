import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { LOOKOUT_METRICS } from '../core.js';
import { type AlarmId, type AlarmTuning, resolveAlarmSettings } from './alarm-defaults.js';
import { type AlarmContext, createAlarm } from './create-alarm.js';
import { lookoutMetric } from './lookout-metric.js';
import type { MetricIdentity } from './metric-identity.js';

/** The metric that counts a service's requests: `RequestCount` on a server, `Invocations` on Lambda. */
export type TrafficMetric = typeof LOOKOUT_METRICS.RequestCount | typeof LOOKOUT_METRICS.Invocations;

/**
 * The service-level alarms on Lookout's request metrics, under [Service, Environment]: fault
 * rate (`100 * Fault / requests`) and p99 `Latency`.
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
    const rate = new cloudwatch.MathExpression({
      expression: '100 * faults / requests',
      usingMetrics: {
        faults: lookoutMetric(identity, LOOKOUT_METRICS.Fault, {}, 'Sum', period),
        requests: lookoutMetric(identity, traffic, {}, 'Sum', period),
      },
      label: `Fault rate (% of ${traffic.name})`,
    });
    alarms.errorRate = createAlarm(
      context,
      errorRate,
      'ErrorRateAlarm',
      'error-rate',
      rate,
      'Look for 5xx lines and error logs with the "Errors per 15 minutes" query, then the traces.',
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
      'The "Slowest endpoints by p95" query shows which route.',
    );
  }
  return alarms;
}
