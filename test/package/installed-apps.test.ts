// The packed package installed into fresh projects, run as the docs say: an Express 4 app in
// CommonJS (`node --require lookout/register`), an Express 5 app in ES modules
// (`node --import lookout/register`), each with lookout, lookout/express and lookout/lambda,
// sending traces to a real OTLP receiver. Projects live in the system's temporary directory, so
// nothing resolves from the repository's node_modules.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installedPackages,
  installProject,
  type PackedLookout,
  packLookout,
} from '../helpers/installed-lookout.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { type SpawnedApp, spawnApp } from '../helpers/spawn-app.js';

/** The Express app of both projects, in the syntax of each (the docs' examples, shortened). */
function expressApp(syntax: 'cjs' | 'esm'): string {
  const imports =
    syntax === 'cjs'
      ? `const express = require('express');
const { logger } = require('lookout');
const { errorHandler, health, observe } = require('lookout/express');`
      : `import express from 'express';
import { logger } from 'lookout';
import { errorHandler, health, observe } from 'lookout/express';`;
  return `${imports}

const app = express();
app.use(express.json());
app.use(observe());
app.get('/health', health());
app.get('/orders/:id', (req, res) => {
  logger.info('order read', { orderId: req.params.id });
  res.json({ id: req.params.id });
});
app.get('/boom', () => {
  throw new Error('boom in the handler');
});
app.use(errorHandler());
const server = app.listen(0, '127.0.0.1', () => {
  console.log('listening on http://127.0.0.1:' + server.address().port);
});
`;
}

/** A Lambda handler wrapped with lookout/lambda, invoked once with a context like Lambda's. */
function lambdaInvocation(syntax: 'cjs' | 'esm'): string {
  const imports =
    syntax === 'cjs'
      ? "const { middy, wrap } = require('lookout/lambda');"
      : "import { middy, wrap } from 'lookout/lambda';";
  return `${imports}

const handler = wrap(async (event) => ({ statusCode: 200, body: JSON.stringify({ got: event.orderId }) }));
const context = {
  awsRequestId: 'req-installed-1',
  functionName: 'orders',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:orders',
  memoryLimitInMB: '128',
  logGroupName: '/aws/lambda/orders',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 3000,
};
handler({ orderId: 'o-1' }, context).then((result) => {
  const middleware = middy();
  console.log('RESULT ' + JSON.stringify({ result, middy: typeof middleware.before }));
});
`;
}

const PROJECTS = [
  {
    name: 'express4-cjs',
    express: '4',
    syntax: 'cjs',
    preload: '--require',
    files: { 'app.js': expressApp('cjs'), 'invoke.js': lambdaInvocation('cjs') },
    workspace: 'test/fixtures/express4',
    manifest: { type: 'commonjs' },
  },
  {
    name: 'express5-esm',
    express: '5',
    syntax: 'esm',
    preload: '--import',
    files: { 'app.mjs': expressApp('esm'), 'invoke.mjs': lambdaInvocation('esm') },
    workspace: undefined,
    manifest: { type: 'module' },
  },
] as const;

let work: string;
let packed: PackedLookout;
let receiver: OtlpReceiver;
const installed = new Map<string, { dir: string; npmOutput: string }>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lookout-installed-apps-'));
  packed = packLookout(work);
  for (const project of PROJECTS)
    installed.set(
      project.name,
      installProject(packed, project.name, {
        dependencies: ['express'],
        ...(project.workspace === undefined ? {} : { workspace: project.workspace }),
        manifest: project.manifest,
        files: project.files,
      }),
    );
  receiver = await startOtlpReceiver();
}, 300_000);
afterAll(async () => {
  await receiver?.close();
  rmSync(work, { recursive: true, force: true });
});

