import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { type AlarmId, type AlarmTuning, resolveAlarmSettings } from './alarm-defaults.js';
import { type AlarmContext, createAlarm } from './create-alarm.js';

/** The alarms of one Lambda function, on the AWS/Lambda metrics. */
export interface FunctionAlarms {
  readonly errorRate?: cloudwatch.Alarm;
  readonly duration?: cloudwatch.Alarm;
  readonly throttles?: cloudwatch.Alarm;
}

/**
 * Alarms for one function: error rate (`100 * Errors / Invocations`), average Duration and
 * Throttles. `key` names the function in construct ids and alarm names.
 *
 * @example
 * createFunctionAlarms(context, fn, 'OrdersHandler', props.alarms ?? {});
 */
export function createFunctionAlarms(
  context: AlarmContext,
  fn: lambda.IFunction,
  key: string,
  tuning: Partial<Record<AlarmId, AlarmTuning>>,
): FunctionAlarms {
  const alarms: { -readonly [K in keyof FunctionAlarms]: FunctionAlarms[K] } = {};
  // Alarm names read best in kebab case: OrdersHandler -> orders-handler.
  const name = key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  const errorRate = resolveAlarmSettings('functionErrorRate', tuning.functionErrorRate);
  if (errorRate.enabled) {
    const rate = new MathExpression({
      expression: '100 * errors / invocations',
      usingMetrics: {
        errors: fn.metricErrors({ statistic: 'Sum' }),
        invocations: fn.metricInvocations({ statistic: 'Sum' }),
      },
      label: 'Error rate (%)',
    });
    alarms.errorRate = createAlarm(context, errorRate, `${key}ErrorRateAlarm`, `${name}-error-rate`, rate);
  }
  const duration = resolveAlarmSettings('functionDuration', tuning.functionDuration);
  if (duration.enabled) {
    alarms.duration = createAlarm(
      context,
      duration,
      `${key}DurationAlarm`,
      `${name}-duration`,
      fn.metricDuration({ statistic: 'Average' }),
    );
  }
  const throttles = resolveAlarmSettings('functionThrottles', tuning.functionThrottles);
  if (throttles.enabled) {
    alarms.throttles = createAlarm(
      context,
      throttles,
      `${key}ThrottlesAlarm`,
      `${name}-throttles`,
      fn.metricThrottles({ statistic: 'Sum' }),
      'Raise reserved concurrency or the account limit, or slow the caller.',
    );
  }
  return alarms;
}
