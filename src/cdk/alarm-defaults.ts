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

/** What an alarm fires on, and how it is judged. */
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
  /**
   * What the threshold is measured in, for descriptions and docs. `percentOfTimeout` is a
   * share of the Lambda function's configured timeout, turned into milliseconds at synth.
   */
  readonly unit: 'percent' | 'milliseconds' | 'count' | 'percentOfTimeout';
  /** Which side of the threshold fires: `above` (greater than) or `below` (less than). @default "above" */
  readonly fires?: 'above' | 'below';
  /**
   * A period without data: `notBreaching` (no traffic, no failures: the normal state of every
   * alarm on failures) or `breaching` (silence is the problem: the no-traffic alarm).
   * @default "notBreaching"
   */
  readonly missingData?: 'notBreaching' | 'breaching';
  /** `false` for an alarm created only when turned on (`enabled: true`). @default true */
  readonly enabledByDefault?: boolean;
  /**
   * Rate alarms only: the fewest requests in a period for the rate to be judged at all; a
   * period with fewer reads 0 % (see docs/decisions/0035-minimum-traffic-guard.md).
   */
  readonly minRequests?: number;
  /** One line: what breaching means. */
  readonly summary: string;
  /** What to do first when it fires; every alarm's description ends with it. */
  readonly runbook: string;
}

const FIVE_MINUTES = 300;

/**
 * The fewest requests for a 5 % rate alarm: below 20, one failed request alone is above 5 %
 * (1 of 19 is 5.3 %), so a single failure at night could page (docs/decisions/0035).
 */
const MIN_REQUESTS_FOR_5_PERCENT = 20;

/**
 * Every alarm ServiceObservability can create, with its default settings. `function…` alarms
 * are created once per Lambda function given, `api…` alarms once per API given to `addApi()`;
 * the audit alarms watch the `AuditEvents` and `SuspiciousRequest` metrics; `noTraffic` is
 * created only when turned on.
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
    minRequests: MIN_REQUESTS_FOR_5_PERCENT,
    summary: 'Server faults (5xx, or a handler that threw) as a percentage of requests.',
    runbook:
      'Run the saved query "Errors per 15 minutes" to find the failing route and its error, then open one of its traces; if a deployment just went out, roll it back.',
  },
  latencyP99: {
    threshold: 1000,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'milliseconds',
    summary: 'p99 of request (or invocation) latency measured by Lookout.',
    runbook:
      'Run the saved query "Slowest endpoints by p95" to find the route, then read one of its slow traces for the span that takes the time (a database, a downstream call).',
  },
  noTraffic: {
    threshold: 1,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.critical,
    unit: 'count',
    fires: 'below',
    missingData: 'breaching',
    enabledByDefault: false,
    summary: 'Requests (or invocations) counted by Lookout; no data counts as none.',
    runbook:
      'Check what sends the traffic: the load balancer or API Gateway in front (its own 5xx, DNS, certificates), then whether the service runs at all (ECS tasks, Lambda concurrency, an event source disabled).',
  },
  functionErrorRate: {
    threshold: 5,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.critical,
    unit: 'percent',
    minRequests: MIN_REQUESTS_FOR_5_PERCENT,
    summary: 'Lambda Errors as a percentage of Invocations, per function.',
    runbook:
      'Open the function\'s ERROR log lines (saved query "Errors per 15 minutes") for the error and its trace; timeouts show as "Task timed out" lines; if a deployment just went out, roll it back.',
  },
  functionDuration: {
    threshold: 80,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'percentOfTimeout',
    summary: "p99 of Lambda Duration against the function's configured timeout, per function.",
    runbook:
      'Open a slow trace of the function for the span that takes the time (a downstream call close to its own timeout, a cold start); raise the timeout only once the cause is known.',
  },
  functionThrottles: {
    threshold: 5,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.critical,
    unit: 'count',
    summary: 'Throttled Lambda invocations, per function.',
    runbook:
      "Compare the function's concurrent executions with its reserved concurrency and the account limit; raise the one reached, or slow the caller.",
  },
  apiServerErrorRate: {
    threshold: 5,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.critical,
    unit: 'percent',
    minRequests: MIN_REQUESTS_FOR_5_PERCENT,
    summary: 'API Gateway 5XX responses as a percentage of its requests, per API stage.',
    runbook:
      "Compare with the service's error-rate alarm: if the service is healthy, the gateway failed before it (integration timeout at 29 s, throttling, a Lambda permission); read the API's access log for the status and integration error.",
  },
  apiClientErrorRate: {
    threshold: 25,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'percent',
    minRequests: 50,
    summary: 'API Gateway 4XX responses as a percentage of its requests, per API stage.',
    runbook:
      "Group the API's access log by status and caller: one IP probing paths is a scanner (block it); one client failing with 400, 401 or 403 is a broken release or an expired credential on its side.",
  },
  apiLatencyP99: {
    threshold: 2000,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'milliseconds',
    summary: 'p99 of API Gateway Latency (gateway, authorizer and integration), per API stage.',
    runbook:
      "Compare Latency with IntegrationLatency on the dashboard: if the integration is slow, follow the service's latency alarm; if not, look at the authorizer and the gateway (throttling, a cold authorizer).",
  },
  bruteForce: {
    threshold: 20,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.critical,
    unit: 'count',
    summary: 'Failed logins (audit action LOGIN, status FAILED).',
    runbook:
      'Run the saved query "Failed logins by user and IP": one IP across many users is credential stuffing (block it at the WAF), one user from many IPs a targeted account (lock it).',
  },
  failedActions: {
    threshold: 50,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'count',
    summary: 'Audited actions of any kind that failed (status FAILED).',
    runbook:
      'Run the saved queries "Failed actions per 15 minutes" and "Recent audit events" for the action and user that fail; a single user is usually a broken client, many users a bug.',
  },
  excessiveDeletes: {
    threshold: 30,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.critical,
    unit: 'count',
    summary: 'Delete attempts (audit action DELETE, successful or not).',
    runbook:
      'Run the saved query "Deletes" for who deleted what; if it is not a known cleanup job, disable that user or key and check the backups.',
  },
  accessDenied: {
    threshold: 20,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'count',
    summary: 'Requests refused with 401 or 403 (audit action ACCESS_DENIED).',
    runbook:
      'Run the saved query "Access denied" for the user, IP and path; many users at once is usually an expired signing key or a broken deployment of the auth layer.',
  },
  suspiciousRequests: {
    threshold: 10,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: FIVE_MINUTES,
    severity: ALARM_SEVERITIES.warning,
    unit: 'count',
    summary: 'Requests flagged by a security rule, all rules together.',
    runbook:
      "Read the security monitor's WARN lines: they name the rule and show a redacted excerpt; one IP is a scanner (block it), a rule firing on normal traffic needs tuning.",
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
  /**
   * `false` creates no alarm (dashboards still show the metric); `true` creates one that is
   * off by default (`noTraffic`).
   * @default true, except for `noTraffic`
   */
  readonly enabled?: boolean;
  /**
   * Rate alarms only (`errorRate`, `functionErrorRate`, `apiServerErrorRate`,
   * `apiClientErrorRate`): the fewest requests in a period for the rate to be judged; fewer
   * reads as 0 %. 1 judges every period that had a request.
   * @default see ALARM_DEFAULTS (20 for the 5 % alarms)
   */
  readonly minRequests?: number;
}

