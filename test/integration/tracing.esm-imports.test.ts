// ES module apps (`node --import lookout/register app.mjs`) are instrumented without
// import-in-the-middle's loader thread unless an instrumented package is itself an ES module
// (docs/decisions/0003-esm-without-loader-thread.md). Express 4 and 5 as ES modules are covered
// by express.tracing.test.ts; these tests cover what is specific to the choice.
//
// "worker threads: N" is printed by the fixtures from `process.report.getReport().workers`:
// the loader runs on a worker thread, and the fixtures start none of their own.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeaderRecorder } from '../helpers/header-recorder.js';
import { request } from '../helpers/http.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { type LocalRedis, startLocalRedis } from '../helpers/redis-server.js';
import { REPO_ROOT, spawnApp } from '../helpers/spawn-app.js';

const NAMED_IMPORTS_APP = 'test/fixtures/named-builtin-imports.mjs';
const ESM_PACKAGE_APP = 'test/fixtures/esm-hooked-package/app.mjs';
const PRELOAD_NODE_HTTP = './test/fixtures/preload-node-http.mjs';
const FOLDER_ENTRY_APP = 'test/fixtures/folder-entry-app';
const IOREDIS_ESM_SERVER = join(REPO_ROOT, 'test/fixtures/ioredis-esm-app/server.js');
const REQUIRE_HOOKS_LINE = /lookout DEBUG ES module instrumentation: require hooks, no loader thread/;
const LOADER_LINE = /lookout DEBUG ES module instrumentation: loader thread \(import-in-the-middle\)/;

function workerThreadsOf(app: Awaited<ReturnType<typeof spawnApp>>): number {
  const line = app.stdoutLines().find((entry) => entry.startsWith('worker threads: '));
  expect(line, app.stdoutLines().join('\n')).toBeDefined();
  return Number(line!.slice('worker threads: '.length));
}

describe('ES module apps whose instrumented packages are all CommonJS', () => {
  let receiver: OtlpReceiver;
  let downstream: Awaited<ReturnType<typeof startHeaderRecorder>>;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    downstream = await startHeaderRecorder();
  });
  afterAll(async () => {
    await receiver.close();
    await downstream.close();
  });

  it('starts no loader thread and says so at debug level', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', NAMED_IMPORTS_APP],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, LOOKOUT_DIAGNOSTICS_LEVEL: 'debug' },
    });

    // Act
    await app.stop('SIGTERM');

    // Assess
    expect(workerThreadsOf(app)).toBe(0);
    expect(app.stderrLines().some((line) => REQUIRE_HOOKS_LINE.test(line))).toBe(true);
    expect(app.stderrLines().some((line) => LOADER_LINE.test(line))).toBe(false);
  });

  it('starts the loader thread when tracing.esmLoader is "always"', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', NAMED_IMPORTS_APP],
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        LOOKOUT_DIAGNOSTICS_LEVEL: 'debug',
        LOOKOUT_ESM_LOADER: 'always',
      },
    });

    // Act
    await app.stop('SIGTERM');

    // Assess: the same observable reads 1 when the loader runs.
    expect(workerThreadsOf(app)).toBe(1);
    expect(app.stderrLines().some((line) => LOADER_LINE.test(line))).toBe(true);
  });

  // With the preload, node:http's ES module exports exist before the instrumentation patches
  // the module, so only syncBuiltinESMExports() brings the patched `request` to the app.
  it.each([
    { name: 'alone', preload: [] },
    { name: 'after a preload that imported node:http', preload: ['--import', PRELOAD_NODE_HTTP] },
  ])(
    'traces a call made through a named import of node:http ($name), with both propagation headers',
    async ({ preload }) => {
      // Prepare
      const serviceName = `named-imports-${preload.length}`;
      const app = await spawnApp({
        args: [...preload, '--import', 'lookout/register', NAMED_IMPORTS_APP],
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_SERVICE_NAME: serviceName,
          DOWNSTREAM_URL: downstream.url,
        },
      });

      // Act
      const response = await request(`${app.url}/orders/${serviceName}`);
      await app.stop('SIGTERM');

      // Assess
      expect(response.status).toBe(200);
      expect(workerThreadsOf(app)).toBe(0);
      const spans = receiver.spans().filter((span) => span.resource['service.name'] === serviceName);
      const server = spans.find((span) => span.kind === 'SERVER');
      expect(server?.name).toBe('GET /orders/:id');
      const clients = spans.filter((span) => span.kind === 'CLIENT' && span.traceId === server!.traceId);
      expect(clients).toHaveLength(1);
      const client = clients[0]!;
      const outgoing = downstream.received().filter((entry) => entry.path === `/named/${serviceName}`);
      expect(outgoing).toHaveLength(1);
      // Flags 03: sampled, and random (Lookout generated the trace id; W3C level 2).
      expect(outgoing[0]!.headers.traceparent).toBe(`00-${client.traceId}-${client.spanId}-03`);
      expect(outgoing[0]!.headers['x-amzn-trace-id']).toBe(
        `Root=1-${client.traceId.slice(0, 8)}-${client.traceId.slice(8)};Parent=${client.spanId};Sampled=1`,
      );
    },
  );
});

