// securityMonitor() in a real process: flagged requests produce a WARN line with the rule id
// and a redacted excerpt, a SuspiciousRequest count and a span event; benign ones nothing; with
// `block: true` a flagged request gets 400 and never reaches its route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSum, readEmf, sumEmf } from '../helpers/emf-reader.js';
import { request } from '../helpers/http.js';
import { readLookoutOutput } from '../helpers/lookout-output.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

const ARGS = ['--import', 'lookout/register', 'test/fixtures/observed-app.mjs'];
const ENV = {
  OTEL_SERVICE_NAME: 'guarded-app',
  LOOKOUT_ENVIRONMENT: 'itest',
  LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '3600000',
};

const ATTACKS: Array<{ id: string; path: string; body?: unknown; rule: string }> = [
  { id: 'atk-sqli', path: `/api/orders/1?q=${encodeURIComponent("1' OR '1'='1")}`, rule: 'sqli-tautology' },
  {
    id: 'atk-union',
    path: `/api/orders/1?q=${encodeURIComponent('1 UNION ALL SELECT password FROM users')}`,
    rule: 'sqli-union-select',
  },
  {
    id: 'atk-xss',
    path: '/api/orders',
    body: { note: '<script>alert(document.cookie)</script>' },
    rule: 'xss-script-tag',
  },
  { id: 'atk-traversal', path: '/api/orders/..%2f..%2f..%2fetc%2fpasswd', rule: 'path-traversal' },
  {
    id: 'atk-cmd',
    path: '/api/orders',
    body: { items: ['book; cat /etc/shadow'] },
    rule: 'command-injection',
  },
];

const BENIGN: Array<{ id: string; path: string; body?: unknown }> = [
  { id: 'ok-select', path: `/api/orders/1?q=${encodeURIComponent('please select a drop-off date')}` },
  {
    id: 'ok-drop',
    path: '/api/orders',
    body: { note: 'Drop table lamp by the door; union members get 10% off' },
  },
  { id: 'ok-script', path: '/api/orders', body: { note: 'The script of the play; ../docs is fine' } },
];

