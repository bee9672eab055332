// Upstream contrib instrumentations loaded by name from the app's own packages, against real
// PostgreSQL and Redis servers on loopback (Debian's packages; the test prerequisites install
// them). No fakes: the pg, node-redis and ioredis clients talk to the real servers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { type LocalPostgres, startLocalPostgres } from '../helpers/postgres-server.js';
import { type LocalRedis, startLocalRedis } from '../helpers/redis-server.js';
import { REPO_ROOT, spawnApp } from '../helpers/spawn-app.js';

const SCOPES = {
  pg: '@opentelemetry/instrumentation-pg',
  redis: '@opentelemetry/instrumentation-redis',
  ioredis: '@opentelemetry/instrumentation-ioredis',
} as const;

const VARIANTS = [
  {
    name: 'CommonJS, --require lookout/register, contrib names listed',
    args: ['--require', 'lookout/register', 'test/fixtures/contrib-app/app.cjs'],
    instrumentations: 'http,undici,pg,redis,ioredis',
  },
  {
    name: 'ES module, --import lookout/register, auto',
    args: ['--import', 'lookout/register', 'test/fixtures/contrib-app/app.mjs'],
    instrumentations: 'auto',
  },
];

function diagnosticsWithCode(lines: readonly string[], code: string): string[] {
  return lines.filter((line) => line.includes(code));
}

describe.each(VARIANTS)(
  'contrib instrumentations in an app started with $name',
  ({ args, instrumentations }) => {
    let receiver: OtlpReceiver;
    let postgres: LocalPostgres;
    let redis: LocalRedis;

    beforeAll(async () => {
      [receiver, postgres, redis] = await Promise.all([
        startOtlpReceiver(),
        startLocalPostgres(),
        startLocalRedis(),
      ]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([receiver?.close(), postgres?.close(), redis?.close()]);
    });

    it('nests the pg, node-redis and ioredis spans of a request under its server span', async () => {
      // Prepare
      const app = await spawnApp({
        args,
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_SERVICE_NAME: 'contrib-app',
          LOOKOUT_INSTRUMENTATIONS: instrumentations,
          DATABASE_URL: postgres.url,
          REDIS_URL: redis.url,
        },
      });

      // Act
      const response = await request(`${app.url}/orders/42`);
      const [server] = await receiver.waitForSpans(
        (span) => span.kind === 'SERVER' && span.name === 'GET /orders/:id',
      );
      const children = await receiver.waitForSpans(
        (span) =>
          span.traceId === server?.traceId && span.parentSpanId === server?.spanId && span.kind === 'CLIENT',
        { count: 3 },
      );
      await app.stop();

      // Assess
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ id: 42, cached: 'cached' });
      const scopes = new Set(children.map((span) => span.scope.name));
      expect(scopes).toEqual(new Set([SCOPES.pg, SCOPES.redis, SCOPES.ioredis]));
      const query = children.find(
        (span) => span.scope.name === SCOPES.pg && span.name.startsWith('pg.query'),
      );
      expect(query).toBeDefined();
      const ioredisGet = children.find((span) => span.scope.name === SCOPES.ioredis);
      expect(ioredisGet?.name).toBe('get');
      expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_LOADED_BEFORE_INIT')).toEqual([]);
      expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_INSTRUMENTATION')).toEqual([]);
    });
  },
);

describe('a contrib instrumentation the app has not installed', () => {
  let appDir: string;

  beforeAll(() => {
    // Outside the repository, so nothing resolves the instrumentation packages from here.
    appDir = mkdtempSync(join(tmpdir(), 'lookout-contrib-missing-'));
    writeFileSync(
      join(appDir, 'package.json'),
      JSON.stringify({ name: 'missing', dependencies: { pg: '*' } }),
    );
    writeFileSync(join(appDir, 'app.cjs'), "console.log('started');\n");
  });
  afterAll(() => rmSync(appDir, { recursive: true, force: true }));

  it('gives one diagnostic naming the package to install, and the app runs', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--require', join(REPO_ROOT, 'dist/cjs/register.js'), 'app.cjs'],
      cwd: appDir,
      env: { LOOKOUT_INSTRUMENTATIONS: 'http,mysql2,pg', OTEL_TRACES_EXPORTER: 'none' },
      readyPattern: /started/,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code).toBe(0);
    const missing = diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_INSTRUMENTATION_MISSING');
    expect(missing).toHaveLength(2);
    expect(missing[0]).toContain('npm install @opentelemetry/instrumentation-mysql2');
    expect(missing[1]).toContain('npm install @opentelemetry/instrumentation-pg');
  });

  it('is skipped by auto, with a hint at info level only', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--require', join(REPO_ROOT, 'dist/cjs/register.js'), 'app.cjs'],
      cwd: appDir,
      env: { LOOKOUT_INSTRUMENTATIONS: 'auto', OTEL_TRACES_EXPORTER: 'none', OTEL_LOG_LEVEL: 'info' },
      readyPattern: /started/,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code).toBe(0);
    const stderr = app.stderrLines();
    expect(diagnosticsWithCode(stderr, 'LOOKOUT_INSTRUMENTATION_MISSING')).toEqual([]);
    expect(stderr.filter((line) => line.includes('npm install @opentelemetry/instrumentation-pg'))).toEqual([
      expect.stringMatching(/^lookout INFO .*depends on pg/),
    ]);
  });
});

describe('a hooked module loaded before init()', () => {
  it.each([
    { name: 'CommonJS, required above init()', file: 'early-pg.cjs', fix: 'node --require lookout/register' },
    {
      name: 'ES module, import hoisted above init()',
      file: 'early-pg.mjs',
      fix: 'node --import lookout/register',
    },
  ])('gives one diagnostic naming the module and the fix ($name)', async ({ file, fix }) => {
    // Prepare
    const app = await spawnApp({ args: [`test/fixtures/contrib-app/${file}`], readyPattern: /started/ });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code).toBe(0);
    const early = diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_LOADED_BEFORE_INIT');
    expect(early).toHaveLength(1);
    expect(early[0]).toMatch(/\bpg was loaded before init\(\)/);
    expect(early[0]).toContain(fix);
    // The upstream instrumentation's own warning about the same fact is not repeated.
    expect(app.stderrLines().filter((line) => line.includes('has been loaded before'))).toEqual([]);
  });
});
