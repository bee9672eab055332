// `NODE_OPTIONS="--import lookout/register" npm start` (docs/getting-started.md) preloads the
// register into every Node process that inherits the variable, npm's own among them, and
// `lookout dev` when it runs under it. Neither is the app: Lookout in npm wrote npm's runtime
// metrics under the app's service name, into the same series as the app's; in `lookout dev` it
// traced the viewer's own requests. Runs the npm installed beside node, with the update check off
// (no network); metrics are flushed every 100 ms so that a one-second process writes some.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLookoutDev } from '../helpers/lookout-dev.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { REPO_ROOT, spawnApp } from '../helpers/spawn-app.js';

const NPM_SCRIPTS_APP = join(REPO_ROOT, 'test/fixtures/npm-scripts');
const REGISTER = pathToFileURL(join(REPO_ROOT, 'dist/esm-node/register.js')).href;

/** Runs `npm run <script>` in the fixture under the preload; the EMF documents it wrote. */
async function npmRun(script: string) {
  const app = await spawnApp({
    command: 'npm',
    args: ['run', '--silent', script],
    cwd: NPM_SCRIPTS_APP,
    env: {
      NODE_OPTIONS: `--import ${REGISTER}`,
      OTEL_SERVICE_NAME: 'orders',
      OTEL_TRACES_EXPORTER: 'none',
      LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '100',
      NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    },
    readyPattern: null,
  });
  const exit = await app.exited;
  expect(exit.code, app.stderrLines().join('\n')).toBe(0);
  const documents = app
    .stdoutLines()
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as { Service?: string });
  return { app, documents };
}

describe('lookout/register preloaded through NODE_OPTIONS into a package manager', () => {
  it("does not start in npm's own process", async () => {
    // Act: the script is not a Node process, so npm is the only one.
    const { documents } = await npmRun('idle');

    // Assess
    expect(documents).toEqual([]);
  });

  it('still starts in the app that npm runs', async () => {
    // Act
    const { app, documents } = await npmRun('start');

    // Assess
    expect(app.stdoutLines()).toContain('app done');
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.every((document) => document.Service === 'orders')).toBe(true);
  });
});

describe('lookout/register preloaded through NODE_OPTIONS into lookout dev', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it("does not trace the viewer's own process, and still starts in the app it runs", async () => {
    // Prepare: the command's own telemetry, if it had any, would go to `receiver`; the app's goes
    // to the viewer, which `lookout dev` points it at.
    const dev = await startLookoutDev({
      command: [process.execPath, 'test/fixtures/one-request-then-end.mjs'],
      env: {
        NODE_OPTIONS: `--import ${REGISTER}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'under-lookout-dev',
      },
    });

    // Act: the app's two spans reach the viewer; the page asks the viewer for them.
    await dev.waitFor<{ traces: { spans: number } }>('/api/stats', (body) => body.traces.spans >= 2);
    await dev.api('/api/traces');
    const exit = await dev.stop();

    // Assess: stopping flushed whatever the command's process had.
    expect(exit.code).toBe(0);
    expect(receiver.spans()).toEqual([]);
  });
});
