import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import type { AlarmSettings } from './alarm-defaults.js';
import type { AlertTopics } from './alert-topics.js';

/** What every alarm of one ServiceObservability shares. */
export interface AlarmContext {
  readonly scope: Construct;
  /** Prefix of alarm names, e.g. `orders-api-prod`. */
  readonly namePrefix: string;
  readonly topics: AlertTopics;
}

const UNIT_SUFFIX = { percent: ' %', milliseconds: ' ms', count: '' } as const;

function describe(settings: AlarmSettings, hint: string): string {
  const minutes = settings.periodSeconds / 60;
  const when =
    settings.evaluationPeriods === 1
      ? `in ${minutes} min`
      : `in ${settings.datapointsToAlarm} of ${settings.evaluationPeriods} periods of ${minutes} min`;
  return `${settings.summary} Fires above ${settings.threshold}${UNIT_SUFFIX[settings.unit]} ${when}. ${hint}`.trim();
}

/**
 * Creates one alarm from its settings: "greater than threshold", missing data not breaching
 * (no traffic or no failures is the normal state for every Lookout alarm), notifying the topic
 * of its severity when it fires and when it recovers.
 *
 * @example
 * createAlarm(context, settings, 'ErrorRate', 'error-rate', errorRateExpression, 'See the dashboard.');
 */
export function createAlarm(
  context: AlarmContext,
  settings: AlarmSettings,
  id: string,
  nameSuffix: string,
  metric: cloudwatch.IMetric & { with(options: { period: Duration }): cloudwatch.IMetric },
  hint = '',
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(context.scope, id, {
    alarmName: `${context.namePrefix}-${nameSuffix}`,
    alarmDescription: describe(settings, hint),
    metric: metric.with({ period: Duration.seconds(settings.periodSeconds) }),
    threshold: settings.threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: settings.evaluationPeriods,
    datapointsToAlarm: settings.datapointsToAlarm,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const action = new actions.SnsAction(context.topics.topicFor(settings.severity));
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}