describe.each(PROJECTS)('an installed Lookout in $name', (project) => {
  const dir = () => installed.get(project.name)?.dir ?? '';
  const app = project.syntax === 'cjs' ? 'app.js' : 'app.mjs';
  let running: SpawnedApp;

  beforeAll(async () => {
    running = await spawnApp({
      args: [project.preload, 'lookout/register', app],
      cwd: dir(),
      env: {
        OTEL_SERVICE_NAME: project.name,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        // As deployed: errorHandler() answers without internals.
        NODE_ENV: 'production',
      },
    });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it(`installs Express ${project.express} next to lookout, and no package Lookout bundles`, () => {
    const packages = installedPackages(dir());
    const express = spawnSync(process.execPath, ['-p', "require('express/package.json').version"], {
      cwd: dir(),
      encoding: 'utf8',
    });

    expect(express.stdout.trim()).toMatch(new RegExp(`^${project.express}\\.`));
    expect(packages).toContain('lookout');
    expect(packages.filter((name) => name.startsWith('@opentelemetry/'))).toEqual(['@opentelemetry/api']);
    expect(packages).not.toContain('yaml');
    expect(installed.get(project.name)?.npmOutput).not.toMatch(/lookout.*(install|prepare)/);
  });

  it('traces a request, with the route, and logs it with the trace id', async () => {
    const response = await fetch(`${running.url}/orders/42`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: '42' });
    const [span] = await receiver.waitForSpans(
      (candidate) =>
        candidate.kind === 'SERVER' &&
        candidate.resource['service.name'] === project.name &&
        candidate.attributes['http.route'] === '/orders/:id',
    );
    const [, line] = await running.waitForLine(/^(\{.*"message":"order read".*\})$/);
    const logged = JSON.parse(line ?? '{}') as Record<string, unknown>;
    expect(logged).toMatchObject({ orderId: '42', trace_id: span?.traceId, service: project.name });
    expect(logged).not.toHaveProperty('sampling_rate');
  });

  it('answers an error with JSON and logs its stack with readable Lookout frames', async () => {
    const response = await fetch(`${running.url}/boom`);
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(500);
    expect(Object.keys(body).sort()).toEqual(['error', 'requestId']);
    const [, line] = await running.waitForLine(/^(\{.*boom in the handler.*\})$/);
    const stack = String((JSON.parse(line ?? '{}') as { error?: { stack?: string } }).error?.stack);
    const lookoutFrames = stack.split('\n').filter((frame) => frame.includes('/node_modules/lookout/'));
    // The request ran inside Lookout's request context, so its frames are in the stack: each at a
    // file of the package, at a column within a short line (not `core.js:14:104912`), and
    // under the function's own name where the function has one (no minified names).
    expect(lookoutFrames.length, stack).toBeGreaterThan(0);
    for (const frame of lookoutFrames) {
      const [, name, column] =
        /^\s+at (?:async )?(?:(\S+) \()?.*\/node_modules\/lookout\/dist\/(?:cjs|esm)\/[\w/-]+\.js:\d+:(\d+)\)?$/.exec(
          frame,
        ) ?? [];
      expect(column, frame).toBeDefined();
      expect(Number(column), frame).toBeLessThanOrEqual(200);
      if (name !== undefined) expect(name, frame).toMatch(/[A-Za-z]{3}/);
    }
  });

  it('says once what to install for logs over OTLP, and keeps logging to stdout', () => {
    // The OpenTelemetry logs SDK is an optional peer this project has not installed.
    const run = spawnSync(
      process.execPath,
      [
        project.preload,
        'lookout/register',
        '-e',
        "const { logger } = require('lookout'); logger.info('one'); logger.info('two');",
      ],
      {
        cwd: dir(),
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          LOOKOUT_LOGS_EXPORTER: 'otlp',
          OTEL_TRACES_EXPORTER: 'none',
          LOOKOUT_HANDLE_SIGNALS: 'false',
        },
      },
    );
    const notices = run.stderr.split('\n').filter((line) => line.includes('LOOKOUT_LOGS_EXPORTER=otlp'));

    expect(run.status, run.stderr).toBe(0);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(
      'Install it: npm install @opentelemetry/sdk-logs @opentelemetry/exporter-logs-otlp-proto',
    );
    expect(run.stdout.split('\n').filter((line) => line.includes('"message":"'))).toHaveLength(2);
  });

  it('runs a handler wrapped with lookout/lambda and gives middy middleware', () => {
    const invoke = spawnSync(process.execPath, [project.syntax === 'cjs' ? 'invoke.js' : 'invoke.mjs'], {
      cwd: dir(),
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', OTEL_TRACES_EXPORTER: 'none', LOOKOUT_HANDLE_SIGNALS: 'false' },
    });
    const result = /^RESULT (.*)$/m.exec(invoke.stdout)?.[1];

    expect(invoke.status, invoke.stderr).toBe(0);
    expect(JSON.parse(result ?? '{}')).toEqual({
      result: { statusCode: 200, body: '{"got":"o-1"}' },
      middy: 'function',
    });
  });
});
