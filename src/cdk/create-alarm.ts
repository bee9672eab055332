import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import type { AlarmSettings } from './alarm-defaults.js';
import type { AlertTopics } from './alert-topics.js';
import { type AlarmThreshold, describeAlarm } from './describe-alarm.js';
import { fitName, NAME_LIMITS } from './fit-name.js';

/** What every alarm of one ServiceObservability shares. */
export interface AlarmContext {
  readonly scope: Construct;
  /** Prefix of alarm names, e.g. `orders-api-prod`. */
  readonly namePrefix: string;
  readonly topics: AlertTopics;
}

/**
 * A function's or API's key as alarm names read it, in kebab case: OrdersHandler -> orders-handler.
 *
 * @example
 * alarmNameOf('OrdersHandler'); // 'orders-handler'
 */
export function alarmNameOf(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/**
 * Creates one alarm from its settings: "greater than" (or "less than" for an alarm that fires
 * below), missing data as the settings say (not breaching for every alarm on failures: no
 * traffic and no failures are their normal state), notifying the topic of its severity when it
 * fires and when it recovers.
 *
 * @example
 * createAlarm(context, settings, 'ErrorRate', 'error-rate', errorRateExpression);
 */
export function createAlarm(
  context: AlarmContext,
  settings: AlarmSettings,
  id: string,
  nameSuffix: string,
  metric: cloudwatch.IMetric & { with(options: { period: Duration }): cloudwatch.IMetric },
  threshold?: AlarmThreshold,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(context.scope, id, {
    alarmName: fitName(`${context.namePrefix}-${nameSuffix}`, NAME_LIMITS.alarm),
    alarmDescription: describeAlarm(settings, threshold),
    metric: metric.with({ period: Duration.seconds(settings.periodSeconds) }),
    threshold: threshold?.value ?? settings.threshold,
    comparisonOperator:
      settings.fires === 'below'
        ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
        : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: settings.evaluationPeriods,
    datapointsToAlarm: settings.datapointsToAlarm,
    treatMissingData:
      settings.missingData === 'breaching'
        ? cloudwatch.TreatMissingData.BREACHING
        : cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const action = new actions.SnsAction(context.topics.topicFor(settings.severity));
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}
