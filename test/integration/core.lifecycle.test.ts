import { execFileSync, spawnSync } from 'node:child_process';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { request } from '../helpers/http.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

const SERVER = 'SERVER';
const ESM_APP = ['--import', 'lookout/register', 'test/fixtures/traced-app.mjs'];
const INIT_APP = ['test/fixtures/traced-app-init.cjs'];

/** A TCP server that accepts connections and never answers: a hung collector. */
async function startBlackHole(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port with nothing listening on it: an unreachable collector. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const countLines = (lines: readonly string[], text: string) =>
  lines.filter((line) => line.includes(text)).length;

describe('when the collector is unreachable', () => {
  it('keeps serving and reports the failure once, however many exports fail', async () => {
    const app = await spawnApp({
      args: INIT_APP,
      // A short export timeout bounds the exporter's retries, so several exports fail in turn.
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: await closedPortUrl(),
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_EXPORTER_OTLP_TIMEOUT: '300',
      },
    });

    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await request(`${app.url}/orders/${i}`)).status);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await app.waitForLine(/LOOKOUT_EXPORT_FAILED/, 10_000);
    for (let i = 20; i < 30; i++) statuses.push((await request(`${app.url}/orders/${i}`)).status);
    const shutdown = await request(`${app.url}/lookout/shutdown`);
    await app.stop('SIGTERM');

    expect(statuses).toEqual(Array(30).fill(200));
    expect(shutdown.status).toBe(200);
    expect(countLines(app.stderrLines(), 'LOOKOUT_EXPORT_FAILED')).toBe(1);
    expect(app.stderrLines().find((line) => line.includes('LOOKOUT_EXPORT_FAILED'))).toContain(
      'ECONNREFUSED',
    );
  });

  it('says once, at the first refused export and before its retries run out, that nothing listens there', async () => {
    const endpoint = await closedPortUrl();
    // The default export timeout (10 s) bounds the retries of each export: the failure comes
    // when they run out, the notice when the first connection is refused.
    const app = await spawnApp({
      args: INIT_APP,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '50' },
    });

    expect((await request(`${app.url}/orders/1`)).status).toBe(200);
    const [notice] = await app.waitForLine(/LOOKOUT_ENDPOINT_REFUSED.*/);
    const failedYet = countLines(app.stderrLines(), 'LOOKOUT_EXPORT_FAILED');
    for (let i = 2; i <= 5; i++) expect((await request(`${app.url}/orders/${i}`)).status).toBe(200);
    await app.waitForLine(/LOOKOUT_EXPORT_FAILED/, 30_000);
    await app.stop('SIGTERM');

    expect(notice).toContain(`Nothing is listening at ${endpoint}/v1/traces (connection refused)`);
    expect(notice).toContain('npx lookout dev -- node --import lookout/register');
    expect(notice).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(failedYet).toBe(0);
    // Every retry of every export was refused again; the notice came once.
    expect(countLines(app.stderrLines(), 'LOOKOUT_ENDPOINT_REFUSED')).toBe(1);
  });

  it('names the endpoint without the credentials it carries', async () => {
    // An endpoint can carry a password (userinfo) or a key (query): stderr goes to the same log
    // group as the app's lines, where the same secrets are redacted.
    const endpoint = (await closedPortUrl()).replace('http://', 'http://collector:s3cretpass@');
    const app = await spawnApp({
      args: INIT_APP,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces?api_key=s3cretkey`,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_EXPORTER_OTLP_TIMEOUT: '300',
      },
    });

    expect((await request(`${app.url}/orders/1`)).status).toBe(200);
    const [notice] = await app.waitForLine(/LOOKOUT_ENDPOINT_REFUSED.*/);
    const [failure] = await app.waitForLine(/LOOKOUT_EXPORT_FAILED.*/, 10_000);
    await app.stop('SIGTERM');

    const stderr = app.stderrLines().join('\n');
    expect(stderr).not.toContain('s3cretpass');
    expect(stderr).not.toContain('s3cretkey');
    const shown = `${endpoint.replace('s3cretpass', '[REDACTED]')}/v1/traces?api_key=%5BREDACTED%5D`;
    expect(notice).toContain(`Nothing is listening at ${shown} (connection refused)`);
    expect(failure).toContain(`to ${shown} failed`);
  });

  it('resolves shutdown() at its deadline when the collector hangs', async () => {
    const blackHole = await startBlackHole();
    const app = await spawnApp({
      args: INIT_APP,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: blackHole.url,
        OTEL_EXPORTER_OTLP_TIMEOUT: '60000',
        LOOKOUT_SHUTDOWN_TIMEOUT_MS: '1000',
      },
    });

    expect((await request(`${app.url}/orders/1`)).status).toBe(200);
    const shutdown = await request(`${app.url}/lookout/shutdown`);
    await app.stop('SIGKILL');
    await blackHole.close();

    expect(shutdown.status).toBe(200);
    const { elapsedMs } = JSON.parse(shutdown.body) as { elapsedMs: number };
    // The export hangs for up to 60 s, so resolving means the 1 s deadline cut it short. The
    // upper bound is generous on purpose: it is a liveness check, not a speed measurement.
    expect(elapsedMs).toBeGreaterThanOrEqual(900);
    expect(elapsedMs).toBeLessThan(10_000);
    expect(countLines(app.stderrLines(), 'LOOKOUT_FLUSH_TIMEOUT')).toBe(1);
    // The deadline the app set, not what was left of it when the parts were stopped.
    expect(app.stderrLines().find((line) => line.includes('LOOKOUT_FLUSH_TIMEOUT'))).toContain(
      'did not finish within 1000 ms',
    );
  });
});

describe('OTEL_SDK_DISABLED=true', () => {
  it('creates no spans, sends nothing and prints nothing on stderr', async () => {
    const receiver = await startOtlpReceiver();
    const app = await spawnApp({
      args: ESM_APP,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SDK_DISABLED: 'true' },
    });

    const response = await request(`${app.url}/orders/7`);
    await app.stop('SIGTERM');
    await receiver.close();

    expect(response.status).toBe(200);
    expect(receiver.requests()).toEqual([]);
    expect(app.stderrLines()).toEqual([]);
  });
});

describe('signals', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('flushes on SIGTERM and then ends the process by that signal when the app has no handler', async () => {
    // The batch delay is far longer than the test: only the signal flush can deliver the span.
    const app = await spawnApp({
      args: ESM_APP,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '600000' },
    });
    await request(`${app.url}/orders/signal-default`);

    const exit = await app.stop('SIGTERM');

    expect(exit.signal).toBe('SIGTERM');
    expect(receiver.spans().some((span) => span.attributes['url.path'] === '/orders/signal-default')).toBe(
      true,
    );
  });

  it("flushes on SIGTERM and leaves the exit to the app's own handler", async () => {
    const app = await spawnApp({
      args: ESM_APP,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: '600000',
        APP_HANDLES_SIGTERM: 'true',
      },
    });
    await request(`${app.url}/orders/signal-app`);

    const exit = await app.stop('SIGTERM');

    expect(exit.code).toBe(0);
    expect(app.stdoutLines()).toContain('app SIGTERM handler ran');
    expect(receiver.spans().some((span) => span.attributes['url.path'] === '/orders/signal-app')).toBe(true);
  });
});

describe('init()', () => {
  const runScript = (script: string) =>
    execFileSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', OTEL_TRACES_EXPORTER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('returns the same handle every time and warns once when later options differ', () => {
    const script = `
      const { init } = require('lookout');
      const a = init({ serviceName: 'first' });
      const b = init({ serviceName: 'first' });
      const c = init({ serviceName: 'second' });
      const d = init({ serviceName: 'third' });
      console.log(JSON.stringify({ same: a === b && b === c && c === d, name: d.config.serviceName }));
      a.shutdown();`;
    const out = runScript(script);

    expect(JSON.parse(out)).toEqual({ same: true, name: 'first' });
  });

  it('reports a repeated init with different options exactly once on stderr', () => {
    const result = spawnSync(
      process.execPath,
      [
        '-e',
        `const { init } = require('lookout');
         init({ serviceName: 'first' }); init({ serviceName: 'first' });
         init({ serviceName: 'second' }); init({ serviceName: 'third' });`,
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', OTEL_TRACES_EXPORTER: 'none' } },
    );

    expect(result.status).toBe(0);
    const lines = result.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[LOOKOUT_INIT_REPEATED]');
  });

  it('throws LookoutConfigError for an invalid option in code, and nothing starts', () => {
    const out = runScript(`
      const { init, LookoutConfigError } = require('lookout');
      try { init({ tracing: { sampler: 'sometimes' } }); } catch (error) {
        console.log(JSON.stringify({ config: error instanceof LookoutConfigError, code: error.code, option: error.option }));
      }`);

    expect(JSON.parse(out)).toEqual({
      config: true,
      code: 'LOOKOUT_CONFIG_INVALID',
      option: 'tracing.sampler',
    });
  });
  it('answers a repeated init() with hostile options with the first handle, never an exception', () => {
    const out = runScript(`
      const { init } = require('lookout');
      const first = init({ serviceName: 'first' });
      const cyclic = { serviceName: 'x' };
      cyclic.tracing = { self: cyclic };
      const later = {
        bigint: { serviceName: 1n },
        cyclic,
        getter: { get serviceName() { throw new Error('getter'); } },
        proxy: new Proxy({}, { ownKeys() { throw new Error('trap'); } }),
      };
      const outcomes = {};
      for (const [name, options] of Object.entries(later)) {
        try { outcomes[name] = init(options) === first; } catch (error) { outcomes[name] = error.message; }
      }
      console.log(JSON.stringify(outcomes));
      first.shutdown();`);

    expect(JSON.parse(out)).toEqual({ bigint: true, cyclic: true, getter: true, proxy: true });
  });

  it('throws LookoutConfigError for a list option with a hole, instead of failing every request', () => {
    const out = runScript(`
      const { init, LookoutConfigError } = require('lookout');
      try { init({ excludedPaths: ['/health', , '/ready'] }); } catch (error) {
        console.log(JSON.stringify({ config: error instanceof LookoutConfigError, option: error.option }));
      }`);

    expect(JSON.parse(out)).toEqual({ config: true, option: 'excludedPaths' });
  });

  it('names the option for a first init() with a bigint or a cycle in its options', () => {
    const out = runScript(`
      const { init, LookoutConfigError } = require('lookout');
      const cyclic = { serviceName: 'x' };
      cyclic.tracing = { self: cyclic };
      for (const options of [{ serviceName: 1n }, cyclic]) {
        try { init(options); } catch (error) {
          console.log(JSON.stringify({ config: error instanceof LookoutConfigError, option: error.option }));
        }
      }`);

    expect(
      out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { config: true, option: 'serviceName' },
      { config: true, option: 'tracing.self' },
    ]);
  });
});

describe('an invalid environment variable', () => {
  /**
   * Starts the app with `env` on top of its spans going to a receiver of its own, asks one
   * request, and stops it (SIGTERM, so that the flush at shutdown runs). `waitMs`: how long to
   * wait for the request's server span before stopping; without it, what the flush sent.
   */
  async function serveOneRequest(env: Record<string, string>, waitMs?: number) {
    const receiver = await startOtlpReceiver();
    const app = await spawnApp({ args: ESM_APP, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env } });
    const response = await request(`${app.url}/orders/env`);
    const waited =
      waitMs === undefined
        ? undefined
        : await receiver.waitForSpans((span) => span.kind === SERVER, { timeoutMs: waitMs }).catch(() => []);
    await app.stop('SIGTERM');
    await receiver.close();
    return {
      app,
      response,
      spans: waited ?? receiver.spans().filter((span) => span.kind === SERVER),
      requests: receiver.requests(),
    };
  }

  it('gives one warning and the app runs with the fallback', async () => {
    const { app, response, spans } = await serveOneRequest(
      { OTEL_TRACES_SAMPLER: 'sometimes', OTEL_BSP_SCHEDULE_DELAY: '100' },
      10_000,
    );

    expect(response.status).toBe(200);
    expect(spans).toHaveLength(1);
    expect(app.stderrLines()).toHaveLength(1);
    expect(app.stderrLines()[0]).toContain(
      '[LOOKOUT_ENV_INVALID] OTEL_TRACES_SAMPLER="sometimes" is ignored',
    );
  });
  it('drops an OTLP header HTTP cannot carry, and spans still leave with the other headers', async () => {
    const { app, response, spans, requests } = await serveOneRequest(
      { OTEL_EXPORTER_OTLP_HEADERS: 'x-team=core,x-token=se%0Acret', OTEL_BSP_SCHEDULE_DELAY: '100' },
      8_000,
    );

    expect(response.status).toBe(200);
    expect(spans).toHaveLength(1);
    expect(requests[0]?.headers['x-team']).toBe('core');
    expect(app.stderrLines()).toHaveLength(1);
    expect(app.stderrLines()[0]).toContain(
      '[LOOKOUT_ENV_INVALID] OTEL_EXPORTER_OTLP_HEADERS: ignored "x-token"',
    );
  });
  it('sends the OTLP headers of LOOKOUT_OTLP_HEADERS in place of those of OTEL_EXPORTER_OTLP_HEADERS', async () => {
    const { response, spans, requests } = await serveOneRequest(
      {
        LOOKOUT_OTLP_HEADERS: 'x-team=lookout',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-team=otel,x-old-key=secret',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-traces-key=secret',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      8_000,
    );

    expect(response.status).toBe(200);
    expect(spans).toHaveLength(1);
    const headers = requests[0]?.headers ?? {};
    expect(headers['x-team']).toBe('lookout');
    // The traces variable is a standard one of tracing.otlp.headers, which has no LOOKOUT_ one set.
    expect(headers['x-traces-key']).toBe('secret');
    expect(headers['x-old-key']).toBeUndefined();
  });
  it.each([
    ['OTEL_BSP_SCHEDULE_DELAY', '0'],
    ['OTEL_BSP_EXPORT_TIMEOUT', '1'],
  ])(
    'gives one warning for a %s longer than a timer can wait, and none from Node',
    async (variable, least) => {
      const { app, response, spans } = await serveOneRequest({ [variable]: '99999999999' });

      expect(response.status).toBe(200);
      // Exported (by the flush at shutdown), and no export reported as timed out.
      expect(spans).toHaveLength(1);
      expect(app.stderrLines()).toHaveLength(1);
      expect(app.stderrLines()[0]).toContain(
        `[LOOKOUT_ENV_INVALID] ${variable}="99999999999" is not a whole number from ${least} to 2147483647`,
      );
    },
  );
});

describe('malformed trace headers', () => {
  it('never fail a request and always start a fresh trace', async () => {
    const receiver = await startOtlpReceiver();
    const app = await spawnApp({
      args: ESM_APP,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
    // Header values a client can actually send (no CR/LF), shaped like the real formats.
    const headerText = fc.stringMatching(/^[\x20-\x7e]{0,120}$/);
    const traceparent = fc.oneof(
      headerText,
      fc
        .tuple(
          fc.stringMatching(/^[0-9a-z]{0,3}$/),
          fc.stringMatching(/^[0-9a-fA-F]{0,34}$/),
          fc.stringMatching(/^[0-9a-fx]{0,17}$/),
        )
        .map(([version, trace, span]) => `${version}-${trace}-${span}-0`),
      fc.constant('00-00000000000000000000000000000000-b7ad6b7169203331-01'),
      fc.constant('00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01'),
    );
    const amzn = fc.oneof(
      headerText,
      fc.tuple(headerText, headerText).map(([root, parent]) => `Root=${root};Parent=${parent};Sampled=1`),
      fc.constant('Root=1-5759e988-bd862e3fe1be46a9942727;Parent=53995c3f42cd8ad8;Sampled=1'),
    );
    const cases = fc.sample(fc.tuple(traceparent, amzn), { numRuns: 40, seed: 20261123 });

    const statuses: number[] = [];
    for (const [index, [tp, xray]] of cases.entries()) {
      statuses.push(
        (
          await request(`${app.url}/orders/malformed-${index}`, {
            headers: { traceparent: tp, 'x-amzn-trace-id': xray },
          })
        ).status,
      );
    }
    const spans = await receiver.waitForSpans((span) => span.kind === SERVER, {
      timeoutMs: 15_000,
      count: cases.length,
    });
    await app.stop('SIGTERM');
    await receiver.close();

    expect(statuses).toEqual(Array(cases.length).fill(200));
    for (const span of spans) {
      const [tp, xray] = cases[Number(String(span.attributes['url.path']).split('-').pop())]!;
      // Any extracted parent would have to come from a well-formed header; none of these is.
      expect(span.parentSpanId, `${tp} | ${xray}`).toBeUndefined();
      expect(tp.includes(span.traceId) || xray.includes(span.traceId.slice(8))).toBe(false);
    }
    expect(app.stderrLines()).toEqual([]);
  });
});

describe('ECS task metadata', () => {
  /**
   * Starts `metadata` on loopback as the task metadata endpoint and the app on "ECS" (told that
   * endpoint), its spans to a receiver of its own.
   */
  async function startOnEcs(metadata: ReturnType<typeof createHttpServer>, env: Record<string, string> = {}) {
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    const address = metadata.address();
    const metadataUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v4/abc`;
    const receiver = await startOtlpReceiver();
    const app = await spawnApp({
      args: ESM_APP,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        ECS_CONTAINER_METADATA_URI_V4: metadataUrl,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        ...env,
      },
    });
    return { receiver, app };
  }

  it('is fetched after start-up and added to the resource of exported spans', async () => {
    const metadata = createHttpServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/task')) {
        res.end(
          JSON.stringify({
            Cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
            TaskARN: 'arn:aws:ecs:eu-west-1:123456789012:task/prod/abc123',
            Family: 'orders',
            Revision: '9',
            AvailabilityZone: 'eu-west-1a',
            LaunchType: 'FARGATE',
          }),
        );
      } else {
        res.end(
          JSON.stringify({
            ContainerARN: 'arn:aws:ecs:eu-west-1:123456789012:container/prod/abc123/def',
            Name: 'app',
            LogOptions: { 'awslogs-group': '/ecs/orders', 'awslogs-stream': 'ecs/app/abc123' },
          }),
        );
      }
    });
    const { receiver, app } = await startOnEcs(metadata, { AWS_REGION: 'eu-west-1' });

    await request(`${app.url}/orders/ecs`);
    const [span] = await receiver.waitForSpans((candidate) => candidate.kind === SERVER, {
      timeoutMs: 10_000,
    });
    await app.stop('SIGTERM');
    await receiver.close();
    await new Promise<void>((resolve) => metadata.close(() => resolve()));

    expect(span!.resource).toMatchObject({
      'cloud.platform': 'aws_ecs',
      'cloud.region': 'eu-west-1',
      'aws.ecs.task.arn': 'arn:aws:ecs:eu-west-1:123456789012:task/prod/abc123',
      'aws.ecs.cluster.arn': 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
      'aws.ecs.launchtype': 'fargate',
      'cloud.availability_zone': 'eu-west-1a',
      'aws.log.group.names': ['/ecs/orders'],
    });
    // The metadata request itself is Lookout's own traffic: no span for it.
    expect(
      receiver
        .spans()
        .some((candidate) => String(candidate.attributes['url.full'] ?? '').includes('/v4/abc')),
    ).toBe(false);
  });
  // A hostile metadata endpoint keeps each connection busy, so an idle timeout never fires: one
  // drips a byte at a time, one floods 32 MiB (far more than any task's metadata) and then
  // drips. Exports wait for the metadata, so without a bound on the whole read and on the body
  // no span would ever leave, and a flood without end would fill the app's memory.
  const FLOOD_BYTES = 32 * 1024 * 1024;
  const drip = (res: ServerResponse) => setInterval(() => res.write(' '), 100);
  it.each([
    ['drips a body that never ends', drip],
    [
      'floods a huge body',
      (res: ServerResponse) => {
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let written = 0;
        let dripping: NodeJS.Timeout | undefined;
        const pump = () => {
          while (written < FLOOD_BYTES && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return;
          }
          if (written >= FLOOD_BYTES) dripping ??= drip(res);
        };
        res.on('drain', pump);
        pump();
        return { stop: () => clearInterval(dripping), flooded: () => written >= FLOOD_BYTES };
      },
    ],
  ])('is given up when the endpoint %s, and spans are exported without it', async (_, answer) => {
    const answers: Array<ReturnType<typeof answer>> = [];
    const closed: Array<Promise<void>> = [];
    const metadata = createHttpServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.write('{"Cluster":');
      answers.push(answer(res));
      closed.push(new Promise<void>((resolve) => res.on('close', () => resolve())));
    });
    const { receiver, app } = await startOnEcs(metadata);

    const response = await request(`${app.url}/orders/ecs`);
    const spans = await receiver
      .waitForSpans((candidate) => candidate.kind === SERVER, { timeoutMs: 8_000 })
      .catch(() => []);
    const lookoutClosedBoth = await Promise.race([
      Promise.all(closed).then(() => closed.length === 2),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000)),
    ]);
    const stderr = app.stderrLines();
    await app.kill();
    const flooded = answers.some((answered) => 'flooded' in answered && answered.flooded());
    for (const answered of answers)
      if ('stop' in answered) answered.stop();
      else clearInterval(answered);
    metadata.closeAllConnections();
    await new Promise<void>((resolve) => metadata.close(() => resolve()));
    await receiver.close();

    expect(response.status).toBe(200);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.resource['cloud.platform']).toBe('aws_ecs');
    expect(spans[0]!.resource['aws.ecs.cluster.arn']).toBeUndefined();
    expect(lookoutClosedBoth).toBe(true);
    expect(flooded).toBe(false);
    expect(countLines(stderr, 'ECS task metadata could not be read')).toBe(1);
  });
});

describe('metrics recorded after shutdown()', () => {
  it('are written when the process exits, whether it runs dry or calls process.exit()', () => {
    // Prepare: the app stops Lookout, then still records (a request finishing while its server
    // closes); fewer than Powertools' 100 values, so nothing publishes them on its own.
    const run = (exit: string) =>
      execFileSync(
        process.execPath,
        [
          '-e',
          `const { init, metrics, MetricUnit, shutdown } = require('lookout');
           init({ serviceName: 'late' });
           shutdown().then(() => {
             metrics.addMetric('LateOrder', MetricUnit.Count, 1);
             metrics.addMetric('LateOrder', MetricUnit.Count, 2);
             ${exit}
           });`,
        ],
        {
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', OTEL_TRACES_EXPORTER: 'none' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );

    // Act
    const outputs = [run(''), run('process.exit(0);')];

    // Assess
    for (const output of outputs) {
      const { documents, invalid } = readEmf(output);
      expect(invalid).toEqual([]);
      const late = documents.filter((document) => 'LateOrder' in document.root);
      expect(late.map((document) => document.root.LateOrder)).toEqual([[1, 2]]);
      expect(late[0]?.root).toMatchObject({ Service: 'late' });
    }
  });
});