/** The settings one alarm is created with, after tuning. */
export interface AlarmSettings
  extends Omit<AlarmDefault, 'summary' | 'runbook' | 'fires' | 'missingData' | 'enabledByDefault'> {
  readonly id: AlarmId;
  readonly enabled: boolean;
  readonly fires: 'above' | 'below';
  readonly missingData: 'notBreaching' | 'breaching';
  readonly summary: string;
  readonly runbook: string;
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
  const minRequests = tuning.minRequests ?? base.minRequests;
  const settings: AlarmSettings = {
    ...base,
    id,
    fires: base.fires ?? 'above',
    missingData: base.missingData ?? 'notBreaching',
    ...(minRequests === undefined ? {} : { minRequests }),
    threshold: tuning.threshold ?? base.threshold,
    evaluationPeriods,
    datapointsToAlarm: tuning.datapointsToAlarm ?? Math.min(base.datapointsToAlarm, evaluationPeriods),
    periodSeconds: tuning.periodSeconds ?? base.periodSeconds,
    severity: tuning.severity ?? base.severity,
    enabled: tuning.enabled ?? base.enabledByDefault ?? true,
  };
  if (tuning.minRequests !== undefined && base.minRequests === undefined) {
    throw new LookoutConfigError({
      option: `alarms.${id}.minRequests`,
      value: tuning.minRequests,
      accepted: 'nothing: only the rate alarms have a minimum request count',
    });
  }
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
  // An invocation cannot last longer than its timeout: 100 % or more could never fire.
  if (settings.unit === 'percentOfTimeout' && (threshold <= 0 || threshold >= 100))
    return {
      field: 'threshold',
      value: threshold,
      accepted: 'a percentage of the timeout above 0 and below 100',
    };
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
  const { minRequests } = settings;
  if (minRequests !== undefined && (!Number.isInteger(minRequests) || minRequests < 1))
    return { field: 'minRequests', value: minRequests, accepted: 'an integer >= 1' };
  if (!Object.values(ALARM_SEVERITIES).includes(severity))
    return { field: 'severity', value: severity, accepted: '"critical" or "warning"' };
  return undefined;
}
