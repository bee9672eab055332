// CloudWatch Logs Insights queries over what Lookout writes, as the saved queries and the
// dashboard widgets use them. The audit questions' text is the core's AUDIT_QUERIES (the one
// copy docs/audit.md shows and the Express tests run against real entries); this module adds
// what the infrastructure needs around it: a description and a dashboard visualization.
import { AUDIT_QUERIES } from '../core.js';

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
export const USER_ID_PLACEHOLDER = 'USER_ID';

/** The core's query text for one audit question, by its id in AUDIT_QUERIES. */
function auditQuery(id: string): string {
  const found = AUDIT_QUERIES.find((query) => query.id === id);
  if (found === undefined) throw new Error(`AUDIT_QUERIES has no query "${id}"`);
  return found.query;
}

/**
 * The Logs Insights queries Lookout ships: the audit questions (recent events, one user's
 * activity, failed logins, deletes, slowest endpoints, addresses acting for many users,
 * failures over time, access denied) and errors over time from every log line.
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
    query: auditQuery('recent-audit-events'),
    visualization: 'table',
  },
  userActivity: {
    title: "One user's activity",
    description: `Everything one user did, newest first. Replace ${USER_ID_PLACEHOLDER} with the user id.`,
    query: auditQuery('user-activity'),
    visualization: 'table',
  },
  failedLogins: {
    title: 'Failed logins by user and IP',
    description: 'Users and addresses with more than 5 failed logins: brute force or credential stuffing.',
    query: auditQuery('failed-logins'),
    visualization: 'table',
  },
  deletes: {
    title: 'Deletes',
    description: 'Every delete attempt, who made it and what it touched, newest first.',
    query: auditQuery('deletes'),
    visualization: 'table',
  },
  slowestEndpoints: {
    title: 'Slowest endpoints by p95',
    description: 'Routes ranked by 95th percentile duration, from the access log.',
    query: auditQuery('slowest-endpoints'),
    visualization: 'table',
  },
  ipsActingForManyUsers: {
    title: 'IPs acting for many users',
    description:
      'Addresses that acted for more than 3 different signed-in users: shared credentials or account takeover.',
    query: auditQuery('ips-with-many-users'),
    visualization: 'table',
  },
  failuresPer15Minutes: {
    title: 'Failed actions per 15 minutes',
    description: 'Audited actions that failed, counted per 15 minutes.',
    query: auditQuery('failures-per-15-minutes'),
    visualization: 'line',
  },
  accessDenied: {
    title: 'Access denied',
    description: 'Requests refused with 401 or 403, newest first.',
    query: auditQuery('access-denied'),
    visualization: 'table',
  },
  errorsPer15Minutes: {
    title: 'Errors per 15 minutes',
    description: 'Log lines at level ERROR (5xx access-log lines, handled errors), counted per 15 minutes.',
    query: ['filter level = "ERROR"', '| stats count(*) as errors by bin(15m)'].join('\n'),
    visualization: 'line',
  },
} as const satisfies Record<string, InsightsQuery>;

export type InsightsQueryId = keyof typeof INSIGHTS_QUERIES;
