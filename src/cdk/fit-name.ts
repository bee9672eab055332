import { createHash } from 'node:crypto';
import { Token } from 'aws-cdk-lib';

/**
 * Most characters CloudFormation takes in the names Lookout generates. Past them the deploy
 * fails, late and on one resource, while synth said nothing: a service name may be 255
 * characters (a dimension value), and an alarm name holds it, the environment and a function's
 * construct id.
 */
export const NAME_LIMITS = {
  /** AWS::CloudWatch::Alarm AlarmName */
  alarm: 255,
  /** AWS::CloudWatch::Dashboard DashboardName */
  dashboard: 255,
  /** AWS::Logs::QueryDefinition Name */
  queryDefinition: 255,
  /** AWS::Budgets::Budget BudgetName */
  budget: 100,
  /** A metric's dimension value, as CDK's Metric takes it (CloudWatch takes 1024). */
  dimensionValue: 255,
  /** AWS::Lambda::Function Description */
  functionDescription: 256,
} as const;

/** Hex digits of the hash a shortened name carries. */
const HASH_LENGTH = 8;

/**
 * `name` when it has at most `max` characters; otherwise its start and its end around a short
 * hash of the whole name, `max` characters in all. The end is kept because it says which alarm
 * or query this is (`…-error-rate`); the hash keeps names that differ only in the part cut out
 * apart. Only hex digits and "-" are added, so a name made of allowed characters stays so. A
 * name holding a token is left as it is: its length is known only at deploy time.
 *
 * @example
 * fitName(`${'a'.repeat(300)}-error-rate`, NAME_LIMITS.alarm); // 'aaa…aaa-1b2c3d4e-aaa…aaa-error-rate'
 */
export function fitName(name: string, max: number): string {
  if (name.length <= max || Token.isUnresolved(name)) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  const room = max - HASH_LENGTH - 2;
  const tail = Math.floor(room / 2);
  return `${name.slice(0, room - tail)}-${hash}-${name.slice(name.length - tail)}`;
}
