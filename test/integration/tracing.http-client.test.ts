// CLIENT spans of outgoing requests of unusual shapes. Node publishes
// `http.client.response.finish` only for ordinary responses: a 101 to an upgrade request and the
// answer to a CONNECT are handed to the app (or the socket is destroyed) without it. A request to
// a forward proxy names its whole target URL as its path. An aborted fetch() fails with a
// DOMException, whose code is a number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

describe('CLIENT spans of unusual requests', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('ends and exports each one with the status it was answered with and the URL it asked for', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/unusual-client-requests.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      readyPattern: null,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code, app.stderrLines().join('\n')).toBe(0);
    expect(app.stderrLines()).toContain('done');
    const clients = receiver
      .spans()
      .filter((span) => span.kind === 'CLIENT')
      .map((span) => [span.attributes['url.full'], span.attributes['http.response.status_code']]);
    expect(clients).toEqual([
      [expect.stringMatching(/\/socket$/), 101],
      [expect.stringMatching(/\/unheard$/), 101],
      [expect.stringMatching(/tunnel\.example:443$/), 200],
      [expect.stringMatching(/\/plain$/), 200],
      ['http://origin.example/resource?page=2', 200],
      [expect.stringMatching(/\/hang$/), undefined],
    ]);
    // error.type is a string (the stable HTTP conventions): an abort's DOMException by its name
    // (or, when the socket failed first, the socket error's code), not by its numeric code.
    const failed = receiver.spans().filter((span) => span.kind === 'CLIENT' && span.status.code === 'ERROR');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.attributes['error.type']).toEqual(expect.any(String));
  });
});

describe('CLIENT spans of calls that carry their own traceparent', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('sends one traceparent, the CLIENT span as the parent, from fetch() as from http.request', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/client-own-trace-headers.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      readyPattern: null,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code, app.stderrLines().join('\n')).toBe(0);
    const received = app
      .stderrLines()
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { path: string; traceparent: string[] });
    expect(received.map((request) => request.path)).toEqual(['/fetch-object', '/fetch-request', '/http']);
    for (const { path, traceparent } of received) {
      const client = receiver
        .spans()
        .find((span) => span.kind === 'CLIENT' && String(span.attributes['url.full']).endsWith(path));
      expect(client, path).toBeDefined();
      expect(traceparent, path).toEqual([
        expect.stringMatching(`^00-${client?.traceId}-${client?.spanId}-0[0-3]$`),
      ]);
    }
  });
});

describe('CLIENT spans of WebSocket handshakes', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('ends and exports the handshake with its 101 status', async () => {
    // Prepare
    const flags = typeof WebSocket === 'undefined' ? ['--experimental-websocket'] : [];
    const app = await spawnApp({
      args: [...flags, '--import', 'lookout/register', 'test/fixtures/websocket-client.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      readyPattern: null,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code, app.stderrLines().join('\n')).toBe(0);
    expect(app.stderrLines()).toEqual(expect.arrayContaining(['open', 'done']));
    const clients = receiver
      .spans()
      .filter((span) => span.kind === 'CLIENT')
      .map((span) => [span.attributes['url.full'], span.attributes['http.response.status_code']]);
    expect(clients).toEqual([[expect.stringMatching(/\/live$/), 101]]);
  });
});

describe('CLIENT spans of requests destroyed with values that are not Errors', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('hands the app its value, keeps the process up and ends each span as failed', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/client-destroyed-with-odd-values.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      readyPattern: null,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code, app.stderrLines().join('\n')).toBe(0);
    expect(app.stderrLines().filter((line) => line.startsWith('error') || line === 'done')).toEqual([
      'error 0 true',
      'error 1 true',
      'error 2 true',
      'error 3 true',
      'done',
    ]);
    const clients = receiver
      .spans()
      .filter((span) => span.kind === 'CLIENT')
      .map((span) => [span.attributes['url.full'], span.status.code, span.attributes['error.type']]);
    expect(clients).toEqual([
      [expect.stringMatching(/\/destroyed\/0$/), 'ERROR', '_OTHER'],
      [expect.stringMatching(/\/destroyed\/1$/), 'ERROR', '_OTHER'],
      [expect.stringMatching(/\/destroyed\/2$/), 'ERROR', '_OTHER'],
      [expect.stringMatching(/\/destroyed\/3$/), 'ERROR', '_OTHER'],
    ]);
  });
});

describe('CLIENT spans of requests that bypass http.Agent', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('keeps a span for a request with its own connection or its own agent', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/client-requests-past-the-agent.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      readyPattern: null,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code, app.stderrLines().join('\n')).toBe(0);
    expect(app.stderrLines()).toContain('done');
    const clients = receiver
      .spans()
      .filter((span) => span.kind === 'CLIENT')
      .map((span) => [span.attributes['url.full'], span.attributes['http.response.status_code']]);
    expect(clients).toEqual([
      [expect.stringMatching(/\/own-connection$/), 200],
      [expect.stringMatching(/\/own-agent$/), 200],
    ]);
  });
});

describe('CLIENT spans of requests without a Host header', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('names the IPv6 host it asked, not a host and port split at its colons', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/client-without-host-header.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      readyPattern: null,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code, app.stderrLines().join('\n')).toBe(0);
    const clients = receiver
      .spans()
      .filter((span) => span.kind === 'CLIENT')
      .map((span) => [
        span.attributes['url.full'],
        span.attributes['server.address'],
        span.attributes['server.port'],
      ]);
    expect(clients).toEqual([['http://[::1]:80/no-host-header', '[::1]', 80]]);
  });
});
