// observe() in real processes: the fixture app (Express 5 as an ES module under --import
// lookout/register, Express 4 as CommonJS under --require lookout/register), real HTTP over
// loopback, stdout read back line by line, spans received by a loopback OTLP receiver.

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSum, readEmf, sumEmf } from '../helpers/emf-reader.js';
import { request } from '../helpers/http.js';
import { type JsonLine, readLookoutOutput } from '../helpers/lookout-output.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { sendRaw, sendRawAwaitingResponse } from '../helpers/raw-http.js';
import { spawnApp } from '../helpers/spawn-app.js';

const VARIANTS = [
  { name: 'Express 5, ES module', args: ['--import', 'lookout/register', 'test/fixtures/observed-app.mjs'] },
  {
    name: 'Express 4, CommonJS',
    args: ['--require', 'lookout/register', 'test/fixtures/express4/observed-app.cjs'],
  },
];

const BASE_ENV = {
  OTEL_SERVICE_NAME: 'observed-app',
  LOOKOUT_ENVIRONMENT: 'itest',
  OTEL_TRACES_EXPORTER: 'none',
  // Everything reaches stdout through shutdown(), so sums cover exactly the traffic sent.
  LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '3600000',
};

const USER_AGENT = 'observe-test/1.0';

function accessLines(logs: readonly JsonLine[]): JsonLine[] {
  return logs.filter((line) => line.message === 'request completed');
}

interface Planned {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly route: string | undefined;
  readonly body?: string;
}

const PLAN: readonly Planned[] = [
  {
    id: 'acc-1',
    method: 'GET',
    path: '/api/orders/42?token=query-secret-1',
    status: 200,
    route: '/api/orders/:id',
  },
  {
    id: 'acc-2',
    method: 'POST',
    path: '/api/orders',
    status: 201,
    route: '/api/orders',
    body: JSON.stringify({ items: ['book'] }),
  },
  {
    id: 'acc-3',
    method: 'GET',
    path: '/api/orders/7/status/404',
    status: 404,
    route: '/api/orders/:id/status/:code',
  },
  { id: 'acc-4', method: 'GET', path: '/api/orders/7/fail', status: 500, route: '/api/orders/:id/fail' },
  { id: 'acc-5', method: 'GET', path: '/no/such/route/991', status: 404, route: undefined },
  {
    id: 'acc-6',
    method: 'GET',
    path: '/customers/17/orders/9/items/3',
    status: 200,
    route: '/customers/:customerId/orders/:orderId/items/:itemId',
  },
];

