// An alarm's description, the first thing whoever is paged reads. Plain logic: no aws-cdk-lib
// import, so the unit tests and the docs check can use it.
import type { AlarmSettings } from './alarm-defaults.js';

/** What an alarm compares with when it is not the settings' own threshold. */
export interface AlarmThreshold {
  /** The value given to CloudWatch. */
  readonly value: number;
  /** How the description states it, e.g. `8000 ms (80 % of the 10 s timeout)`. */
  readonly text: string;
}

const UNIT_SUFFIX = {
  percent: ' %',
  milliseconds: ' ms',
  count: '',
  percentOfTimeout: ' % of the timeout',
} as const;

/**
 * The alarm's description, read by whoever is paged: what it measures, when it fires, and
 * what to do first (the runbook line every alarm carries).
 *
 * @example
 * describeAlarm(resolveAlarmSettings('errorRate'));
 * // 'Server faults … Fires above 5 % in 2 of 2 periods of 5 min, in periods with at least 20 requests. First: …'
 */
export function describeAlarm(settings: AlarmSettings, threshold?: AlarmThreshold): string {
  const minutes = settings.periodSeconds / 60;
  const when =
    settings.evaluationPeriods === 1
      ? `in ${minutes} min`
      : `in ${settings.datapointsToAlarm} of ${settings.evaluationPeriods} periods of ${minutes} min`;
  const value = threshold?.text ?? `${settings.threshold}${UNIT_SUFFIX[settings.unit]}`;
  const guard =
    settings.minRequests === undefined ? '' : `, in periods with at least ${settings.minRequests} requests`;
  return `${settings.summary} Fires ${settings.fires} ${value} ${when}${guard}. First: ${settings.runbook}`;
}