describe('ES module apps with an instrumented package that is an ES module', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('registers the loader, names the package at debug level, and still traces the app', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', ESM_PACKAGE_APP],
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'esm-hooked-package',
        LOOKOUT_DIAGNOSTICS_LEVEL: 'debug',
      },
    });

    // Act
    const response = await request(`${app.url}/orders/9`);
    await app.stop('SIGTERM');

    // Assess
    expect(response.status).toBe(200);
    expect(workerThreadsOf(app)).toBe(1);
    const decision = app.stderrLines().find((line) => LOADER_LINE.test(line));
    expect(decision).toContain('because "@smithy/smithy-client" loads as an ES module');
    expect(decision).toContain('esm-hooked-package/node_modules/@smithy/smithy-client/index.js');
    const spans = receiver.spans().filter((span) => span.resource['service.name'] === 'esm-hooked-package');
    const server = spans.find((span) => span.kind === 'SERVER');
    expect(server?.name).toBe('GET /orders/:id');
    expect(server?.attributes['http.route']).toBe('/orders/:id');
  });

  it("on Lambda, looks for the packages in the function's code folder (LAMBDA_TASK_ROOT)", async () => {
    // Prepare: on Lambda the entry script is the runtime's own; the function's packages are
    // installed under LAMBDA_TASK_ROOT. Here the entry sits elsewhere on purpose.
    const app = await spawnApp({
      args: ['--import', 'lookout/register', NAMED_IMPORTS_APP],
      env: {
        AWS_LAMBDA_FUNCTION_NAME: 'orders',
        LAMBDA_TASK_ROOT: join(REPO_ROOT, 'test/fixtures/esm-hooked-package'),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        LOOKOUT_DIAGNOSTICS_LEVEL: 'debug',
      },
    });

    // Act
    await app.stop('SIGTERM');

    // Assess
    expect(workerThreadsOf(app)).toBe(1);
    const decision = app.stderrLines().find((line) => LOADER_LINE.test(line));
    expect(decision).toContain('because "@smithy/smithy-client" loads as an ES module');
  });

  it('keeps the loader off when tracing.esmLoader is "never"', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', ESM_PACKAGE_APP],
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        LOOKOUT_DIAGNOSTICS_LEVEL: 'debug',
        LOOKOUT_ESM_LOADER: 'never',
      },
    });

    // Act
    await app.stop('SIGTERM');

    // Assess
    expect(workerThreadsOf(app)).toBe(0);
    expect(app.stderrLines().some((line) => REQUIRE_HOOKS_LINE.test(line))).toBe(true);
  });
});