describe.each(VARIANTS)('observe() in $name', ({ args }) => {
  it('writes one access-log line per request, at the level of its status, and nothing for health checks', async () => {
    // Prepare
    const app = await spawnApp({ args, env: BASE_ENV });
    const bytes = new Map<string, number>();

    // Act
    for (const planned of PLAN) {
      const response = await request(`${app.url}${planned.path}`, {
        method: planned.method,
        headers: {
          'x-request-id': planned.id,
          'user-agent': USER_AGENT,
          ...(planned.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(planned.body === undefined ? {} : { body: planned.body }),
      });
      expect(response.status, planned.path).toBe(planned.status);
      expect(response.headers['x-request-id']).toBe(planned.id);
      bytes.set(planned.id, Buffer.byteLength(response.body));
    }
    const excluded = await Promise.all(
      ['/health', '/favicon.ico', '/status'].map((path) =>
        request(`${app.url}${path}`, { headers: { 'x-request-id': `excluded${path.replace(/\W/g, '-')}` } }),
      ),
    );
    await app.stop();

    // Assess
    expect(excluded.map((response) => response.status)).toEqual([200, 404, 200]);
    const { logs, other } = readLookoutOutput(app.stdoutLines());
    expect(other).toEqual([]);
    const lines = accessLines(logs);
    expect(lines.map((line) => line.request_id)).toEqual(PLAN.map((planned) => planned.id));
    for (const planned of PLAN) {
      const line = lines.find((candidate) => candidate.request_id === planned.id) as JsonLine;
      const expectedLevel = planned.status >= 500 ? 'ERROR' : planned.status >= 400 ? 'WARN' : 'INFO';
      expect(line).toMatchObject({
        level: expectedLevel,
        service: 'observed-app',
        environment: 'itest',
        method: planned.method,
        path: planned.path.split('?')[0],
        status: planned.status,
        response_bytes: bytes.get(planned.id),
        user_agent: USER_AGENT,
        client_ip: '127.0.0.1',
      });
      expect(line.route).toBe(planned.route);
      expect(typeof line.duration_ms === 'number' && line.duration_ms >= 0).toBe(true);
      expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    }
    // The query string (and the token in it) is never written.
    expect(app.stdoutLines().join('\n')).not.toContain('query-secret-1');
    // Health checks and the favicon: no access log, no line at all.
    expect(logs.filter((line) => String(line.request_id).startsWith('excluded'))).toEqual([]);
  });

  it('counts a chunked body as the bytes that went on the wire, chunk framing included', async () => {
    // Prepare
    const app = await spawnApp({ args, env: BASE_ENV });

    // Act: read the raw response, to know exactly what the socket carried after the headers.
    const response = await sendRaw(
      app.url,
      'GET /stream HTTP/1.1\r\nHost: x\r\nX-Request-ID: acc-6\r\nConnection: close\r\n\r\n',
    );
    await app.stop();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers).toContainEqual(['transfer-encoding', 'chunked']);
    const line = accessLines(readLookoutOutput(app.stdoutLines()).logs).find(
      (entry) => entry.request_id === 'acc-6',
    );
    expect(line).toMatchObject({ route: '/stream', status: 200 });
    expect(line?.response_bytes).toBe(Buffer.byteLength(response.body, 'latin1'));
  });

  it('keeps serving and logging when the route object cannot be read', async () => {
    // Prepare
    const app = await spawnApp({ args, env: BASE_ENV });

    // Act: the route is read at the end of the request, outside the app's handler.
    const unreadable = await request(`${app.url}/unreadable-route`, {
      headers: { 'x-request-id': 'route-1' },
    });
    const after = await request(`${app.url}/api/orders/3`, { headers: { 'x-request-id': 'route-2' } });
    const exit = await app.stop();

    // Assess
    expect([unreadable.status, after.status]).toEqual([200, 200]);
    expect(exit.signal).toBe('SIGTERM'); // still running when stopped
    const lines = accessLines(readLookoutOutput(app.stdoutLines()).logs);
    expect(lines.map((line) => [line.request_id, line.route])).toEqual([
      ['route-1', undefined],
      ['route-2', '/api/orders/:id'],
    ]);
  });

  it('leaves the interim 100 Continue out of a chunked body', async () => {
    // Prepare
    const app = await spawnApp({ args, env: BASE_ENV });

    // Act: Node answers `Expect: 100-continue` with an interim response before the route runs.
    const response = await sendRaw(
      app.url,
      'GET /stream HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nX-Request-ID: cont-1\r\nConnection: close\r\n\r\n',
    );
    await app.stop();

    // Assess
    expect(response.raw.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK')).toBe(true);
    const final = response.raw.slice(response.raw.indexOf('HTTP/1.1 200'));
    const body = final.slice(final.indexOf('\r\n\r\n') + 4);
    const line = accessLines(readLookoutOutput(app.stdoutLines()).logs).find(
      (entry) => entry.request_id === 'cont-1',
    );
    expect(line?.response_bytes).toBe(Buffer.byteLength(body, 'latin1'));
  });

  it('counts the chunked bodies of pipelined requests each on its own', async () => {
    // Prepare
    const app = await spawnApp({ args, env: BASE_ENV });

    // Act: two requests in one write; Node starts the second while the first is still answered,
    // and holds its response until the first has finished.
    const response = await sendRawAwaitingResponse(
      app.url,
      'GET /slow-stream HTTP/1.1\r\nHost: x\r\nX-Request-ID: pipe-1\r\n\r\n' +
        'GET /stream HTTP/1.1\r\nHost: x\r\nX-Request-ID: pipe-2\r\nConnection: close\r\n\r\n',
    );
    await app.stop();

    // Assess: each response's body is what the socket carried after its own headers.
    const bodies = response.raw
      .split(/(?=HTTP\/1\.1 200)/)
      .map((one) => Buffer.byteLength(one.slice(one.indexOf('\r\n\r\n') + 4), 'latin1'));
    expect(bodies).toHaveLength(2);
    const lines = accessLines(readLookoutOutput(app.stdoutLines()).logs);
    expect(
      ['pipe-1', 'pipe-2'].map((id) => lines.find((line) => line.request_id === id)?.response_bytes),
    ).toEqual(bodies);
  });

  it('records request metrics whose EMF sums equal the requests sent, health checks excluded', async () => {
    // Prepare
    const app = await spawnApp({ args, env: BASE_ENV });
    const sent: Array<{ operation: string; status: number }> = [];
    const plan: Array<[(round: number) => string, string, number]> = [
      [(round) => `/api/orders/${round}`, 'GET /api/orders/:id', 200],
      [(round) => `/api/orders/${round}/status/409`, 'GET /api/orders/:id/status/:code', 409],
      [(round) => `/api/orders/${round}/fail`, 'GET /api/orders/:id/fail', 500],
      [(round) => `/nothing/here/${round}`, 'GET UNMATCHED', 404],
      // A router mounted on a path with a parameter: one operation, not one per customer.
      [
        (round) => `/customers/${round}/orders/${round + 1}`,
        'GET /customers/:customerId/orders/:orderId',
        200,
      ],
    ];

    // Act
    for (let round = 0; round < 15; round++) {
      for (const [path, operation, status] of plan) {
        const response = await request(`${app.url}${path(round)}`);
        expect(response.status).toBe(status);
        sent.push({ operation, status });
      }
      await request(`${app.url}/health`);
      await request(`${app.url}/status`);
    }
    await app.stop();

    // Assess
    const { documents, invalid } = readEmf(app.stdoutLines().join('\n'));
    expect(invalid).toEqual([]);
    const sums = sumEmf(documents);
    const base = { Service: 'observed-app', Environment: 'itest' };
    for (const operation of new Set(sent.map((entry) => entry.operation))) {
      const mine = sent.filter((entry) => entry.operation === operation);
      const dimensions = { ...base, Operation: operation };
      expect(findSum(sums, 'RequestCount', dimensions)?.sum, operation).toBe(mine.length);
      expect(findSum(sums, 'Latency', dimensions)?.sampleCount, operation).toBe(mine.length);
      expect(findSum(sums, 'Error', dimensions)?.sum, operation).toBe(
        mine.filter((entry) => entry.status >= 400 && entry.status < 500).length,
      );
      expect(findSum(sums, 'Fault', dimensions)?.sum, operation).toBe(
        mine.filter((entry) => entry.status >= 500).length,
      );
    }
    expect(findSum(sums, 'RequestCount', base)?.sum).toBe(sent.length);
    const operations = [...sums.values()].map((entry) => entry.dimensions.Operation).filter(Boolean);
    expect(operations.some((operation) => /health|status$/.test(String(operation)))).toBe(false);
    expect(operations.filter((operation) => String(operation).startsWith('GET /customers/'))).toEqual(
      operations.filter((operation) => operation === 'GET /customers/:customerId/orders/:orderId'),
    );
  });
});

describe('observe() when the client goes away', () => {
  it('writes the access-log line with status 499 and aborted: true, and counts the request', async () => {
    // Prepare
    const app = await spawnApp({ args: VARIANTS[0]!.args, env: BASE_ENV });
    const { hostname, port } = new URL(app.url);
    const socket = connect({ host: hostname, port: Number(port) });
    await new Promise((resolve) => socket.once('connect', resolve));

    // Act: send the request, wait until the handler has it, then close the connection.
    socket.write('GET /hang HTTP/1.1\r\nHost: x\r\nX-Request-ID: gone-1\r\n\r\n');
    await app.waitForLine(/"message":"hang received"/);
    socket.destroy();
    await app.waitForLine(
      /"request_id":"gone-1".*"message":"request completed"|"message":"request completed".*"request_id":"gone-1"/,
    );
    await app.stop();

    // Assess
    const line = accessLines(readLookoutOutput(app.stdoutLines()).logs).find(
      (entry) => entry.request_id === 'gone-1',
    );
    expect(line).toMatchObject({
      status: 499,
      aborted: true,
      route: '/hang',
      level: 'WARN',
      response_bytes: 0,
    });
    const sums = sumEmf(readEmf(app.stdoutLines().join('\n')).documents);
    expect(
      findSum(sums, 'Error', { Service: 'observed-app', Environment: 'itest', Operation: 'GET /hang' })?.sum,
    ).toBe(1);
  });
});

describe('observe() and the server span', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it.each([
    ['with the Express instrumentation', {}],
    ['without the Express instrumentation', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'express' }],
  ])('adds the route, request id and enduser.id %s', async (_name, extraEnv) => {
    // Prepare
    receiver.clear();
    const app = await spawnApp({
      args: VARIANTS[0]!.args,
      env: {
        ...BASE_ENV,
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        ...extraEnv,
      },
    });

    // Act
    const response = await request(`${app.url}/api/orders/9`, {
      headers: { 'x-request-id': 'span-req-1', 'x-user': 'alice' },
    });
    await request(`${app.url}/health`);
    await app.stop();

    // Assess
    expect(response.status).toBe(200);
    const servers = receiver.spans().filter((span) => span.kind === 'SERVER');
    expect(servers).toHaveLength(1);
    expect(servers[0]).toMatchObject({
      name: 'GET /api/orders/:id',
      attributes: { request_id: 'span-req-1', 'enduser.id': 'alice', 'http.route': '/api/orders/:id' },
    });
  });

  it('adds enduser.id of a user whose id is a bigint, as its digits', async () => {
    // Prepare
    receiver.clear();
    const app = await spawnApp({
      args: VARIANTS[0]!.args,
      env: { ...BASE_ENV, OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
    });

    // Act
    const response = await request(`${app.url}/api/orders/9`, {
      headers: { 'x-user-bigint': '9007199254740993' },
    });
    await app.stop();

    // Assess
    expect(response.status).toBe(200);
    const servers = receiver.spans().filter((span) => span.kind === 'SERVER');
    expect(servers).toHaveLength(1);
    expect(servers[0]?.attributes['enduser.id']).toBe('9007199254740993');
  });
});

describe('client_ip and trusted proxies', () => {
  it.each([
    ['no trusted proxies: the socket address', {}, '203.0.113.7', '127.0.0.1'],
    [
      "the app's own trust proxy setting: Express's req.ip",
      { APP_TRUST_PROXY: 'loopback' },
      '198.51.100.1, 203.0.113.7',
      '203.0.113.7',
    ],
    [
      'loopback trusted: the hop before it',
      { LOOKOUT_TRUSTED_PROXIES: 'loopback' },
      '203.0.113.7',
      '203.0.113.7',
    ],
    [
      'loopback trusted: a forged leftmost entry is ignored',
      { LOOKOUT_TRUSTED_PROXIES: 'loopback' },
      '198.51.100.1, 203.0.113.7',
      '203.0.113.7',
    ],
    [
      'a trusted subnet: walks through it',
      { LOOKOUT_TRUSTED_PROXIES: 'loopback,203.0.113.0/24' },
      '198.51.100.1, 203.0.113.7',
      '198.51.100.1',
    ],
  ])('%s', async (_name, extraEnv, forwardedFor, expected) => {
    // Prepare
    const app = await spawnApp({ args: VARIANTS[0]!.args, env: { ...BASE_ENV, ...extraEnv } });

    // Act
    await request(`${app.url}/api/orders/5`, {
      headers: { 'x-forwarded-for': forwardedFor, 'x-request-id': 'ip-1' },
    });
    await app.stop();

    // Assess
    const line = accessLines(readLookoutOutput(app.stdoutLines()).logs).find(
      (entry) => entry.request_id === 'ip-1',
    );
    expect(line?.client_ip).toBe(expected);
  });
});
