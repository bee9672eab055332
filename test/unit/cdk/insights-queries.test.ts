import { describe, expect, it } from 'vitest';
import { INSIGHTS_QUERIES, USER_ID_PLACEHOLDER } from '../../../src/cdk/insights-queries.js';

// The documented shapes, written out here rather than imported, so that a query naming a field
// the entries do not have fails this test. Audit entry: docs/audit.md; access log: docs/express.md.
const AUDIT_ENTRY_FIELDS = [
  'audit',
  'traceId',
  'timestamp',
  'user_id',
  'action',
  'resource',
  'status',
  'method',
  'path',
  'ip_address',
  'user_agent',
  'details',
  'details.statusCode',
  'details.duration_ms',
  'details.error',
  'details.reason',
];
const ACCESS_LOG_FIELDS = [
  'message',
  'level',
  'method',
  'route',
  'path',
  'status',
  'duration_ms',
  'request_id',
  'trace_id',
];
const LOGS_INSIGHTS_FIELDS = ['@timestamp', '@message', '@logStream', '@log'];
const DOCUMENTED = new Set([...AUDIT_ENTRY_FIELDS, ...ACCESS_LOG_FIELDS, ...LOGS_INSIGHTS_FIELDS]);

const AUDIT_ACTIONS = ['CREATE', 'READ', 'UPDATE', 'DELETE', 'LOGIN', 'LOGOUT', 'ACCESS_DENIED'];
const AUDIT_STATUSES = ['SUCCESS', 'FAILED'];

const KEYWORDS = new Set([
  'fields',
  'filter',
  'stats',
  'sort',
  'limit',
  'display',
  'by',
  'as',
  'and',
  'or',
  'not',
  'asc',
  'desc',
  'in',
  'like',
]);

/** Every field a Logs Insights query reads: identifiers that are not keywords, functions, aliases or literals. */
function referencedFields(query: string): string[] {
  const code = query.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const aliases = new Set([...code.matchAll(/\bas\s+([A-Za-z_][\w.]*)/g)].map((match) => match[1]));
  const fields = new Set<string>();
  for (const match of code.matchAll(/@?[A-Za-z_][\w.]*(?=\s*(\()?)/g)) {
    const [token, call] = [match[0], match[1]];
    const before = code[match.index - 1];
    // 15m in bin(15m), 95 in pct(x, 95): a token glued to a digit is part of a literal.
    if (before !== undefined && /[0-9]/.test(before)) continue;
    if (call !== undefined || KEYWORDS.has(token) || aliases.has(token)) continue;
    fields.add(token);
  }
  return [...fields];
}

/** The string values a query compares `field` with (`field = "X"`). */
function comparedValues(query: string, field: string): string[] {
  return [...query.matchAll(new RegExp(`\\b${field}\\s*!?=\\s*"([^"]*)"`, 'g'))].map(
    (match) => match[1] ?? '',
  );
}

const queries = Object.entries(INSIGHTS_QUERIES);

describe('Logs Insights queries', () => {
  it.each(queries)(
    '%s reads only documented fields of audit entries and access-log lines',
    (_id, { query }) => {
      const fields = referencedFields(query);

      expect(fields.length).toBeGreaterThan(0);
      expect(fields.filter((field) => !DOCUMENTED.has(field))).toEqual([]);
    },
  );

  it.each(queries)('%s compares action and status with values audit entries hold', (_id, { query }) => {
    expect(comparedValues(query, 'action').filter((value) => !AUDIT_ACTIONS.includes(value))).toEqual([]);
    expect(comparedValues(query, 'status').filter((value) => !AUDIT_STATUSES.includes(value))).toEqual([]);
  });

  it('finds a field the entries do not have, and ignores aliases, functions and literals', () => {
    const fields = referencedFields(
      'filter audit = 1 and userId = "x" | stats count(*) as n, pct(duration_ms, 95) as p by bin(15m) | filter n > 2',
    );

    expect(fields.sort()).toEqual(['audit', 'duration_ms', 'userId']);
    expect(fields.filter((field) => !DOCUMENTED.has(field))).toEqual(['userId']);
  });

  it('answers each audit question of docs/audit.md, the audit lines selected by audit = 1', () => {
    const auditQuestions = [
      'recentAuditEvents',
      'userActivity',
      'failedLogins',
      'deletes',
      'ipsActingForManyUsers',
      'failuresPer15Minutes',
      'accessDenied',
    ] as const;

    for (const id of auditQuestions) expect(INSIGHTS_QUERIES[id].query, id).toContain('filter audit = 1');
    expect(INSIGHTS_QUERIES.slowestEndpoints.query).toContain('pct(duration_ms, 95)');
    expect(INSIGHTS_QUERIES.failedLogins.query).toMatch(/by user_id, ip_address\n\| filter failures > \d+/);
    expect(INSIGHTS_QUERIES.userActivity.query).toContain(`user_id = "${USER_ID_PLACEHOLDER}"`);
  });
});
