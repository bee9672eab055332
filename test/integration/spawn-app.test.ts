import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { request } from '../helpers/http.js';
import { killAllApps, spawnApp } from '../helpers/spawn-app.js';

/** A tiny app: answers with its own environment, prints its URL, exits cleanly on SIGTERM. */
const ENV_APP = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ env: process.env, cwd: process.cwd(), method: req.method, body: '' }));
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => { console.log('stopping'); server.close(() => process.exit(0)); });
`;

describe('spawnApp', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('resolves with the URL from the ready line and stops the app with SIGTERM', async () => {
    // Prepare
    const app = await spawnApp({ args: ['-e', ENV_APP] });

    // Act
    const response = await request(`${app.url}/anything`);
    const exit = await app.stop();

    // Assess
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(response.status).toBe(200);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(app.stdoutLines()).toEqual([`listening on ${app.url}`, 'stopping']);
  });

  it('gives the app a hermetic environment: no OTEL_, LOOKOUT_, POWERTOOLS_, AWS_ or NODE_OPTIONS from the parent', async () => {
    // Prepare
    vi.stubEnv('OTEL_SERVICE_NAME', 'leaked');
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://leaked');
    vi.stubEnv('LOOKOUT_ENABLED', 'false');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'leaked');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('NODE_OPTIONS', '--max-old-space-size=64');
    vi.stubEnv('SOME_RANDOM_PARENT_VARIABLE', 'leaked');
    const app = await spawnApp({
      args: ['-e', ENV_APP],
      env: { OTEL_SERVICE_NAME: 'orders', AWS_REGION: 'us-east-1', PATH: process.env.PATH },
    });

    // Act
    const { env, cwd } = JSON.parse((await request(app.url)).body) as {
      env: Record<string, string>;
      cwd: string;
    };
    await app.stop();

    // Assess
    expect(env.OTEL_SERVICE_NAME).toBe('orders');
    expect(env.AWS_REGION).toBe('us-east-1');
    expect(env.PATH).toBe(process.env.PATH);
    const leaked = Object.keys(env).filter(
      (key) =>
        /^(OTEL_|LOOKOUT_|POWERTOOLS_|AWS_)/.test(key) && !['OTEL_SERVICE_NAME', 'AWS_REGION'].includes(key),
    );
    expect(leaked).toEqual([]);
    expect(env.NODE_OPTIONS).toBeUndefined();
    expect(env.SOME_RANDOM_PARENT_VARIABLE).toBeUndefined();
    expect(cwd).toBe(fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, ''));
  });

  it('runs from the repository root, where --import lookout/register resolves to the built package', async () => {
    // Act
    const app = await spawnApp({
      args: ['--import', 'lookout/register', '-e', ENV_APP],
      env: { LOOKOUT_ENABLED: 'false' },
    });
    const exit = await app.stop();

    // Assess
    expect(exit.code).toBe(0);
    expect(app.stderrLines().join('\n')).not.toContain('ERR_MODULE_NOT_FOUND');
  });

  it('rejects with the app output when the app exits before its ready line', async () => {
    // Act
    const starting = spawnApp({ args: ['-e', "console.error('cannot bind'); process.exit(3)"] });

    // Assess
    await expect(starting).rejects.toThrow(/exited \(code 3, signal null\)[\s\S]*cannot bind/);
  });

  it('waits for lines still to come on stdout or stderr and kills on request', async () => {
    // Prepare
    const app = await spawnApp({
      args: [
        '-e',
        "console.log('ready'); setTimeout(() => console.error('late warning: disk'), 50); setInterval(() => {}, 1000);",
      ],
      readyPattern: /^ready$/,
    });

    // Act
    const match = await app.waitForLine(/late warning: (\w+)/);
    const exit = await app.kill();

    // Assess
    expect(match[1]).toBe('disk');
    expect(app.stderrLines()).toEqual(['late warning: disk']);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(app.url).toBe('');
  });

  it('kills every app still running when the registry is flushed', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['-e', "console.log('up'); setInterval(() => {}, 1000);"],
      readyPattern: /up/,
    });

    // Act
    killAllApps();

    // Assess
    await expect(app.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });
  });
});
