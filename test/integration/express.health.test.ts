// health() in a real process: the response body, a check that never settles answered as 503
// within its timeout, and no telemetry for health requests.
import { describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { request } from '../helpers/http.js';
import { readLookoutOutput } from '../helpers/lookout-output.js';
import { spawnApp } from '../helpers/spawn-app.js';

const ARGS = ['--import', 'lookout/register', 'test/fixtures/observed-app.mjs'];
const CHECK_TIMEOUT_MS = 300;
// The client gives up after the check's timeout plus a margin: a health endpoint that waited for
// the hanging check would never answer at all, so this tells "bounded" from "hangs" without
// measuring how fast the machine is.
const CLIENT_DEADLINE_MS = CHECK_TIMEOUT_MS + 5000;

describe('health()', () => {
  it('answers 200 with status, timestamp, uptime, version, environment, memory and checks', async () => {
    // Prepare
    const app = await spawnApp({
      args: ARGS,
      env: { OTEL_TRACES_EXPORTER: 'none', LOOKOUT_SERVICE_VERSION: '3.1.4', LOOKOUT_ENVIRONMENT: 'staging' },
    });

    // Act
    const response = await request(`${app.url}/health`);
    await app.stop();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(response.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'status',
      'timestamp',
      'uptime',
      'version',
      'environment',
      'memory',
      'checks',
    ]);
    expect(body).toMatchObject({
      status: 'healthy',
      version: '3.1.4',
      environment: 'staging',
      memory: { status: 'healthy' },
      checks: { db: { status: 'healthy' } },
    });
    expect(Date.parse(String(body.timestamp))).not.toBeNaN();
    expect(body.uptime).toBeGreaterThan(0);
    const memory = body.memory as { used: number; total: number; limit: number };
    expect(memory.used).toBeGreaterThan(0);
    expect(memory.total).toBeGreaterThanOrEqual(memory.used);
    expect(memory.limit).toBeGreaterThanOrEqual(memory.total);
  });

  it('answers 503 "degraded" within its timeout when a check never settles', async () => {
    // Prepare
    const app = await spawnApp({
      args: ARGS,
      env: {
        OTEL_TRACES_EXPORTER: 'none',
        HEALTH_TIMEOUT_MS: String(CHECK_TIMEOUT_MS),
        NODE_ENV: 'development',
      },
    });

    // Act
    const first = await request(`${app.url}/ready`, { timeoutMs: CLIENT_DEADLINE_MS });
    const second = await request(`${app.url}/ready`, { timeoutMs: CLIENT_DEADLINE_MS });
    await app.stop();

    // Assess
    for (const response of [first, second]) {
      expect(response.status).toBe(503);
      const body = JSON.parse(response.body) as {
        status: string;
        checks: Record<string, { status: string; duration_ms: number; error?: string }>;
      };
      expect(body.status).toBe('degraded');
      expect(body.checks.db?.status).toBe('healthy');
      expect(body.checks.queue).toMatchObject({
        status: 'unhealthy',
        error: `timed out after ${CHECK_TIMEOUT_MS} ms`,
      });
    }
  });

  it('runs a hanging check once per timeout, however many calls come meanwhile', async () => {
    // Prepare
    const app = await spawnApp({
      args: ARGS,
      // A wider window than the other tests': the burst must fall within one run's timeout.
      env: { OTEL_TRACES_EXPORTER: 'none', HEALTH_TIMEOUT_MS: '1000' },
    });
    const runs = () => app.stderrLines().filter((line) => line.startsWith('pool check queued')).length;

    // Act: a burst of calls while the dependency hangs, then one more after the timeout.
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => request(`${app.url}/live`, { timeoutMs: CLIENT_DEADLINE_MS })),
    );
    const runsAfterBurst = runs();
    const later = await request(`${app.url}/live`, { timeoutMs: CLIENT_DEADLINE_MS });
    const runsAfterLater = runs();
    await app.stop();

    // Assess: every call is answered 503, but the calls share the run in progress: one run of the
    // check waits on the dependency, not one per call; once a run has outlasted its timeout, the
    // next call tries the dependency again.
    for (const response of [...burst, later]) {
      expect(response.status).toBe(503);
      expect(JSON.parse(response.body)).toMatchObject({ checks: { pool: { status: 'unhealthy' } } });
    }
    expect(runsAfterBurst).toBe(1);
    expect(runsAfterLater).toBe(2);
  });

  it('keeps check errors out of production responses', async () => {
    // Prepare
    const app = await spawnApp({
      args: ARGS,
      env: {
        OTEL_TRACES_EXPORTER: 'none',
        HEALTH_TIMEOUT_MS: String(CHECK_TIMEOUT_MS),
        NODE_ENV: 'production',
      },
    });

    // Act
    const response = await request(`${app.url}/ready`, { timeoutMs: CLIENT_DEADLINE_MS });
    await app.stop();

    // Assess
    expect(response.status).toBe(503);
    const body = JSON.parse(response.body) as { checks: Record<string, Record<string, unknown>> };
    expect(Object.keys(body.checks.queue ?? {}).sort()).toEqual(['duration_ms', 'status']);
  });

  it('keeps check errors out of responses on ECS when NODE_ENV is unset', async () => {
    // Prepare: nothing names the environment; Lookout's own resolves to production on AWS.
    const app = await spawnApp({
      args: ARGS,
      env: {
        OTEL_TRACES_EXPORTER: 'none',
        HEALTH_TIMEOUT_MS: String(CHECK_TIMEOUT_MS),
        AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE',
      },
    });

    // Act
    const response = await request(`${app.url}/ready`, { timeoutMs: CLIENT_DEADLINE_MS });
    await app.stop();

    // Assess
    const body = JSON.parse(response.body) as {
      environment: string;
      checks: Record<string, Record<string, unknown>>;
    };
    expect(body.environment).toBe('production');
    expect(Object.keys(body.checks.queue ?? {}).sort()).toEqual(['duration_ms', 'status']);
  });

  it('creates no access log, request metric or audit entry, whatever its path', async () => {
    // Prepare
    const app = await spawnApp({
      args: ARGS,
      env: { OTEL_TRACES_EXPORTER: 'none', HEALTH_TIMEOUT_MS: String(CHECK_TIMEOUT_MS) },
    });

    // Act: /health and /ready are in the excludedPaths setting; /status is not.
    for (const path of ['/health', '/ready', '/status', '/status', '/health'])
      await request(`${app.url}${path}`);
    await app.stop();

    // Assess
    const output = readLookoutOutput(app.stdoutLines());
    expect(output.logs).toEqual([]);
    expect(output.audits).toEqual([]);
    expect(readEmf(app.stdoutLines().join('\n')).documents).toEqual([]);
  });
});
