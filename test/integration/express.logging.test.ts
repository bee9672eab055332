import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type SpawnedApp, spawnApp } from '../helpers/spawn-app-for-logging.js';

// Real processes against the built package: an Express 5 app started with
// `node --import lookout/register`, real HTTP over loopback, log lines read from its stdout.

type Line = Record<string, unknown>;

const APP = 'test/fixtures/logging-express-app.mjs';
const BASE_ENV = { OTEL_TRACES_EXPORTER: 'none', OTEL_SERVICE_NAME: 'orders-it', PORT: '0' };

let app: SpawnedApp | undefined;

afterEach(async () => {
  await app?.stop('SIGKILL');
  app = undefined;
});

function start(env: Record<string, string> = {}, preload: string[] = []): SpawnedApp {
  app = spawnApp({
    args: [...preload.flatMap((file) => ['--import', file]), '--import', 'lookout/register', APP],
    env: { ...BASE_ENV, ...env },
  });
  return app;
}

async function baseUrl(running: SpawnedApp): Promise<string> {
  const line = await running.waitForLine((text) => text.includes('"message":"listening"'));
  return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
}

function parseAll(lines: readonly string[]): Line[] {
  return lines.filter((line) => line !== '').map((line) => JSON.parse(line) as Line);
}

interface Sent {
  requestId: string;
  traceId: string;
  secrets: string[];
}

async function sendOrder(url: string, index: number): Promise<Sent> {
  const requestId = `req-${index}-${randomBytes(4).toString('hex')}`;
  const traceId = randomBytes(16).toString('hex');
  const bearer = `tok${randomBytes(12).toString('hex')}`;
  const apiKey = `key-${randomBytes(8).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const email = `buyer${index}x${randomBytes(3).toString('hex')}@example.com`;
  const card = '4111 1111 1111 1111';
  const response = await fetch(`${url}/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-request-id': requestId,
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      authorization: `Bearer ${bearer}`,
      'x-api-key': apiKey,
      cookie: `session=${password}`,
    },
    body: JSON.stringify({ id: index, customer: { email, password, cardNumber: card }, note: `pay ${card}` }),
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  return { requestId, traceId, secrets: [bearer, apiKey, password, email, card, card.replaceAll(' ', '')] };
}

describe('logging in an Express app under load, through observe()', () => {
  it('keeps request_id and trace ids of 500 concurrent requests on their own lines, with secrets redacted', async () => {
    const running = start({}, ['./test/fixtures/logging-preload.mjs']);
    const url = await baseUrl(running);

    const sent = await Promise.all(Array.from({ length: 500 }, (_unused, index) => sendOrder(url, index)));
    const exit = await running.stop('SIGTERM');
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);

    // Every stdout line is one valid JSON object.
    const lines = parseAll(running.stdoutLines);
    const byRequest = new Map(sent.map((request) => [request.requestId, request]));
    const requestLines = lines.filter((line) => line.request_id !== undefined);
    // Three lines from the handler and observe()'s access-log line, for each request.
    expect(requestLines).toHaveLength(500 * 4);
    const perRequest = new Map<string, number>();
    for (const line of requestLines) {
      const request = byRequest.get(String(line.request_id));
      expect(request, `unknown request_id ${String(line.request_id)}`).toBeDefined();
      const traceId = request?.traceId ?? '';
      expect(line.trace_id).toBe(traceId);
      expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
      expect(line.xray_trace_id).toBe(`1-${traceId.slice(0, 8)}-${traceId.slice(8)}`);
      perRequest.set(String(line.request_id), (perRequest.get(String(line.request_id)) ?? 0) + 1);
    }
    expect([...perRequest.values()].every((count) => count === 4)).toBe(true);
    const accessLines = requestLines.filter((line) => line.message === 'request completed');
    expect(accessLines).toHaveLength(500);
    expect(accessLines.every((line) => line.route === '/orders' && line.status === 200)).toBe(true);
    expect(perRequest.size).toBe(500);

    // The validated line carries the request headers and body: redacted, never the secrets.
    const validated = requestLines.find((line) => line.message === 'order validated');
    expect(validated?.headers).toMatchObject({
      authorization: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      cookie: '[REDACTED]',
    });
    expect(validated?.order).toMatchObject({
      customer: { password: '[REDACTED]', cardNumber: '[REDACTED]' },
      note: 'pay [REDACTED]',
    });
    const order = validated?.order as { customer?: { email?: string } } | undefined;
    expect(order?.customer?.email).toMatch(/^bu\*\*\*@example\.com$/);
    const stdout = running.stdoutLines.join('\n');
    for (const { secrets } of sent) for (const secret of secrets) expect(stdout).not.toContain(secret);

    // The line logged by a module loaded before lookout/register ran init().
    const early = lines.find((line) => line.message === 'logged before init');
    expect(early).toMatchObject({
      level: 'INFO',
      service: 'orders-it',
      password: '[REDACTED]',
      contact: 'pr***@example.com',
    });
    expect(lines.indexOf(early as Line)).toBe(0);
    expect(stdout).not.toContain('preload-secret-password');
    expect(running.stderr()).toBe('');
  });

  it.each([
    ['WARN', ['WARN']],
    ['DEBUG', ['DEBUG', 'INFO', 'INFO', 'WARN', 'INFO']],
  ])('writes only lines at or above POWERTOOLS_LOG_LEVEL=%s', async (level, expected) => {
    const running = start({ POWERTOOLS_LOG_LEVEL: level });
    const { requestId } = await sendOrder(await baseUrl(running), 1);
    await running.stop('SIGTERM');
    const levels = parseAll(running.stdoutLines)
      .filter((line) => line.request_id === requestId)
      .map((line) => line.level);
    expect(levels).toEqual(expected);
  });
});

/**
 * Sends `first` on a new connection, waits for its whole response, then sends `second` on the
 * same (kept-alive) connection, and resolves when the server closes it.
 */
function sendTwoOnOneConnection(url: string, first: string, second: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let received = '';
    let sentSecond = false;
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(first));
    socket.setEncoding('latin1');
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (!sentSecond && received.includes('{"ok":true}')) {
        sentSecond = true;
        socket.write(second);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}

describe('the context of a request on a kept-alive connection', () => {
  it('is not the context of a later request Node refuses on the same connection', async () => {
    // Prepare
    const running = start();
    const url = await baseUrl(running);
    const requestId = `req-kept-${randomBytes(4).toString('hex')}`;
    const traceId = randomBytes(16).toString('hex');
    const body = JSON.stringify({ id: 1 });
    const order = [
      'POST /orders HTTP/1.1',
      'Host: x',
      'Content-Type: application/json',
      `Content-Length: ${body.length}`,
      `X-Request-ID: ${requestId}`,
      `traceparent: 00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      '',
      body,
    ].join('\r\n');

    // Act: a header line without a colon, which Node refuses with 'clientError'.
    await sendTwoOnOneConnection(url, order, 'GET /orders HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n');
    await running.waitForLine((line) => line.includes('"message":"request refused"'));
    await running.stop('SIGTERM');

    // Assess: the order's lines carry its ids; the refused request's line carries none of them.
    const lines = parseAll(running.stdoutLines);
    expect(lines.filter((line) => line.request_id === requestId).length).toBeGreaterThan(0);
    const refused = lines.find((line) => line.message === 'request refused');
    expect(refused).toMatchObject({ level: 'WARN', code: 'HPE_INVALID_HEADER_TOKEN' });
    expect(refused).not.toHaveProperty('request_id');
    expect(refused).not.toHaveProperty('trace_id');
    expect(refused).not.toHaveProperty('span_id');
  });
});
