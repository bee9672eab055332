// The alarms ServiceObservability creates and their default thresholds, in one table that the
// construct, docs/infrastructure.md and the tests read. Plain data: no aws-cdk-lib import.
import { LookoutConfigError } from '../core.js';

/**
 * Who is told when an alarm fires: the critical topic pages someone, the warning topic does not.
 *
 * @example
 * new ServiceObservability(this, 'Obs', { ...props, alarms: { bruteForce: { severity: ALARM_SEVERITIES.warning } } });
 */
export const ALARM_SEVERITIES = { critical: 'critical', warning: 'warning' } as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[keyof typeof ALARM_SEVERITIES];

/** What an alarm fires on, and how it is judged. Every comparison is "greater than". */
export interface AlarmDefault {
  /** The value the alarm compares with (a percentage, milliseconds or a count, see `unit`). */
  readonly threshold: number;
  /** How many consecutive periods are evaluated. */
  readonly evaluationPeriods: number;
  /** How many of the evaluated periods must breach. */
  readonly datapointsToAlarm: number;
  /** Length of one period, in seconds. */
  readonly periodSeconds: number;
  readonly severity: AlarmSeverity;
  /** What the threshold is measured in, for descriptions and docs. */
  readonly unit: 'percent' | 'milliseconds' | 'count';
  /** One line: what breaching means. */
  readonly summary: string;
}

const FIVE_MINUTES = 300;

/**
 * Every alarm ServiceObservability can create, with its default settings. `function…` alarms
 * are created once per Lambda function given; the audit alarms watch the `AuditEvents` and
 * `SuspiciousRequest` metrics.
 *
 * @example
 * new ServiceObservability(this, 'Obs', {
 *   serviceName: 'orders-api',
 *   environment: 'prod',
 *   alarms: { latencyP99: { threshold: ALARM_DEFAULTS.latencyP99.threshold * 2 } },
 * });
 */
export const ALARM_DEFAULTS = {
  errorRate: {
    threshold: 5,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.critical,
    unit: 'percent',
    summary: 'Server faults (5xx, or a handler that threw) as a percentage of requests.',
  },
  latencyP99: {
    threshold: 1000,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'milliseconds',
    summary: 'p99 of request (or invocation) latency measured by Lookout.',
  },
  functionErrorRate: {
    threshold: 5,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.critical,
    unit: 'percent',
    summary: 'Lambda Errors as a percentage of Invocations, per function.',
  },
  functionDuration: {
    threshold: 500,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'milliseconds',
    summary: 'Average Lambda Duration, per function.',
  },
  functionThrottles: {
    threshold: 5,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.critical,
    unit: 'count',
    summary: 'Throttled Lambda invocations, per function.',
  },
  bruteForce: {
    threshold: 20,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.critical,
    unit: 'count',
    summary: 'Failed logins (audit action LOGIN, status FAILED).',
  },
  failedActions: {
    threshold: 50,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'count',
    summary: 'Audited actions of any kind that failed (status FAILED).',
  },
  excessiveDeletes: {
    threshold: 30,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.critical,
    unit: 'count',
    summary: 'Delete attempts (audit action DELETE, successful or not).',
  },
  accessDenied: {
    threshold: 20,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'count',
    summary: 'Requests refused with 401 or 403 (audit action ACCESS_DENIED).',
  },
  suspiciousRequests: {
    threshold: 10,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'count',
    summary: 'Requests flagged by a security rule, all rules together.',
  },
} as const satisfies Record<string, AlarmDefault>;

export type AlarmId = keyof typeof ALARM_DEFAULTS;

/**
 * Changes to one alarm's defaults. Leave a field out to keep its default.
 *
 * @example
 * const bruteForce: AlarmTuning = { threshold: 50, severity: 'warning' };
 */
export interface AlarmTuning {
  /** @default see ALARM_DEFAULTS */
  readonly threshold?: number;
  /** @default see ALARM_DEFAULTS */
  readonly evaluationPeriods?: number;
  /**
   * @default the default's, but never more than `evaluationPeriods`
   */
  readonly datapointsToAlarm?: number;
  /** Period in seconds: 60 or a multiple of 60. @default 300 */
  readonly periodSeconds?: number;
  /** @default see ALARM_DEFAULTS */
  readonly severity?: AlarmSeverity;
  /** `false` creates no alarm (dashboards still show the metric). @default true */
  readonly enabled?: boolean;
}

/** The settings one alarm is created with, after tuning. */
export interface AlarmSettings extends Omit<AlarmDefault, 'summary'> {
  readonly id: AlarmId;
  readonly enabled: boolean;
  readonly summary: string;
}

/**
 * Merges the tuning given for an alarm into its defaults and checks the result. Throws a
 * `LookoutConfigError` on nonsense (a negative threshold, 0 periods, a period CloudWatch
 * refuses): a mistake in infrastructure code should fail the synth, not deploy an alarm that
 * can never fire.
 *
 * @example
 * resolveAlarmSettings('bruteForce', { threshold: 50 }).threshold; // 50
 */
export function resolveAlarmSettings(id: AlarmId, tuning: AlarmTuning = {}): AlarmSettings {
  const base: AlarmDefault = ALARM_DEFAULTS[id];
  const evaluationPeriods = tuning.evaluationPeriods ?? base.evaluationPeriods;
  const settings: AlarmSettings = {
    ...base,
    id,
    threshold: tuning.threshold ?? base.threshold,
    evaluationPeriods,
    datapointsToAlarm: tuning.datapointsToAlarm ?? Math.min(base.datapointsToAlarm, evaluationPeriods),
    periodSeconds: tuning.periodSeconds ?? base.periodSeconds,
    severity: tuning.severity ?? base.severity,
    enabled: tuning.enabled ?? true,
  };
  const problem = findProblem(settings);
  if (problem !== undefined) {
    throw new LookoutConfigError({
      option: `alarms.${id}.${problem.field}`,
      value: problem.value,
      accepted: problem.accepted,
    });
  }
  return settings;
}

interface Problem {
  readonly field: keyof AlarmTuning;
  readonly value: unknown;
  readonly accepted: string;
}

function findProblem(settings: AlarmSettings): Problem | undefined {
  const { threshold, evaluationPeriods, datapointsToAlarm, periodSeconds, severity } = settings;
  if (!Number.isFinite(threshold) || threshold < 0)
    return { field: 'threshold', value: threshold, accepted: 'a number >= 0' };
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1)
    return { field: 'evaluationPeriods', value: evaluationPeriods, accepted: 'an integer >= 1' };
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods)
    return {
      field: 'datapointsToAlarm',
      value: datapointsToAlarm,
      accepted: `an integer from 1 to evaluationPeriods (${evaluationPeriods})`,
    };
  if (!Number.isInteger(periodSeconds) || periodSeconds < 60 || periodSeconds % 60 !== 0)
    return { field: 'periodSeconds', value: periodSeconds, accepted: '60 or a multiple of 60' };
  // CloudWatch evaluates at most one day of data for an alarm.
  if (periodSeconds * evaluationPeriods > 86_400)
    return {
      field: 'periodSeconds',
      value: periodSeconds,
      accepted: `a period that, times evaluationPeriods (${evaluationPeriods}), is at most 86400 seconds`,
    };
  if (!Object.values(ALARM_SEVERITIES).includes(severity))
    return { field: 'severity', value: severity, accepted: '"critical" or "warning"' };
  return undefined;
}
