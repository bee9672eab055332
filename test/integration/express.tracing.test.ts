import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeaderRecorder } from '../helpers/header-recorder.js';
import { request } from '../helpers/http.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

const SERVER = 'SERVER';
const CLIENT = 'CLIENT';

const VARIANTS = [
  {
    name: 'Express 5, ES module, --import lookout/register',
    args: ['--import', 'lookout/register', 'test/fixtures/traced-app.mjs'],
  },
  {
    name: 'Express 5, CommonJS, --require lookout/register',
    args: ['--require', 'lookout/register', 'test/fixtures/traced-app.cjs'],
  },
  { name: 'Express 5, CommonJS, init() on the first line', args: ['test/fixtures/traced-app-init.cjs'] },
  {
    name: 'Express 5, ES module, Express imported before init()',
    args: ['test/fixtures/traced-app-late-init.mjs'],
  },
  {
    name: 'Express 4, CommonJS, --require lookout/register',
    args: ['--require', 'lookout/register', 'test/fixtures/express4/app.cjs'],
  },
  {
    name: 'Express 4, ES module, --import lookout/register',
    args: ['--import', 'lookout/register', 'test/fixtures/express4/app.mjs'],
  },
];

function statusCodeOf(attributes: Record<string, unknown>): unknown {
  return attributes['http.response.status_code'] ?? attributes['http.status_code'];
}

describe.each(VARIANTS)('tracing an app started with $name', ({ args }) => {
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

  it('exports one server span named after the route, with its children and propagated headers', async () => {
    // Prepare
    const app = await spawnApp({
      args,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'traced-app',
        DOWNSTREAM_URL: downstream.url,
      },
    });

    // Act
    const response = await request(`${app.url}/orders/42?expand=items`);
    const health = await request(`${app.url}/health`);
    const exit = await app.stop('SIGTERM');

    // Assess
    expect(response.status).toBe(200);
    expect(health.status).toBe(200);
    expect(exit.signal ?? exit.code).toBeDefined();
    const spans = receiver.spans();
    const servers = spans.filter((span) => span.kind === SERVER);
    expect(servers.map((span) => span.name)).toEqual(['GET /orders/:id']);
    const server = servers[0]!;
    expect(server.attributes['http.route']).toBe('/orders/:id');
    expect(statusCodeOf(server.attributes)).toBe(200);
    expect(server.resource['service.name']).toBe(
      args.includes('test/fixtures/traced-app-init.cjs') ? 'init-in-code' : 'traced-app',
    );
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/orders/42',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'client.address': '127.0.0.1',
      'network.protocol.version': '1.1',
    });
    expect(server.status.code).not.toBe('ERROR');

    // One span per request by default: the server span and its two client spans, no span per
    // Express middleware or handler.
    const trace = spans.filter((span) => span.traceId === server.traceId);
    expect(trace.filter((span) => span.attributes['express.type'] !== undefined)).toEqual([]);
    expect(trace).toHaveLength(3);

    // Outgoing fetch and node:http calls are client spans carrying both propagation headers.
    const clients = trace.filter((span) => span.kind === CLIENT);
    expect(clients).toHaveLength(2);
    for (const client of clients) {
      expect(client.parentSpanId).toBe(server.spanId);
      expect(client.attributes['http.response.status_code']).toBe(200);
      expect(client.attributes['server.address']).toBe('127.0.0.1');
    }
    const outgoing = downstream.received().filter((entry) => entry.path.endsWith('/42'));
    expect(outgoing.map((entry) => entry.path).sort()).toEqual(['/fetch/42', '/http/42']);
    for (const entry of outgoing) {
      // Flags 03: sampled, and random (Lookout generated the trace id; W3C level 2).
      const client = clients.find(
        (span) => entry.headers.traceparent === `00-${span.traceId}-${span.spanId}-03`,
      );
      expect(client, `traceparent ${String(entry.headers.traceparent)}`).toBeDefined();
      expect(entry.headers['x-amzn-trace-id']).toBe(
        `Root=1-${server.traceId.slice(0, 8)}-${server.traceId.slice(8)};Parent=${client!.spanId};Sampled=1`,
      );
    }

    // Health checks and Lookout's own export requests create no spans (docs/design.md decision 7).
    expect(spans.some((span) => String(span.attributes['http.route'] ?? span.name).includes('/health'))).toBe(
      false,
    );
    expect(spans.some((span) => JSON.stringify(span.attributes).includes('/v1/traces'))).toBe(false);
  });

  it('names the span after the route template under mount paths with parameters', async () => {
    // Prepare
    const app = await spawnApp({ args, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });

    // Act
    const responses = [
      await request(`${app.url}/customers/17/orders/9`),
      await request(`${app.url}/customers/18/orders/9/items/3`),
      // A value spelled like the fixed segment after it is still a value.
      await request(`${app.url}/customers/orders/orders/5`),
    ];
    await app.stop('SIGTERM');

    // Assess
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    const servers = receiver
      .spans()
      .filter((span) => span.kind === SERVER && span.name.includes('/customers/'));
    expect(
      servers.map((span) => [span.name, span.attributes['http.route'], span.attributes['url.path']]),
    ).toEqual([
      [
        'GET /customers/:customerId/orders/:orderId',
        '/customers/:customerId/orders/:orderId',
        '/customers/17/orders/9',
      ],
      [
        'GET /customers/:customerId/orders/:orderId/items/:itemId',
        '/customers/:customerId/orders/:orderId/items/:itemId',
        '/customers/18/orders/9/items/3',
      ],
      [
        'GET /customers/:customerId/orders/:orderId',
        '/customers/:customerId/orders/:orderId',
        '/customers/orders/orders/5',
      ],
    ]);
  });
});

