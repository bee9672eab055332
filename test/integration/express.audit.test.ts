// The audit trail in real processes: entries written by logAudit() and by auditMiddleware(),
// compared field by field with the documented shape, and the AuditEvents EMF counts summed.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findSum, readEmf, sumEmf } from '../helpers/emf-reader.js';
import { request } from '../helpers/http.js';
import { type JsonLine, readLookoutOutput } from '../helpers/lookout-output.js';
import { spawnApp } from '../helpers/spawn-app.js';

const VARIANTS = [
  { name: 'Express 5, ES module', args: ['--import', 'lookout/register', 'test/fixtures/observed-app.mjs'] },
  {
    name: 'Express 4, CommonJS',
    args: ['--require', 'lookout/register', 'test/fixtures/express4/observed-app.cjs'],
  },
];

/** The documented entry shape (docs/audit.md), keys in order. */
const ENTRY_KEYS = [
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
  'service',
  'environment',
];

const ENV = {
  OTEL_TRACES_EXPORTER: 'none',
  OTEL_SERVICE_NAME: 'audited-app',
  LOOKOUT_ENVIRONMENT: 'itest',
  LOOKOUT_TRUSTED_PROXIES: 'loopback',
  LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '3600000',
};

const TRACE_ID = '5759e988bd862e3fe1be46a994272793';

