// X-Ray segment documents from a real Express app, sent over UDP to the daemon stand-in, which
// checks each one against AWS's published segment document schema (test/helpers/xray-daemon.ts).
// What a request cannot make invalid: a URL far over 250 characters with a secret in its query,
// a long User-Agent; and the server segment carries the response's size.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, fixture, startApp } from '../helpers/node-process.js';
import { type ReceivedDocument, startXRayDaemon, type XRayDaemon } from '../helpers/xray-daemon.js';

const SECRET = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
let daemon: XRayDaemon;
let stub: Server;
let app: AppProcess;

beforeAll(async () => {
  daemon = await startXRayDaemon();
  stub = createServer((_request, response) => response.end('{"available":3}'));
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const address = stub.address();
  app = await startApp(['--import', 'lookout/register', fixture('xray-express-app.mjs')], {
    OTEL_TRACES_EXPORTER: 'xray',
    OTEL_SERVICE_NAME: 'orders-api',
    AWS_XRAY_DAEMON_ADDRESS: daemon.address,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    STUB_URL: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`,
  });
});

afterAll(async () => {
  await app?.stop('SIGKILL');
  await daemon?.close();
  await new Promise((resolve) => stub?.close(resolve));
});

describe('X-Ray segment documents from a real server', () => {
  it('keeps a long URL within 250 characters, redacted first, with the content length', async () => {
    // Prepare
    const query = `page=2&api_key=${SECRET}&q=${'shoes '.repeat(60).trim()}&sort=asc`;
    const path = '/orders/7';

    // Act
    const response = await fetch(`${app.url}${path}?${query}`, {
      headers: { 'user-agent': `conformance-test/1.0 ${'(compatible; long agent) '.repeat(20)}` },
    });
    const body = await response.text();
    const isServer = (document: ReceivedDocument) =>
      document.type !== 'subsegment' && String(document.http?.request?.url).includes(path);
    await daemon.waitForDocuments((received) => received.some((entry) => isServer(entry.document)));

    // Assess
    expect(response.status).toBe(200);
    expect(daemon.problems()).toEqual([]);
    const segment = daemon.documents().find(isServer)!;
    const url = String(segment.http?.request?.url);
    expect(Array.from(url).length).toBeLessThanOrEqual(250);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/orders\/7\?page=2&api_key=/);
    expect(JSON.stringify(daemon.documents())).not.toContain(SECRET);
    expect(Array.from(String(segment.http?.request?.user_agent)).length).toBeLessThanOrEqual(250);
    expect(segment.http?.response).toEqual({ status: 200, content_length: Buffer.byteLength(body) });
  });
});
