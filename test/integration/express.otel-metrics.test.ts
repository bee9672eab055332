// With OTEL_METRICS_EXPORTER=otlp the OpenTelemetry Meter API records into Lookout's meter
// provider and the data reaches an OTLP/HTTP endpoint. The endpoint here is a small local sink
// that records every POST to /v1/metrics; it checks the wire format's content type and that the
// instrument's name is in the body (protobuf and JSON both carry names as UTF-8 text).
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = 'test/fixtures/metrics-express-app.mjs';
const INSTRUMENT = 'fixture.orders.created';

interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function startSink(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        contentType: request.headers['content-type'],
        body: Buffer.concat(chunks),
      });
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/json' });
      response.end(request.headers['content-type']?.includes('json') ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

async function startApp(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(OTEL_|LOOKOUT_|POWERTOOLS_|AWS_)/.test(key)) base[key] = value;
  const child = spawn(process.execPath, ['--import', 'lookout/register', FIXTURE], {
    cwd: ROOT,
    env: { ...base, OTEL_SERVICE_NAME: 'otel-fixture', OTEL_TRACES_EXPORTER: 'none', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`fixture exited early (${code}): ${stderr}`)));
  });
  return { url, child };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('OpenTelemetry metrics', () => {
  it.each([
    ['http/protobuf', 'application/x-protobuf'],
    ['http/json', 'application/json'],
  ])('exports Meter API data over OTLP %s to the collector', async (protocol, contentType) => {
    const sink = await startSink();
    const app = await startApp({
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${sink.url}/v1/metrics`,
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: protocol,
      OTEL_METRIC_EXPORT_INTERVAL: '100',
    });

    for (let i = 0; i < 3; i++) await (await fetch(`${app.url}/otel`)).arrayBuffer();
    const carriesInstrument = (entry: Received) => entry.body.toString('utf8').includes(INSTRUMENT);
    await waitFor(() => sink.received.some(carriesInstrument), 'an export carrying the instrument');

    const exports = sink.received.filter(carriesInstrument);
    expect(exports[0]?.path).toBe('/v1/metrics');
    expect(exports[0]?.contentType).toContain(contentType);
    expect(exports[0]?.body.toString('utf8')).toContain('otel-fixture');
  });

  it('loads no exporter and sends nothing by default', async () => {
    const sink = await startSink();
    const app = await startApp({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_METRIC_EXPORT_INTERVAL: '50' });

    for (let i = 0; i < 3; i++) await (await fetch(`${app.url}/otel`)).arrayBuffer();
    app.child.kill('SIGTERM');
    await new Promise((resolve) => app.child.on('exit', resolve));

    expect(sink.received).toEqual([]);
  });
});