describe.each(VARIANTS)('the audit trail in $name', ({ args }) => {
  it('keeps the access-log line and the audit entries of requests whose req.user getter throws', async () => {
    // Prepare: authentication that decodes the token when req.user is first read, and throws
    const app = await spawnApp({ args, env: ENV });
    const headers = { 'x-user-token': 'invalid' };

    // Act: one request audited by the middleware, one by the handler's logAudit({ req })
    const read = await request(`${app.url}/api/orders/7`, { headers });
    const deleted = await request(`${app.url}/api/orders/8`, { method: 'DELETE', headers });
    await app.stop();

    // Assess
    expect([read.status, deleted.status]).toEqual([200, 204]);
    const { logs, audits } = readLookoutOutput(app.stdoutLines());
    const accessLines = logs.filter((line) => line.message === 'request completed');
    expect(accessLines.map((line) => [line.method, line.path])).toEqual([
      ['GET', '/api/orders/7'],
      ['DELETE', '/api/orders/8'],
    ]);
    expect(audits.map((entry) => [entry.action, entry.path, entry.user_id])).toEqual([
      ['READ', '/api/orders/7', 'anonymous'],
      ['DELETE', '/api/orders/8', 'anonymous'],
    ]);
    expect(app.stderrLines().join('\n')).not.toContain('LOOKOUT_INTERNAL');
  });

  it("writes logAudit()'s entry with exactly the documented fields, redacted, in the request's trace", async () => {
    // Prepare
    const app = await spawnApp({ args, env: ENV });

    // Act
    const response = await request(`${app.url}/api/orders/1001?confirm=yes`, {
      method: 'DELETE',
      headers: {
        'x-user': 'alice',
        'user-agent': 'audit-test/2.0',
        'x-forwarded-for': '203.0.113.9',
        traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01`,
      },
    });
    await app.stop();

    // Assess
    expect(response.status).toBe(204);
    const { audits } = readLookoutOutput(app.stdoutLines());
    // The handler audited the request itself: the middleware adds no second entry.
    expect(audits).toHaveLength(1);
    const entry = audits[0] as JsonLine;
    expect(Object.keys(entry)).toEqual(ENTRY_KEYS);
    expect(entry.audit).toBe(true);
    expect(entry.traceId).toBe(`1-${TRACE_ID.slice(0, 8)}-${TRACE_ID.slice(8)}`);
    expect(new Date(String(entry.timestamp)).toISOString()).toBe(entry.timestamp);
    expect(entry.user_id).toBe('alice');
    expect(entry.action).toBe('DELETE');
    expect(entry.resource).toBe('order:1001');
    expect(entry.status).toBe('SUCCESS');
    expect(entry.method).toBe('DELETE');
    expect(entry.path).toBe('/api/orders/1001');
    expect(entry.ip_address).toBe('203.0.113.9');
    expect(entry.user_agent).toBe('audit-test/2.0');
    expect(entry.details).toEqual({ total: 42, card: '[REDACTED]' });
    expect(entry.service).toBe('audited-app');
    expect(entry.environment).toBe('itest');
    expect(app.stdoutLines().join('\n')).not.toContain('4111 1111 1111 1111');
    const sums = sumEmf(readEmf(app.stdoutLines().join('\n')).documents);
    expect(
      findSum(sums, 'AuditEvents', {
        Service: 'audited-app',
        Environment: 'itest',
        Action: 'DELETE',
        Status: 'SUCCESS',
      })?.sum,
    ).toBe(1);
  });

  it('audits every other request at finish by method and status, and counts AuditEvents', async () => {
    // Prepare
    const app = await spawnApp({ args, env: ENV });
    const send = async (method: string, path: string, user?: string) => {
      const response = await request(`${app.url}${path}`, {
        method,
        headers: {
          ...(user === undefined ? {} : { 'x-user': user }),
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        ...(method === 'POST' ? { body: '{"items":["pen"]}' } : {}),
      });
      return response.status;
    };

    // Act
    const statuses = [
      await send('GET', '/api/orders/1', 'bob'),
      await send('POST', '/api/orders', 'bob'),
      await send('GET', '/api/orders/2/status/404'),
      await send('GET', '/admin', 'mallory'),
      await send('GET', '/api/orders/3/status/401'),
      await send('GET', '/api/orders/4/fail', 'bob'),
      await send('GET', '/health'),
      await send('GET', '/status'),
      await send('OPTIONS', '/api/orders/1'),
    ];
    await app.stop();

    // Assess
    expect(statuses.slice(0, 6)).toEqual([200, 201, 404, 403, 401, 500]);
    const { audits } = readLookoutOutput(app.stdoutLines());
    const summary = audits.map((entry) => [entry.action, entry.status, entry.user_id, entry.resource]);
    expect(summary).toEqual([
      ['READ', 'SUCCESS', 'bob', '/api/orders/1'],
      ['CREATE', 'SUCCESS', 'bob', '/api/orders'],
      ['READ', 'FAILED', 'anonymous', '/api/orders/2/status/404'],
      ['ACCESS_DENIED', 'FAILED', 'mallory', '/admin'],
      ['ACCESS_DENIED', 'FAILED', 'anonymous', '/api/orders/3/status/401'],
      ['READ', 'FAILED', 'bob', '/api/orders/4/fail'],
    ]);
    for (const entry of audits) {
      expect(Object.keys(entry)).toEqual(ENTRY_KEYS);
      const details = entry.details as Record<string, unknown>;
      expect(typeof details.duration_ms).toBe('number');
    }
    expect(audits.map((entry) => (entry.details as Record<string, unknown>).statusCode)).toEqual([
      200, 201, 404, 403, 401, 500,
    ]);
    expect(audits.map((entry) => (entry.details as Record<string, unknown>).error)).toEqual([
      undefined,
      undefined,
      'Not Found',
      'Forbidden',
      'Unauthorized',
      'Internal Server Error',
    ]);

    const { documents, invalid } = readEmf(app.stdoutLines().join('\n'));
    expect(invalid).toEqual([]);
    const sums = sumEmf(documents);
    const count = (Action: string, Status: string) =>
      findSum(sums, 'AuditEvents', { Service: 'audited-app', Environment: 'itest', Action, Status })?.sum;
    expect(count('READ', 'SUCCESS')).toBe(1);
    expect(count('CREATE', 'SUCCESS')).toBe(1);
    expect(count('READ', 'FAILED')).toBe(2);
    expect(count('ACCESS_DENIED', 'FAILED')).toBe(2);
  });

  it("audits a request whose client hung up early with the app's answer, not as a failure", async () => {
    // Prepare
    const app = await spawnApp({ args, env: ENV });
    const { hostname, port } = new URL(app.url);
    const socket = connect({ host: hostname, port: Number(port) });
    await new Promise((resolve) => socket.once('connect', resolve));

    // Act: send a delete, wait until the route has it, then close the connection; the route
    // completes the delete (204) after its client has gone.
    socket.write('DELETE /archive/7 HTTP/1.1\r\nHost: x\r\nX-User: mallory\r\n\r\n');
    await app.waitForLine(/"message":"archive delete received"/);
    socket.destroy();
    await app.waitForLine(/"audit":true/);
    await app.stop();

    // Assess: a delete, done; hanging up must not turn it into a failure (nor hide it from the
    // alarm on successful deletes).
    const { audits } = readLookoutOutput(app.stdoutLines());
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      action: 'DELETE',
      status: 'SUCCESS',
      user_id: 'mallory',
      resource: '/archive/7',
      details: { statusCode: 204, aborted: true },
    });
    const sums = sumEmf(readEmf(app.stdoutLines().join('\n')).documents);
    expect(
      findSum(sums, 'AuditEvents', {
        Service: 'audited-app',
        Environment: 'itest',
        Action: 'DELETE',
        Status: 'SUCCESS',
      })?.sum,
    ).toBe(1);
  });
});