/** A loopback port nothing listens on: a server's, closed again. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('ES module apps started by their folder (node --import lookout/register <folder>)', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  // `node .` and `node dist` are common start commands: Node runs the folder's package.json
  // `main`, while process.argv[1] names the folder itself.
  it("reads the app's package.json in that folder: its dependencies for auto, its name for the service", async () => {
    // Prepare: run from the repository root, whose package.json is not the app's.
    const port = await refusingPort();
    const app = await spawnApp({
      args: ['--import', 'lookout/register', FOLDER_ENTRY_APP],
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        LOOKOUT_INSTRUMENTATIONS: 'auto',
        DATABASE_URL: `postgres://orders:secret@127.0.0.1:${port}/orders`,
      },
      readyPattern: null,
    });

    // Act: the app tries one connection and ends; Lookout exports before the process exits.
    const exit = await app.exited;

    // Assess
    expect(exit.code).toBe(0);
    expect(app.stdoutLines()).toContain('not connected: ECONNREFUSED');
    const [connect] = await receiver.waitForSpans((span) => span.name === 'pg.connect');
    expect(connect?.resource['service.name']).toBe('folder-entry-app');
    expect(connect?.scope.name).toBe('@opentelemetry/instrumentation-pg');
  });
});

// ioredis's instrumentation patches the package's main module, which an ES module's import loads
// without a parent module: only the ES module hooks make that load visible to it.
describe('an ES module app importing ioredis, started other ways than by its own path', () => {
  let receiver: OtlpReceiver;
  let redis: LocalRedis;
  let linkDir: string;

  beforeAll(async () => {
    [receiver, redis] = await Promise.all([startOtlpReceiver(), startLocalRedis()]);
    linkDir = mkdtempSync(join(tmpdir(), 'lookout-bin-'));
  });
  afterAll(async () => {
    await Promise.all([receiver.close(), redis.close()]);
    rmSync(linkDir, { recursive: true, force: true });
  });

  /**
   * Runs the ioredis app with `args` under the service name `service` until it exits, and checks
   * that its `get` command was traced by the ioredis instrumentation under the app's own span.
   */
  async function expectIoredisTraced(args: readonly string[], service: string): Promise<void> {
    const app = await spawnApp({
      args: [...args],
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: service,
        LOOKOUT_INSTRUMENTATIONS: 'http,ioredis',
        REDIS_URL: redis.url,
      },
      readyPattern: null,
    });

    const exit = await app.exited;

    expect(exit.code).toBe(0);
    expect(app.stdoutLines()).toContain('got null');
    const fromApp = (span: { resource: Record<string, unknown> }) =>
      span.resource['service.name'] === service;
    const [parent] = await receiver.waitForSpans((span) => fromApp(span) && span.name === 'load order');
    const [command] = await receiver.waitForSpans((span) => fromApp(span) && span.name === 'get');
    expect(command?.scope.name).toBe('@opentelemetry/instrumentation-ioredis');
    expect(command?.parentSpanId).toBe(parent?.spanId);
  }

  // Node runs the file the link points to, as an ES module by that file's package.json; the
  // link itself has no extension and sits in a folder with no package.json.
  it('judges the entry by the file Node runs, so a CommonJS package it imports is traced', async () => {
    // Prepare
    const link = join(linkDir, 'symlinked-entry-app');
    symlinkSync(IOREDIS_ESM_SERVER, link);

    // Act and Assess
    await expectIoredisTraced(['--import', 'lookout/register', link], 'symlinked-entry-app');
  });

  // A CommonJS entry that imports the ES module app (`.cjs` in a "type": "module" package, or a
  // bootstrap file) is common; the app's imports are ES module imports all the same.
  it('traces the CommonJS package when a CommonJS entry imports the ES module app', async () => {
    await expectIoredisTraced(
      ['--require', 'lookout/register', 'test/fixtures/ioredis-esm-app/start.cjs'],
      'commonjs-entry-app',
    );
  });
});

describe('an ES module app below a folder whose node_modules Node cannot search', () => {
  let receiver: OtlpReceiver;
  let root: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    root = mkdtempSync(join(tmpdir(), 'lookout-node-modules-file-'));
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(root, { recursive: true, force: true });
  });

  // Node's lookup goes past a node_modules that is a file (or a folder it may not enter); the
  // choice of ES module hooks looks for the hooked packages (the AWS SDK's, by default) there.
  it('starts tracing and traces a request', async () => {
    // Prepare
    writeFileSync(join(root, 'node_modules'), 'a file, not a folder');
    const appDir = join(root, 'app');
    mkdirSync(appDir);
    writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'beside-a-file', type: 'module' }));
    copyFileSync(join(REPO_ROOT, 'test/fixtures/plain-http-server.mjs'), join(appDir, 'server.js'));
    const app = await spawnApp({
      args: ['--import', 'lookout/register', join(appDir, 'server.js')],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'beside-a-file' },
    });

    // Act
    const response = await request(`${app.url}/orders/1`);
    await app.stop('SIGTERM');

    // Assess
    expect(response.status).toBe(200);
    expect(app.stderrLines().filter((line) => line.includes('LOOKOUT_START_FAILED'))).toEqual([]);
    const [server] = await receiver.waitForSpans(
      (span) => span.resource['service.name'] === 'beside-a-file' && span.kind === 'SERVER',
    );
    expect(server?.attributes['url.path']).toBe('/orders/1');
  });
});
