// CloudWatch Logs Insights queries over what Lookout writes: audit entries (`audit: true`,
// `user_id`, `action`, `resource`, `status`, `ip_address`, `details`, ...) and access-log lines
// (`method`, `route`, `status`, `duration_ms`, ...). One module so that the saved queries, the
// dashboard widgets and docs/audit.md all cite the same text.
//
// Logs Insights reads a JSON `true` as 1, hence `audit = 1`. A test checks that every field a
// query names is a documented field of those entries.
import { AUDIT_ACTION_VALUES, AUDIT_STATUS_VALUES } from './audit-values.js';

/** How a query's result reads best on a dashboard. */
export type InsightsVisualization = 'table' | 'line' | 'bar';

/** One Logs Insights query. */
export interface InsightsQuery {
  /** Short title: the saved query's name and the dashboard widget's title. */
  readonly title: string;
  /** The question it answers. */
  readonly description: string;
  /** The query, Logs Insights query language, commands on separate lines. */
  readonly query: string;
  readonly visualization: InsightsVisualization;
}

/**
 * The placeholder in {@link INSIGHTS_QUERIES}.userActivity: replace it with the user id to
 * look at before running the query.
 *
 * @example
 * const query = INSIGHTS_QUERIES.userActivity.query.replace(USER_ID_PLACEHOLDER, 'user-42');
 */
export const USER_ID_PLACEHOLDER = 'REPLACE_WITH_USER_ID';

/** Failed logins per user and address at or above this count are listed (brute force, stuffing). */
const FAILED_LOGIN_THRESHOLD = 5;
/** An address acting for at least this many users is listed (shared credentials, takeover). */
const USERS_PER_IP_THRESHOLD = 5;

const { login, delete: del, accessDenied } = AUDIT_ACTION_VALUES;
const { failed } = AUDIT_STATUS_VALUES;

function pipeline(...commands: string[]): string {
  return commands.join('\n| ');
}

/**
 * The Logs Insights queries Lookout ships: the audit questions (recent events, one user's
 * activity, failed logins, deletes, addresses acting for many users, failures over time,
 * access denied) and two over access logs (slowest endpoints, errors over time).
 * ServiceObservability saves each as a query definition and puts five on its dashboard.
 *
 * @example
 * new logs.CfnQueryDefinition(this, 'FailedLogins', {
 *   name: INSIGHTS_QUERIES.failedLogins.title,
 *   queryString: INSIGHTS_QUERIES.failedLogins.query,
 *   logGroupNames: [logGroup.logGroupName],
 * });
 */
export const INSIGHTS_QUERIES = {
  recentAuditEvents: {
    title: 'Recent audit events',
    description: 'The latest audit entries, newest first.',
    query: pipeline(
      'fields @timestamp, user_id, action, resource, status, method, path, ip_address, traceId',
      'filter audit = 1',
      'sort @timestamp desc',
      'limit 100',
    ),
    visualization: 'table',
  },
  userActivity: {
    title: "One user's activity",
    description: `Everything one user did, newest first. Replace ${USER_ID_PLACEHOLDER} with the user id.`,
    query: pipeline(
      'fields @timestamp, action, resource, status, method, path, ip_address, user_agent, traceId',
      `filter audit = 1 and user_id = "${USER_ID_PLACEHOLDER}"`,
      'sort @timestamp desc',
      'limit 200',
    ),
    visualization: 'table',
  },
  failedLogins: {
    title: 'Failed logins by user and IP',
    description: `Users and addresses with at least ${FAILED_LOGIN_THRESHOLD} failed logins: brute force or credential stuffing.`,
    query: pipeline(
      `filter audit = 1 and action = "${login}" and status = "${failed}"`,
      'stats count(*) as failures, latest(details.reason) as last_reason by user_id, ip_address',
      `filter failures >= ${FAILED_LOGIN_THRESHOLD}`,
      'sort failures desc',
      'limit 50',
    ),
    visualization: 'table',
  },
  deletes: {
    title: 'Deletes',
    description: 'Every delete attempt, who made it and what it touched, newest first.',
    query: pipeline(
      'fields @timestamp, user_id, resource, status, ip_address, details',
      `filter audit = 1 and action = "${del}"`,
      'sort @timestamp desc',
      'limit 100',
    ),
    visualization: 'table',
  },
  slowestEndpoints: {
    title: 'Slowest endpoints by p95',
    description: 'Routes ranked by 95th percentile duration, from the access log.',
    query: pipeline(
      'filter ispresent(route) and ispresent(duration_ms)',
      'stats pct(duration_ms, 95) as p95_ms, pct(duration_ms, 50) as p50_ms, count(*) as requests by method, route',
      'sort p95_ms desc',
      'limit 20',
    ),
    visualization: 'table',
  },
  ipsActingForManyUsers: {
    title: 'IPs acting for many users',
    description: `Addresses that acted for at least ${USERS_PER_IP_THRESHOLD} different signed-in users: shared credentials or account takeover.`,
    query: pipeline(
      'filter audit = 1 and user_id != "anonymous"',
      'stats count_distinct(user_id) as users, count(*) as events by ip_address',
      `filter users >= ${USERS_PER_IP_THRESHOLD}`,
      'sort users desc',
      'limit 50',
    ),
    visualization: 'table',
  },
  failuresPer15Minutes: {
    title: 'Failed actions per 15 minutes',
    description: 'Audited actions that failed, counted per 15 minutes.',
    query: pipeline(`filter audit = 1 and status = "${failed}"`, 'stats count(*) as failures by bin(15m)'),
    visualization: 'line',
  },
  accessDenied: {
    title: 'Access denied',
    description: 'Requests refused with 401 or 403, newest first.',
    query: pipeline(
      'fields @timestamp, user_id, method, path, ip_address, user_agent, details.statusCode',
      `filter audit = 1 and action = "${accessDenied}"`,
      'sort @timestamp desc',
      'limit 100',
    ),
    visualization: 'table',
  },
  errorsPer15Minutes: {
    title: 'Errors per 15 minutes',
    description: 'Log lines at level ERROR (5xx access-log lines, handled errors), counted per 15 minutes.',
    query: pipeline('filter level = "ERROR"', 'stats count(*) as errors by bin(15m)'),
    visualization: 'line',
  },
} as const satisfies Record<string, InsightsQuery>;

export type InsightsQueryId = keyof typeof INSIGHTS_QUERIES;
