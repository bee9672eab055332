import { Duration, Tokenization } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { LookoutConfigError } from '../core.js';
import { type AlarmId, type AlarmTuning, resolveAlarmSettings } from './alarm-defaults.js';
import { type AlarmContext, alarmNameOf, createAlarm } from './create-alarm.js';
import type { AlarmThreshold } from './describe-alarm.js';
import { guardedRate, minRequestsOf } from './guarded-rate.js';

/** The alarms of one Lambda function, on the AWS/Lambda metrics. */
export interface FunctionAlarms {
  readonly errorRate?: cloudwatch.Alarm;
  readonly duration?: cloudwatch.Alarm;
  readonly throttles?: cloudwatch.Alarm;
}

/** What `addFunction()` needs to know that an imported function cannot tell. */
export interface FunctionOptions {
  /**
   * The function's configured timeout, which the duration alarm is a share of. Needed only for
   * a function imported with `Function.fromFunctionArn` and the like.
   * @default the timeout of a function defined in the app (3 seconds when it sets none)
   */
  readonly timeout?: Duration;
}

/** Lambda's own default when a function sets no timeout. */
const LAMBDA_DEFAULT_TIMEOUT_MS = 3000;

/**
 * The timeout: given, or read from a function defined in the app. A function defined in the
 * app has a `timeout` property (undefined when Lambda's default applies); an imported one has
 * none, and its timeout must be given.
 */
function timeoutOf(fn: lambda.IFunction, options: FunctionOptions): Duration {
  if (options.timeout !== undefined) return options.timeout;
  if ('timeout' in fn) {
    const timeout = (fn as { timeout?: Duration }).timeout;
    return timeout ?? Duration.millis(LAMBDA_DEFAULT_TIMEOUT_MS);
  }
  throw new LookoutConfigError({
    option: 'addFunction(fn, { timeout })',
    value: fn.node.path,
    accepted: "the imported function's configured timeout (the duration alarm is a share of it)",
  });
}

// A Duration made from a token (`Duration.seconds(parameter.valueAsNumber)`) converts only to
// its own unit: its amount there, and the milliseconds in one of that unit.
const TOKEN_UNITS: Readonly<
  Record<string, { readonly ms: number; readonly amount: (d: Duration) => number }>
> = {
  millis: { ms: 1, amount: (d) => d.toMilliseconds() },
  seconds: { ms: 1000, amount: (d) => d.toSeconds() },
  minutes: { ms: 60_000, amount: (d) => d.toMinutes() },
  hours: { ms: 3_600_000, amount: (d) => d.toHours() },
  days: { ms: 86_400_000, amount: (d) => d.toDays() },
};

/**
 * The duration alarm of a timeout known only at deploy time (a CfnParameter): p99 Duration as a
 * percentage of the timeout, in metric math whose text holds the token, so CloudFormation writes
 * the timeout in; the threshold stays the share itself.
 */
function shareOfTokenTimeout(
  fn: lambda.IFunction,
  timeout: Duration,
  share: number,
): { metric: cloudwatch.MathExpression; threshold: AlarmThreshold } {
  const unit = TOKEN_UNITS[timeout.unitLabel()];
  if (unit === undefined) throw new Error(`lookout/cdk: unknown Duration unit ${timeout.unitLabel()}`);
  const amount = Tokenization.stringifyNumber(unit.amount(timeout));
  return {
    metric: new cloudwatch.MathExpression({
      expression: `100 * duration / (${unit.ms} * ${amount})`,
      usingMetrics: { duration: fn.metricDuration({ statistic: 'p99' }) },
      label: 'p99 Duration (% of the timeout)',
    }),
    threshold: { value: share, text: `${share} % of the timeout (set at deploy time)` },
  };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * Alarms for one function: error rate (`100 * Errors / Invocations`, judged only in periods
 * with enough invocations), p99 Duration against a share of the function's timeout, and
 * Throttles. `key` names the function in construct ids and alarm names.
 *
 * @example
 * createFunctionAlarms(context, fn, 'OrdersHandler', props.alarms ?? {}, {});
 */
export function createFunctionAlarms(
  context: AlarmContext,
  fn: lambda.IFunction,
  key: string,
  tuning: Partial<Record<AlarmId, AlarmTuning>>,
  options: FunctionOptions,
): FunctionAlarms {
  const alarms: { -readonly [K in keyof FunctionAlarms]: FunctionAlarms[K] } = {};
  const name = alarmNameOf(key);
  const duration = resolveAlarmSettings('functionDuration', tuning.functionDuration);
  // Read before any alarm is made, so a refused function leaves nothing behind.
  const timeout = duration.enabled ? timeoutOf(fn, options) : undefined;
  const errorRate = resolveAlarmSettings('functionErrorRate', tuning.functionErrorRate);
  if (errorRate.enabled) {
    const rate = guardedRate(
      fn.metricErrors({ statistic: 'Sum' }),
      fn.metricInvocations({ statistic: 'Sum' }),
      minRequestsOf(errorRate),
      'Error rate (%)',
    );
    alarms.errorRate = createAlarm(context, errorRate, `${key}ErrorRateAlarm`, `${name}-error-rate`, rate);
  }
  if (timeout !== undefined) {
    // docs/decisions/0036-function-duration-against-timeout.md: the timeout is what a slow
    // invocation runs into, so the alarm is a share of it, on p99 (the average hides the tail).
    if (timeout.isUnresolved()) {
      const { metric, threshold } = shareOfTokenTimeout(fn, timeout, duration.threshold);
      alarms.duration = createAlarm(
        context,
        duration,
        `${key}DurationAlarm`,
        `${name}-duration`,
        metric,
        threshold,
      );
    } else {
      const timeoutMs = timeout.toMilliseconds();
      const thresholdMs = Math.round((timeoutMs * duration.threshold) / 100);
      alarms.duration = createAlarm(
        context,
        duration,
        `${key}DurationAlarm`,
        `${name}-duration`,
        fn.metricDuration({ statistic: 'p99' }),
        {
          value: thresholdMs,
          text: `${thresholdMs} ms (${duration.threshold} % of the ${formatSeconds(timeoutMs)} timeout)`,
        },
      );
    }
  }
  const throttles = resolveAlarmSettings('functionThrottles', tuning.functionThrottles);
  if (throttles.enabled) {
    alarms.throttles = createAlarm(
      context,
      throttles,
      `${key}ThrottlesAlarm`,
      `${name}-throttles`,
      fn.metricThrottles({ statistic: 'Sum' }),
    );
  }
  return alarms;
}
