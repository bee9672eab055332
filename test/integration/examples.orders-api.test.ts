// The example app and `npm run demo`, as a user runs them: real processes, real HTTP.
import { describe, expect, it } from 'vitest';
import { driveTraffic } from '../../examples/orders-api/traffic.mjs';
import { readEmf } from '../helpers/emf-reader.js';
import { request } from '../helpers/http.js';
import { type JsonLine, readLookoutOutput } from '../helpers/lookout-output.js';
import { runScript } from '../helpers/node-process.js';
import { spawnApp } from '../helpers/spawn-app.js';

interface Sent {
  method: string;
  path: string;
  status: number;
}

describe('examples/orders-api', () => {
  it('audits logins, deletes and denied requests, fails one endpoint cleanly and answers /health', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'examples/orders-api/server.mjs'],
      env: {
        PORT: '0',
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_SERVICE_NAME: 'orders-api',
        NODE_ENV: 'production',
      },
    });

    // Act
    const { sent } = (await driveTraffic(app.url, { rounds: 1 })) as { sent: Sent[] };
    const health = await request(`${app.url}/health`);
    await app.stop();

    // Assess
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({
      status: 'healthy',
      checks: { store: { status: 'healthy' } },
    });
    const { audits, logs, other } = readLookoutOutput(app.stdoutLines());
    expect(other).toEqual([]);
    const logins = audits.filter((entry) => entry.action === 'LOGIN');
    expect(
      logins.map((entry) => [entry.user_id, entry.status, (entry.details as JsonLine | null)?.reason]),
    ).toEqual([
      ['alice', 'FAILED', 'wrong_password'],
      ['mallory', 'FAILED', 'unknown_user'],
      ['alice', 'SUCCESS', undefined],
      ['<script>alert(1)</script>', 'FAILED', 'unknown_user'],
    ]);
    const deleted = audits.find((entry) => entry.action === 'DELETE');
    expect(deleted).toMatchObject({
      user_id: 'alice',
      status: 'SUCCESS',
      details: { order: { item: 'book', quantity: 3, ownerId: 'alice' } },
    });
    expect(deleted?.resource).toMatch(/^order:\d+$/);
    expect(audits.some((entry) => entry.action === 'ACCESS_DENIED' && entry.path === '/api/orders')).toBe(
      true,
    );
    expect(audits.some((entry) => entry.action === 'LOGOUT')).toBe(true);
    // One audit entry per request, health checks excluded.
    expect(audits).toHaveLength(sent.filter((entry) => entry.path !== '/health').length);

    const crash = sent.find((entry) => entry.path === '/api/reports/daily');
    expect(crash?.status).toBe(500);
    const failure = logs.find((line) => line.message === 'request failed' && line.status === 500);
    expect(String((failure?.error as JsonLine | undefined)?.stack)).toContain('report backend unavailable');
    expect(readEmf(app.stdoutLines().join('\n')).invalid).toEqual([]);
  });

  it.each([['examples/orders-api/lambda.mjs'], ['examples/orders-api-lambda/handler.mjs']])(
    '%s loads the app and exports a handler',
    async (file) => {
      const result = await runScript(
        ['--input-type=module', '-e', `const m = await import('./${file}'); console.log(typeof m.handler)`],
        { OTEL_TRACES_EXPORTER: 'none' },
      );

      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe('function');
    },
  );

  it('npm run demo -- --once runs it under lookout dev, prints what arrived and exits 0', async () => {
    const result = await runScript(
      ['examples/demo.mjs', '--once', '--port', '0', '--otlp-port', '0', '--xray-port', '0'],
      {},
      90_000,
    );

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/app +examples\/orders-api\/server\.mjs at http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(/requests +[1-9]\d*/);
    expect(result.stdout).toMatch(/traces +[1-9]\d* \([1-9]\d* spans, [1-9]\d* with errors\)/);
    expect(result.stdout).toMatch(/log lines +[1-9]\d*/);
    expect(result.stdout).toMatch(/metrics +[1-9]\d* points/);
    expect(result.stdout).toMatch(/audit +[1-9]\d* events/);
  });
});
