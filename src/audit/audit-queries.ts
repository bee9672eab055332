/** One CloudWatch Logs Insights query (Logs Insights QL) over what Lookout writes. */
export interface AuditQuery {
  /** Stable id, e.g. for a saved query's name. */
  readonly id: string;
  readonly title: string;
  /** Which lines it reads: audit entries (`audit: true`) or observe()'s access-log lines. */
  readonly reads: 'audit' | 'access-log';
  readonly query: string;
}

/**
 * The Logs Insights queries documented in docs/audit.md, the one copy that the docs, the
 * infrastructure code (saved queries, dashboard widgets) and the tests read. JSON booleans
 * read as 1 in Logs Insights, hence `audit = 1`. `USER_ID` is a placeholder to replace.
 *
 * @example
 * const failedLogins = AUDIT_QUERIES.find((query) => query.id === 'failed-logins')?.query;
 */
export const AUDIT_QUERIES: readonly AuditQuery[] = [
  {
    id: 'recent-audit-events',
    title: 'Recent audit events',
    reads: 'audit',
    query: [
      'fields @timestamp, user_id, action, resource, status, ip_address, traceId',
      '| filter audit = 1',
      '| sort @timestamp desc',
      '| limit 100',
    ].join('\n'),
  },
  {
    id: 'user-activity',
    title: "One user's activity",
    reads: 'audit',
    query: [
      'fields @timestamp, action, resource, status, method, path, ip_address, traceId',
      '| filter audit = 1 and user_id = "USER_ID"',
      '| sort @timestamp desc',
      '| limit 200',
    ].join('\n'),
  },
  {
    id: 'failed-logins',
    title: 'Failed logins by user and IP address, over a threshold',
    reads: 'audit',
    query: [
      'filter audit = 1 and action = "LOGIN" and status = "FAILED"',
      '| stats count(*) as failures by user_id, ip_address',
      '| filter failures > 5',
      '| sort failures desc',
    ].join('\n'),
  },
  {
    id: 'deletes',
    title: 'Deletes',
    reads: 'audit',
    query: [
      'fields @timestamp, user_id, resource, status, ip_address, @message',
      '| filter audit = 1 and action = "DELETE"',
      '| sort @timestamp desc',
      '| limit 100',
    ].join('\n'),
  },
  {
    id: 'slowest-endpoints',
    title: 'Slowest endpoints by p95 latency',
    reads: 'access-log',
    query: [
      'filter message = "request completed" and ispresent(route)',
      '| stats pct(duration_ms, 95) as p95_ms, avg(duration_ms) as avg_ms, count(*) as requests by method, route',
      '| sort p95_ms desc',
      '| limit 10',
    ].join('\n'),
  },
  {
    id: 'ips-with-many-users',
    title: 'IP addresses acting for many users',
    reads: 'audit',
    query: [
      'filter audit = 1 and user_id != "anonymous"',
      '| stats count_distinct(user_id) as users, count(*) as events by ip_address',
      '| filter users > 3',
      '| sort users desc',
    ].join('\n'),
  },
  {
    id: 'failures-per-15-minutes',
    title: 'Failed actions per 15 minutes',
    reads: 'audit',
    query: ['filter audit = 1 and status = "FAILED"', '| stats count(*) as failures by bin(15m)'].join('\n'),
  },
  {
    id: 'access-denied',
    title: 'Access denied',
    reads: 'audit',
    query: [
      'fields @timestamp, user_id, method, path, ip_address, details.statusCode',
      '| filter audit = 1 and action = "ACCESS_DENIED"',
      '| sort @timestamp desc',
      '| limit 100',
    ].join('\n'),
  },
];