async function send(url: string, entry: { id: string; path: string; body?: unknown }) {
  return request(`${url}${entry.path}`, {
    method: entry.body === undefined ? 'GET' : 'POST',
    headers: {
      'x-request-id': entry.id,
      ...(entry.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(entry.body === undefined ? {} : { body: JSON.stringify(entry.body) }),
  });
}

describe('securityMonitor()', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('flags attacks with a WARN line, a SuspiciousRequest count and a span event, and lets them through', async () => {
    // Prepare
    const app = await spawnApp({
      args: ARGS,
      env: { ...ENV, OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
    });

    // Act
    const attacks = [];
    for (const attack of ATTACKS) attacks.push(await send(app.url, attack));
    const benign = [];
    for (const entry of BENIGN) benign.push(await send(app.url, entry));
    await app.stop();

    // Assess: never blocked by default.
    expect(attacks.map((response) => response.status).every((status) => status < 500 && status !== 400)).toBe(
      true,
    );
    expect(benign.map((response) => response.status)).toEqual([200, 201, 201]);
    const warnings = readLookoutOutput(app.stdoutLines()).logs.filter(
      (line) => line.message === 'suspicious request',
    );
    // Each attack is flagged by its rule (a request can match more than one); benign ones by none.
    for (const attack of ATTACKS) {
      const rules = warnings.filter((line) => line.request_id === attack.id).map((line) => line.rule);
      expect(rules, attack.id).toContain(attack.rule);
    }
    expect(warnings.filter((line) => String(line.request_id).startsWith('ok-'))).toEqual([]);
    for (const line of warnings) {
      expect(line.level).toBe('WARN');
      expect(typeof line.excerpt === 'string' && line.excerpt.length > 0 && line.excerpt.length <= 200).toBe(
        true,
      );
    }
    const sums = sumEmf(readEmf(app.stdoutLines().join('\n')).documents);
    for (const rule of new Set(warnings.map((line) => String(line.rule)))) {
      expect(
        findSum(sums, 'SuspiciousRequest', { Service: 'guarded-app', Environment: 'itest', Rule: rule })?.sum,
        rule,
      ).toBe(warnings.filter((line) => line.rule === rule).length);
    }
    const servers = receiver.spans().filter((span) => span.kind === 'SERVER');
    for (const attack of ATTACKS) {
      const span = servers.find((candidate) => candidate.attributes.request_id === attack.id);
      const rules = (span?.events ?? [])
        .filter((candidate) => candidate.name === 'security.suspicious_request')
        .map((event) => event.attributes['security.rule']);
      expect(rules, attack.id).toContain(attack.rule);
    }
    for (const entry of BENIGN) {
      const span = servers.find((candidate) => candidate.attributes.request_id === entry.id);
      expect(span?.events ?? []).toEqual([]);
    }
  });

  it('answers promptly however the inspected text is built to make its patterns backtrack', async () => {
    // Prepare
    const app = await spawnApp({ args: ARGS, env: { ...ENV, OTEL_TRACES_EXPORTER: 'none' } });
    const comments = `1 union${'/**/'.repeat(40)}x`;

    // Act: SQL comments after "union" that never reach "select", in the query and in a body;
    // the event loop serves every request, so one stuck inspection stalls them all.
    const started = performance.now();
    const query = await send(app.url, {
      id: 'slow-query',
      path: `/api/orders/1?q=${encodeURIComponent(comments)}`,
    });
    const body = await send(app.url, { id: 'slow-body', path: '/api/orders', body: { note: comments } });
    const elapsedMs = performance.now() - started;
    await app.stop();

    // Assess
    expect([query.status, body.status]).toEqual([200, 201]);
    expect(elapsedMs).toBeLessThan(2000);
  });

  it('writes no secret in an excerpt: values of sensitive body keys and query parameters are censored', async () => {
    // Prepare
    const app = await spawnApp({ args: ARGS, env: { ...ENV, OTEL_TRACES_EXPORTER: 'none' } });

    // Act: a password that matches a rule, and an API key next to an attack in the query.
    const body = await send(app.url, {
      id: 'secret-body',
      path: '/api/orders',
      body: { username: 'jane', password: 'Tr0ub4dor&id;x9', note: 'hello' },
    });
    const query = await send(app.url, {
      id: 'secret-query',
      path: `/api/orders/1?api_key=opensesame4242&q=${encodeURIComponent('<script>x</script>')}`,
    });
    await app.stop();

    // Assess: still flagged, with the secrets censored where they stood.
    expect([body.status, query.status]).toEqual([201, 200]);
    const warnings = readLookoutOutput(app.stdoutLines()).logs.filter(
      (line) => line.message === 'suspicious request',
    );
    expect(warnings.map((line) => [line.request_id, line.rule])).toEqual([
      ['secret-body', 'command-injection'],
      ['secret-query', 'xss-script-tag'],
    ]);
    expect(warnings[0]?.excerpt).toContain('jane password [REDACTED] note hello');
    expect(warnings[1]?.excerpt).toContain('key=[REDACTED] q=<script>x</script>');
    const output = app.stdoutLines().join('\n');
    expect(output).not.toContain('Tr0ub4dor');
    expect(output).not.toContain('opensesame4242');
  });

  it('answers 400 and skips the route when block is on', async () => {
    // Prepare
    const app = await spawnApp({
      args: ARGS,
      env: { ...ENV, OTEL_TRACES_EXPORTER: 'none', SECURITY_BLOCK: 'true' },
    });

    // Act
    const blocked = await send(app.url, ATTACKS[2]!);
    const allowed = await send(app.url, BENIGN[1]!);
    await app.stop();

    // Assess
    expect(blocked.status).toBe(400);
    expect(JSON.parse(blocked.body)).toEqual({ error: 'Bad Request', requestId: 'atk-xss' });
    expect(allowed.status).toBe(201);
    const { audits } = readLookoutOutput(app.stdoutLines());
    expect(audits.map((entry) => [entry.action, entry.status])).toEqual([
      ['CREATE', 'FAILED'],
      ['CREATE', 'SUCCESS'],
    ]);
  });

  it('blocks an attack placed after thousands of numbers in a small JSON body', async () => {
    // Prepare
    const app = await spawnApp({
      args: ARGS,
      env: { ...ENV, OTEL_TRACES_EXPORTER: 'none', SECURITY_BLOCK: 'true' },
    });
    const body = {
      items: Array.from({ length: 5000 }, () => 0),
      note: '<script>alert(document.cookie)</script>',
    };

    // Act: about 10 KB of JSON, well inside the 16 KiB the monitor reads.
    const response = await send(app.url, { id: 'atk-padded', path: '/api/orders', body });
    await app.stop();

    // Assess
    expect(response.status).toBe(400);
    const warnings = readLookoutOutput(app.stdoutLines()).logs.filter(
      (line) => line.message === 'suspicious request',
    );
    expect(warnings.map((line) => [line.request_id, line.rule, line.part])).toEqual([
      ['atk-padded', 'xss-script-tag', 'body'],
    ]);
  });
});