describe('trace context on incoming requests', () => {
  let receiver: OtlpReceiver;
  let app: Awaited<ReturnType<typeof spawnApp>>;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/traced-app.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
  });
  afterAll(async () => {
    await app.stop('SIGTERM');
    await receiver.close();
  });

  async function serverSpanFor(headers: Record<string, string>, path: string) {
    const response = await request(`${app.url}${path}`, { headers });
    expect(response.status).toBe(200);
    const [span] = await receiver.waitForSpans(
      (candidate) => candidate.kind === SERVER && candidate.attributes['url.path'] === path,
      { timeoutMs: 10_000 },
    );
    return span!;
  }

  it("continues the caller's trace from traceparent", async () => {
    const span = await serverSpanFor(
      { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      '/orders/tp',
    );

    expect(span.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span.parentSpanId).toBe('b7ad6b7169203331');
  });

  it("continues the caller's trace from X-Amzn-Trace-Id", async () => {
    const span = await serverSpanFor(
      { 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' },
      '/orders/xray',
    );

    expect(span.traceId).toBe('5759e988bd862e3fe1be46a994272793');
    expect(span.parentSpanId).toBe('53995c3f42cd8ad8');
  });

  it('records nothing for a request whose X-Ray header says Sampled=0', async () => {
    await request(`${app.url}/orders/unsampled`, {
      headers: {
        'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272794;Parent=53995c3f42cd8ad9;Sampled=0',
      },
    });
    // A sampled request sent afterwards proves the exporter ran past the unsampled one.
    await serverSpanFor({}, '/orders/after-unsampled');

    expect(receiver.spans().some((span) => span.traceId === '5759e988bd862e3fe1be46a994272794')).toBe(false);
    expect(receiver.spans().some((span) => span.attributes['url.path'] === '/orders/unsampled')).toBe(false);
  });

  it('takes server.address and server.port from the Host header, and no port it does not name', async () => {
    const named = await serverSpanFor({ host: 'shop.example:8443' }, '/orders/host-port');
    const garbled = await serverSpanFor({ host: 'shop.example:abc' }, '/orders/host-garbled');

    expect(named.attributes['server.address']).toBe('shop.example');
    expect(named.attributes['server.port']).toBe(8443);
    expect(garbled.attributes['server.address']).toBe('shop.example');
    expect(garbled.attributes).not.toHaveProperty('server.port');
  });

  it('marks a 5xx response as an error, named after its route', async () => {
    await request(`${app.url}/fail`);
    const [span] = await receiver.waitForSpans(
      (candidate) => candidate.kind === SERVER && candidate.attributes['url.path'] === '/fail',
      { timeoutMs: 10_000 },
    );

    expect(span!.name).toBe('GET /fail');
    expect(span!.attributes['http.response.status_code']).toBe(503);
    expect(span!.status.code).toBe('ERROR');
  });

  it('exports the query string with its secrets redacted', async () => {
    await request(`${app.url}/orders/q?expand=items&token=query-secret-7`);
    const [span] = await receiver.waitForSpans(
      (candidate) => candidate.kind === SERVER && candidate.attributes['url.path'] === '/orders/q',
      { timeoutMs: 10_000 },
    );

    expect(String(span!.attributes['url.query'])).toContain('expand=items');
    expect(Object.values(span!.attributes).map(String).join(' ')).not.toContain('query-secret-7');
  });

  it("nests the app's own @opentelemetry/api spans under the server span", async () => {
    await request(`${app.url}/nested`);
    const [server] = await receiver.waitForSpans(
      (candidate) => candidate.kind === SERVER && candidate.attributes['url.path'] === '/nested',
      { timeoutMs: 10_000 },
    );
    const [own] = await receiver.waitForSpans(
      (candidate) => candidate.name === 'load order' && candidate.traceId === server!.traceId,
      { timeoutMs: 10_000 },
    );

    expect(server!.name).toBe('GET /nested');
    expect(own!.parentSpanId).toBe(server!.spanId);
  });

  it.each([
    { name: 'Express 5, CommonJS', args: ['--require', 'lookout/register', 'test/fixtures/traced-app.cjs'] },
    {
      name: 'Express 4, CommonJS',
      args: ['--require', 'lookout/register', 'test/fixtures/express4/app.cjs'],
    },
  ])(
    'adds Express middleware spans under the server span when LOOKOUT_EXPRESS_MIDDLEWARE_SPANS=true ($name)',
    async ({ args }) => {
      // Prepare
      const app = await spawnApp({
        args,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, LOOKOUT_EXPRESS_MIDDLEWARE_SPANS: 'true' },
      });

      // Act
      await request(`${app.url}/orders/7`);
      await app.stop('SIGTERM');

      // Assess
      const spans = receiver.spans();
      const server = spans.find(
        (span) => span.kind === SERVER && span.attributes['url.path'] === '/orders/7',
      );
      expect(server?.name).toBe('GET /orders/:id');
      const handler = spans.find(
        (span) => span.traceId === server!.traceId && span.attributes['express.type'] === 'request_handler',
      );
      expect(handler?.attributes['http.route']).toBe('/orders/:id');
      expect(handler?.kind).toBe('INTERNAL');
    },
  );

  it('starts new traces with X-Ray compatible ids whose first 8 hex digits are the epoch seconds', async () => {
    const before = Math.floor(Date.now() / 1000);
    const span = await serverSpanFor({}, '/orders/fresh');
    const after = Math.ceil(Date.now() / 1000);

    const epoch = Number.parseInt(span.traceId.slice(0, 8), 16);
    expect(epoch).toBeGreaterThanOrEqual(before);
    expect(epoch).toBeLessThanOrEqual(after);
    expect(span.parentSpanId).toBeUndefined();
  });
});
