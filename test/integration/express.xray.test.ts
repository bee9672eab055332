import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppProcess, fixture, startApp } from '../helpers/node-process.js';
import {
  assembleTraces,
  DAEMON_MAX_DATAGRAM_BYTES,
  type ReceivedDocument,
  startXRayDaemon,
  type TraceNode,
  type XRayDaemon,
} from '../helpers/xray-daemon.js';

// The same bound the exporter keeps to (src/tracing/xray/fit-datagrams.ts).
const LOOKOUT_MAX_DATAGRAM_BYTES = 64_000;

interface Stub {
  readonly url: string;
  readonly requests: Array<{ url: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** The app's downstream service: a loopback HTTP server that records what it was sent. */
async function startStub(): Promise<Stub> {
  const requests: Stub['requests'] = [];
  const server: Server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ available: 3 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function startTracedApp(daemonAddress: string, stubUrl: string): Promise<AppProcess> {
  return startApp(['--import', 'lookout/register', fixture('xray-express-app.mjs')], {
    OTEL_TRACES_EXPORTER: 'xray',
    OTEL_SERVICE_NAME: 'orders-api',
    AWS_XRAY_DAEMON_ADDRESS: daemonAddress,
    LOOKOUT_XRAY_ANNOTATIONS: 'http.route',
    // Middleware spans are a debugging option (one span per request by default); they are on
    // here so that a deep tree, subsegments under subsegments, is what goes to the daemon.
    LOOKOUT_EXPRESS_MIDDLEWARE_SPANS: 'true',
    // Export soon after each request rather than every 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '50',
    // Redaction cuts strings at this length before any exporter sees them (10,000 by
    // default); at its maximum the 1 MB attribute still reaches the X-Ray exporter far over
    // one datagram, so the exporter's own truncation is what gets tested.
    LOOKOUT_LOG_MAX_STRING_LENGTH: '1000000',
    STUB_URL: stubUrl,
  });
}

function descendants(node: TraceNode): TraceNode[] {
  return node.children.flatMap((child) => [child, ...descendants(child)]);
}

function findTrace(daemon: XRayDaemon, isRoot: (document: ReceivedDocument) => boolean) {
  return [...assembleTraces(daemon.documents()).values()].find((trace) =>
    trace.roots.some((root) => isRoot(root.document)),
  );
}

let daemon: XRayDaemon;
let stub: Stub;
let app: AppProcess | undefined;

beforeEach(async () => {
  daemon = await startXRayDaemon();
  stub = await startStub();
});

afterEach(async () => {
  await app?.stop('SIGKILL');
  app = undefined;
  await daemon.close();
  await stub.close();
});

describe('Express traced to X-Ray directly (OTEL_TRACES_EXPORTER=xray)', () => {
  it('sends a request with middleware and an outgoing fetch as one correctly parented tree', async () => {
    // Prepare
    app = await startTracedApp(daemon.address, stub.url);

    // Act
    const response = await fetch(`${app.url}/orders/7`);
    await response.json();
    const isOrderSegment = (document: ReceivedDocument) =>
      String(document.http?.request?.url).endsWith('/orders/7');
    await daemon.waitForDocuments(() => {
      const trace = findTrace(daemon, isOrderSegment);
      return (
        trace !== undefined && [...trace.nodes.values()].some((node) => node.document.namespace === 'remote')
      );
    });

    // Assess: one trace, one root: the segment for the request, with nothing left dangling.
    expect(response.status).toBe(200);
    expect(daemon.problems()).toEqual([]);
    const trace = findTrace(daemon, isOrderSegment)!;
    expect(trace.roots).toHaveLength(1);
    const segment = trace.roots[0]!;
    expect(segment.document).toMatchObject({
      name: 'orders-api',
      http: { request: { method: 'GET' }, response: { status: 200 } },
      annotations: { http_route: '/orders/:id' },
    });
    expect(segment.document.parent_id).toBeUndefined();
    expect(segment.document.type).toBeUndefined();

    // Express middleware and the route handler are subsegments under the segment.
    const names = descendants(segment).map((node) => String(node.document.name));
    expect(names.some((name) => name.startsWith('middleware'))).toBe(true);
    expect(names.some((name) => name.startsWith('request handler'))).toBe(true);

    // The fetch is a remote subsegment named after the host it called, nested under the segment.
    const call = descendants(segment).find((node) => node.document.namespace === 'remote')!;
    expect(call.document).toMatchObject({
      name: '127.0.0.1',
      http: { request: { method: 'GET', url: `${stub.url}/inventory/7` }, response: { status: 200 } },
    });

    // The downstream service was told the same trace and the fetch subsegment as its parent.
    const sent = stub.requests.find((request) => request.url === '/inventory/7');
    expect(sent?.headers['x-amzn-trace-id']).toContain(`Root=${trace.traceId}`);
    expect(sent?.headers['x-amzn-trace-id']).toContain(`Parent=${String(call.document.id)}`);
  });

  it("continues a caller's X-Amzn-Trace-Id written in upper-case hex, in lower case", async () => {
    // Prepare: hex digits are case-insensitive in an X-Ray header; X-Ray SDKs write lower case,
    // a hand-written or other caller may not.
    app = await startTracedApp(daemon.address, stub.url);
    const traceId = '1-5759e988-bd862e3fe1be46a994272793';
    const parentId = '53995c3f42cd8ad8';

    // Act
    const response = await fetch(`${app.url}/orders/8`, {
      headers: {
        'x-amzn-trace-id': `Root=${traceId.toUpperCase()};Parent=${parentId.toUpperCase()};Sampled=1`,
      },
    });
    await response.json();
    // The request's segment, not only the fetch's subsegment, which may be exported first.
    const isSegment = (document: ReceivedDocument) =>
      document.trace_id === traceId && document.name === 'orders-api';
    await daemon.waitForDocuments(() => findTrace(daemon, isSegment) !== undefined);

    // Assess: the request's segment is in the caller's trace, under the caller's segment, and
    // the downstream call carries both headers in the form their specifications require.
    expect(response.status).toBe(200);
    expect(daemon.problems()).toEqual([]);
    const trace = findTrace(daemon, isSegment)!;
    expect(trace.roots).toHaveLength(1);
    expect(trace.roots[0]!.document).toMatchObject({ name: 'orders-api', parent_id: parentId });
    const sent = stub.requests.find((request) => request.url === '/inventory/8');
    expect(sent?.headers.traceparent).toMatch(/^00-5759e988bd862e3fe1be46a994272793-[0-9a-f]{16}-01$/);
    expect(sent?.headers['x-amzn-trace-id']).toMatch(
      new RegExp(`^Root=${traceId};Parent=[0-9a-f]{16};Sampled=1$`),
    );
  });

  it('exports a span renamed to undefined, and the rest of its batch, instead of losing them', async () => {
    // Prepare
    app = await startTracedApp(daemon.address, stub.url);
    const isRenameSegment = (document: ReceivedDocument) =>
      String(document.http?.request?.url).endsWith('/rename');

    // Act
    const response = await fetch(`${app.url}/rename`);
    await response.json();
    await daemon.waitForDocuments(() => {
      const trace = findTrace(daemon, isRenameSegment);
      return trace !== undefined && trace.nodes.size >= 3;
    });

    // Assess: the request's segment, its handler, and the renamed span, named as given.
    expect(response.status).toBe(200);
    expect(daemon.problems()).toEqual([]);
    const segment = findTrace(daemon, isRenameSegment)!.roots[0]!;
    expect(descendants(segment).map((node) => node.document.name)).toContain('undefined');
    expect(app.stderr()).not.toContain('LOOKOUT_EXPORT_FAILED');
  });

  it('never sends a datagram over 64 KiB, even for a 1 MB attribute and a segment too big for one', async () => {
    // Prepare
    app = await startTracedApp(daemon.address, stub.url);

    // Act
    const response = await fetch(`${app.url}/big`);
    const isBigSegment = (document: ReceivedDocument) => String(document.http?.request?.url).endsWith('/big');
    await daemon.waitForDocuments(() => {
      const trace = findTrace(daemon, isBigSegment);
      const chunks = [...(trace?.nodes.values() ?? [])].filter((node) =>
        String(node.document.name).startsWith('chunk'),
      );
      return chunks.length >= 120;
    });

    // Assess
    expect(response.status).toBe(200);
    expect(daemon.problems()).toEqual([]);
    expect(daemon.largestDatagram()).toBeLessThanOrEqual(LOOKOUT_MAX_DATAGRAM_BYTES);
    expect(daemon.largestDatagram()).toBeLessThanOrEqual(DAEMON_MAX_DATAGRAM_BYTES);
    const trace = findTrace(daemon, isBigSegment)!;
    expect(trace.roots).toHaveLength(1);
    const segment = trace.roots[0]!;
    // The attribute was set on the active span: Express's request handler span.
    const holder = descendants(segment).find(
      (node) => node.document.metadata?.default?.['big.value'] !== undefined,
    );
    expect(holder?.document.name).toMatch(/^request handler/);
    expect(String(holder?.document.metadata?.default?.['big.value'])).toMatch(/…\[truncated by lookout\]$/);
    // Split: some chunks arrived as separately sent subsegments, all still under the segment.
    const chunks = descendants(segment).filter((node) => String(node.document.name).startsWith('chunk'));
    expect(chunks).toHaveLength(120);
    const separate = daemon
      .documents()
      .filter((document) => document.type === 'subsegment' && document.trace_id === trace.traceId);
    expect(separate.length).toBeGreaterThan(0);
    expect(app.stderr()).toContain('LOOKOUT_XRAY_DOCUMENT_TRUNCATED');
  });

  it('keeps serving and shuts down cleanly with no daemon listening', async () => {
    // Prepare: an address where nothing listens.
    const nobody = await startXRayDaemon();
    const address = nobody.address;
    await nobody.close();
    app = await startTracedApp(address, stub.url);

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await fetch(`${app.url}/orders/${i}`)).status);
    const stats = (await (await fetch(`${app.url}/flush`)).json()) as { exportedSpans: number };
    const ended = await app.stop('SIGTERM');

    // Assess
    expect(statuses).toEqual(Array(10).fill(200));
    expect(stats.exportedSpans).toBeGreaterThan(0);
    expect(app.stdout()).toContain('shutdown resolved');
    expect(ended).toEqual({ code: 0, signal: null });
    expect(app.stderr()).not.toMatch(/Error|LOOKOUT_/);
  });

  it('reports send failures once, counts them all, and keeps serving', async () => {
    // Prepare: the kernel refuses every datagram to the broadcast address.
    app = await startTracedApp('255.255.255.255:2000', stub.url);

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await fetch(`${app.url}/orders/${i}`)).status);
      await fetch(`${app.url}/flush`);
    }
    const stats = (await (await fetch(`${app.url}/flush`)).json()) as { failedExports: number };
    const ended = await app.stop('SIGTERM');

    // Assess
    expect(statuses).toEqual([200, 200, 200]);
    expect(stats.failedExports).toBeGreaterThanOrEqual(3);
    const reports = app
      .stderr()
      .split('\n')
      .filter((line) => line.includes('LOOKOUT_EXPORT_FAILED'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain('the X-Ray daemon at 255.255.255.255:2000');
    expect(ended.code).toBe(0);
  });
});
