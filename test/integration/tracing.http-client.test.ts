// CLIENT spans of outgoing requests of unusual shapes. Node publishes
// `http.client.response.finish` only for ordinary responses: a 101 to an upgrade request and the
// answer to a CONNECT are handed to the app (or the socket is destroyed) without it. A request to
// a forward proxy names its whole target URL as its path. An aborted fetch() fails with a
// DOMException, whose code is a number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});

/**
 * Runs a fixture of test/fixtures/ under `--import lookout/register` (after `flags`) until it has
 * made its requests and exited, its spans at the receiver alone.
 */
async function runToExit(fixture: string, flags: string[] = []) {
  receiver.clear();
  const app = await spawnApp({
    args: [...flags, '--import', 'lookout/register', `test/fixtures/${fixture}`],
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
    readyPattern: null,
  });
  const exit = await app.exited;
  expect(exit.code, app.stderrLines().join('\n')).toBe(0);
  return app;
}

describe('CLIENT spans of unusual requests', () => {
  it('ends and exports each one with the status it was answered with and the URL it asked for', async () => {
    // Act
    const app = await runToExit('unusual-client-requests.mjs');

    // Assess
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
  it('sends one traceparent, the CLIENT span as the parent, from fetch() as from http.request', async () => {
    // Act
    const app = await runToExit('client-own-trace-headers.mjs');

    // Assess
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
  it('ends and exports the handshake with its 101 status', async () => {
    // Prepare
    const flags = typeof WebSocket === 'undefined' ? ['--experimental-websocket'] : [];

    // Act
    const app = await runToExit('websocket-client.mjs', flags);

    // Assess
    expect(app.stderrLines()).toEqual(expect.arrayContaining(['open', 'done']));
    const clients = receiver
      .spans()
      .filter((span) => span.kind === 'CLIENT')
      .map((span) => [span.attributes['url.full'], span.attributes['http.response.status_code']]);
    expect(clients).toEqual([[expect.stringMatching(/\/live$/), 101]]);
  });
});

describe('CLIENT spans of requests destroyed with values that are not Errors', () => {
  it('hands the app its value, keeps the process up and ends each span as failed', async () => {
    // Act
    const app = await runToExit('client-destroyed-with-odd-values.mjs');

    // Assess
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
  it('keeps a span for a request with its own connection or its own agent', async () => {
    // Act
    const app = await runToExit('client-requests-past-the-agent.mjs');

    // Assess
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
  it('names the IPv6 host it asked, not a host and port split at its colons', async () => {
    // Act
    await runToExit('client-without-host-header.mjs');

    // Assess
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

  it('records the port it called, not the default one', async () => {
    // Act
    const app = await runToExit('client-without-host-header-port.mjs');

    // Assess
    const port = Number(
      app
        .stderrLines()
        .find((line) => line.startsWith('port '))
        ?.slice('port '.length),
    );
    const clients = receiver
      .spans()
      .filter((span) => span.kind === 'CLIENT')
      .map((span) => [span.attributes['url.full'], span.attributes['server.port']]);
    expect(clients).toEqual([
      [`http://127.0.0.1:${port}/through-the-agent`, port],
      [`http://127.0.0.1:${port}/own-connection`, port],
    ]);
  });
});

describe('CLIENT spans of calls that carry their own tracestate', () => {
  it("sends the CLIENT span's tracestate with its traceparent, never the app's", async () => {
    // Act
    const app = await runToExit('client-own-tracestate.mjs');

    // Assess
    const received = app
      .stderrLines()
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { path: string; traceparent: string[]; tracestate: string[] });
    // A trace Lookout starts has no tracestate; one it continues has its caller's.
    expect(received.map(({ path, tracestate }) => [path, tracestate])).toEqual([
      ['/http-alone', []],
      ['/fetch-alone', []],
      ['/http-in-request', ['caller=upstream']],
      ['/fetch-in-request', ['caller=upstream']],
    ]);
    for (const { path, traceparent } of received) {
      const client = receiver
        .spans()
        .find((span) => span.kind === 'CLIENT' && String(span.attributes['url.full']).endsWith(path));
      expect(traceparent, path).toEqual([expect.stringMatching(`^00-${client?.traceId}-${client?.spanId}-`)]);
    }
  });
});

describe('CLIENT spans of requests whose header Node renders at once', () => {
  it('sends Expect: 100-continue and array-given headers with the CLIENT span as the parent', async () => {
    // Act
    const app = await runToExit('client-rendered-headers.mjs');

    // Assess
    const received = app
      .stderrLines()
      .filter((line) => line.startsWith('{'))
      .map(
        (line) =>
          JSON.parse(line) as { path: string; body?: string; traceparent: string[]; tracestate?: string[] },
      );
    expect(received.map(({ path, body, tracestate }) => [path, body, tracestate])).toEqual([
      ['/expect', 'body', []],
      ['/array', '', []],
      ['/array-expect', 'body', []],
      ['/array-upgrade', undefined, undefined],
    ]);
    const clients = receiver.spans().filter((span) => span.kind === 'CLIENT');
    for (const { path, traceparent } of received) {
      const client = clients.find((span) => String(span.attributes['url.full']).endsWith(path));
      expect(client, path).toBeDefined();
      expect(traceparent, path).toEqual([expect.stringMatching(`^00-${client?.traceId}-${client?.spanId}-`)]);
    }
  });

  it('reads the host, port and upgrade from array-given headers', async () => {
    // Act
    const app = await runToExit('client-rendered-headers.mjs');

    // Assess
    const port = Number(
      app
        .stderrLines()
        .find((line) => line.startsWith('port '))
        ?.slice('port '.length),
    );
    const clients = receiver
      .spans()
      .filter((span) => span.kind === 'CLIENT')
      .map((span) => [
        span.attributes['url.full'],
        span.attributes['server.address'],
        span.attributes['server.port'],
        span.attributes['http.response.status_code'],
      ]);
    const url = `http://127.0.0.1:${port}`;
    expect(clients).toEqual([
      [`${url}/expect`, '127.0.0.1', port, 200],
      [`${url}/array`, '127.0.0.1', port, 200],
      [`${url}/array-expect`, '127.0.0.1', port, 200],
      [`${url}/array-upgrade`, '127.0.0.1', port, 101],
    ]);
  });
});

describe('CLIENT spans of requests aborted before they had a socket', () => {
  it('ends and exports each one as aborted, and the app sees what it saw without Lookout', async () => {
    // Act
    const app = await runToExit('client-aborted-before-socket.mjs');

    // Assess
    expect(app.stderrLines().filter((line) => line.startsWith('/') || line === 'done')).toEqual([
      '/aborted-at-once close',
      '/first close',
      '/aborted-while-waiting close',
      'done',
    ]);
    const clients = receiver
      .spans()
      .filter((span) => span.kind === 'CLIENT')
      .map((span) => [
        new URL(String(span.attributes['url.full'])).pathname,
        span.status.code,
        span.attributes['error.type'],
      ]);
    expect(clients).toEqual(
      expect.arrayContaining([
        ['/aborted-at-once', 'ERROR', 'ABORT_ERR'],
        ['/aborted-while-waiting', 'ERROR', 'ABORT_ERR'],
        ['/first', 'UNSET', undefined],
      ]),
    );
    expect(clients).toHaveLength(3);
  });
});

describe('CLIENT spans of requests Node throws on', () => {
  it('hands the app its error and ends the span with it', async () => {
    // Act
    const app = await runToExit('client-thrown-by-node.mjs');

    // Assess
    expect(app.stderrLines().filter((line) => line.startsWith('threw') || line === 'done')).toEqual([
      'threw ERR_SOCKET_BAD_PORT',
      'done',
    ]);
    const clients = receiver
      .spans()
      .filter((span) => span.kind === 'CLIENT')
      .map((span) => [span.attributes['url.full'], span.status.code, span.attributes['error.type']]);
    expect(clients).toEqual([['http://127.0.0.1:99999/bad-port', 'ERROR', 'ERR_SOCKET_BAD_PORT']]);
  });
});
