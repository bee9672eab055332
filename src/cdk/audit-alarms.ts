import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AUDIT_ACTIONS, AUDIT_STATUSES, DIMENSION_NAMES, LOOKOUT_METRICS } from '../core.js';
import { type AlarmId, type AlarmTuning, resolveAlarmSettings } from './alarm-defaults.js';
import type { AuditMetrics } from './audit-metrics.js';
import { type AlarmContext, createAlarm } from './create-alarm.js';
import { sumOverDimension } from './lookout-metric.js';
import type { MetricIdentity } from './metric-identity.js';

const { LOGIN: login, DELETE: del, ACCESS_DENIED: accessDenied } = AUDIT_ACTIONS;
const { SUCCESS: success, FAILED: failed } = AUDIT_STATUSES;

/**
 * The security alarms: brute force (failed logins), failed actions of any kind, delete
 * attempts and access denied, on audit counts; suspicious requests on `SuspiciousRequest`
 * summed over every rule (a Metrics Insights query, so rules added later are counted too).
 *
 * @example
 * createAuditAlarms(context, identity, emfAuditMetrics(identity), props.alarms ?? {});
 */
export function createAuditAlarms(
  context: AlarmContext,
  identity: MetricIdentity,
  audit: AuditMetrics,
  tuning: Partial<Record<AlarmId, AlarmTuning>>,
): Partial<Record<AlarmId, cloudwatch.Alarm>> {
  const alarms: Partial<Record<AlarmId, cloudwatch.Alarm>> = {};

  const bruteForce = resolveAlarmSettings('bruteForce', tuning.bruteForce);
  if (bruteForce.enabled) {
    alarms.bruteForce = createAlarm(
      context,
      bruteForce,
      'BruteForceAlarm',
      'brute-force',
      audit.metric(login, failed, bruteForce.periodSeconds),
    );
  }

  const failedActions = resolveAlarmSettings('failedActions', tuning.failedActions);
  if (failedActions.enabled) {
    // Alarm math cannot sum "every Action", so the fixed action list is summed (7 of the 10
    // metrics one expression may use). Actions outside it, which the SDK counts as OTHER, are
    // not part of this alarm.
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    for (const value of Object.values(AUDIT_ACTIONS)) {
      usingMetrics[value.toLowerCase()] = audit.metric(value, failed, failedActions.periodSeconds);
    }
    const sum = new cloudwatch.MathExpression({
      expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
      usingMetrics,
      label: 'Failed audited actions',
    });
    alarms.failedActions = createAlarm(context, failedActions, 'FailedActionsAlarm', 'failed-actions', sum);
  }

  const deletes = resolveAlarmSettings('excessiveDeletes', tuning.excessiveDeletes);
  if (deletes.enabled) {
    const attempts = new cloudwatch.MathExpression({
      expression: 'SUM([succeeded, failed])',
      usingMetrics: {
        succeeded: audit.metric(del, success, deletes.periodSeconds),
        failed: audit.metric(del, failed, deletes.periodSeconds),
      },
      label: 'Delete attempts',
    });
    alarms.excessiveDeletes = createAlarm(
      context,
      deletes,
      'ExcessiveDeletesAlarm',
      'excessive-deletes',
      attempts,
    );
  }

  const denied = resolveAlarmSettings('accessDenied', tuning.accessDenied);
  if (denied.enabled) {
    alarms.accessDenied = createAlarm(
      context,
      denied,
      'AccessDeniedAlarm',
      'access-denied',
      audit.metric(accessDenied, failed, denied.periodSeconds),
    );
  }

  const suspicious = resolveAlarmSettings('suspiciousRequests', tuning.suspiciousRequests);
  if (suspicious.enabled) {
    alarms.suspiciousRequests = createAlarm(
      context,
      suspicious,
      'SuspiciousRequestsAlarm',
      'suspicious-requests',
      sumOverDimension(
        identity,
        LOOKOUT_METRICS.SuspiciousRequest,
        DIMENSION_NAMES.rule,
        suspicious.periodSeconds,
      ),
    );
  }
  return alarms;
}
