import * as budgets from 'aws-cdk-lib/aws-budgets';
import type { Construct } from 'constructs';
import { LookoutConfigError } from '../core.js';
import { ALARM_SEVERITIES, type AlarmSeverity } from './alarm-defaults.js';
import type { AlertTopics } from './alert-topics.js';
import { fitName, NAME_LIMITS } from './fit-name.js';

/** A monthly cost budget that notifies an alert topic (AWS Budgets). */
export interface CostBudgetOptions {
  /** The monthly amount, in US dollars. */
  readonly monthlyLimitUsd: number;
  /** Percentages of the limit that actual spend notifies at. @default [80, 100] */
  readonly actualPercentages?: readonly number[];
  /** Also notify when the month's forecast goes above the limit. @default true */
  readonly forecast?: boolean;
  /** The topic notified. @default "warning" */
  readonly severity?: AlarmSeverity;
  /**
   * Count only costs with this cost allocation tag (activate the tag in the Billing console
   * first, or the budget reads $0).
   * @default every cost of the account
   */
  readonly tag?: { readonly key: string; readonly value: string };
}

const DEFAULT_PERCENTAGES: readonly number[] = [80, 100];

/** AWS Budgets takes at most five notifications per budget. */
const MAX_NOTIFICATIONS = 5;

function check(options: CostBudgetOptions): void {
  const refuse = (field: string, value: unknown, accepted: string): never => {
    throw new LookoutConfigError({ option: `costBudget.${field}`, value, accepted });
  };
  if (!Number.isFinite(options.monthlyLimitUsd) || options.monthlyLimitUsd <= 0)
    refuse('monthlyLimitUsd', options.monthlyLimitUsd, 'an amount in US dollars above 0');
  const percentages = options.actualPercentages ?? DEFAULT_PERCENTAGES;
  for (const percentage of percentages) {
    if (!Number.isFinite(percentage) || percentage <= 0 || percentage > 1000)
      refuse('actualPercentages', percentage, 'percentages of the limit above 0, at most 1000');
  }
  const count = percentages.length + (options.forecast === false ? 0 : 1);
  if (count === 0 || count > MAX_NOTIFICATIONS)
    refuse(
      'actualPercentages',
      options.actualPercentages,
      `1 to ${MAX_NOTIFICATIONS} notifications in all, the forecast one included`,
    );
  if (options.severity !== undefined && !Object.values(ALARM_SEVERITIES).includes(options.severity))
    refuse('severity', options.severity, '"critical" or "warning"');
  if (options.tag !== undefined && (options.tag.key === '' || options.tag.value === ''))
    refuse('tag', options.tag, 'a cost allocation tag key and value');
}

/**
 * A monthly cost budget (`AWS::Budgets::Budget`) that notifies the alert topic of its severity
 * when actual spend passes each percentage of the limit and when the month's forecast passes
 * the limit. Refused at synth with a `LookoutConfigError` when the options cannot work.
 *
 * @example
 * createCostBudget(this, 'CostBudget', alerts, 'orders-api-prod-monthly-cost', { monthlyLimitUsd: 200 });
 */
export function createCostBudget(
  scope: Construct,
  id: string,
  alerts: AlertTopics,
  budgetName: string,
  options: CostBudgetOptions,
): budgets.CfnBudget {
  check(options);
  const topic = alerts.allowBudgetNotifications(options.severity ?? ALARM_SEVERITIES.warning);
  const subscribers = [{ subscriptionType: 'SNS', address: topic.topicArn }];
  const notify = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
    notification: {
      notificationType,
      comparisonOperator: 'GREATER_THAN',
      threshold,
      thresholdType: 'PERCENTAGE',
    },
    subscribers,
  });
  const { tag } = options;
  return new budgets.CfnBudget(scope, id, {
    budget: {
      // Budget names are 100 characters at most, without ":" or "\\": an alarm name prefix
      // that makes a fine alarm name may not make a budget name.
      budgetName: fitName(budgetName.replace(/[:\\]/g, '-'), NAME_LIMITS.budget),
      budgetType: 'COST',
      timeUnit: 'MONTHLY',
      budgetLimit: { amount: options.monthlyLimitUsd, unit: 'USD' },
      ...(tag === undefined
        ? {}
        : { filterExpression: { tags: { key: tag.key, values: [tag.value], matchOptions: ['EQUALS'] } } }),
    },
    notificationsWithSubscribers: [
      ...(options.actualPercentages ?? DEFAULT_PERCENTAGES).map((percentage) => notify('ACTUAL', percentage)),
      ...(options.forecast === false ? [] : [notify('FORECASTED', 100)]),
    ],
  });
}
