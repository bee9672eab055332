// errorHandler() in real processes: responses under NODE_ENV=production and development, the
// one error log line per failure, and the exception recorded on the server span.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { type JsonLine, readLookoutOutput } from '../helpers/lookout-output.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { sendRaw } from '../helpers/raw-http.js';
import { spawnApp } from '../helpers/spawn-app.js';

const VARIANTS = [
  { name: 'Express 5, ES module', args: ['--import', 'lookout/register', 'test/fixtures/observed-app.mjs'] },
  {
    name: 'Express 4, CommonJS',
    args: ['--require', 'lookout/register', 'test/fixtures/express4/observed-app.cjs'],
  },
];

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly requestId: string;
}

async function ask(url: string, path: string, requestId: string): Promise<Answer> {
  const response = await request(`${url}${path}`, { headers: { 'x-request-id': requestId } });
  return {
    status: response.status,
    body: JSON.parse(response.body) as Record<string, unknown>,
    requestId: String(response.headers['x-request-id']),
  };
}

describe.each(VARIANTS)('errorHandler() in $name', ({ args }) => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  /** The app in production, its spans to the receiver (emptied first) or, untraced, nowhere. */
  const startInProduction = (traced: boolean) => {
    if (traced) receiver.clear();
    return spawnApp({
      args,
      env: traced
        ? { NODE_ENV: 'production', OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }
        : { NODE_ENV: 'production', OTEL_TRACES_EXPORTER: 'none' },
    });
  };

  it('answers production requests without stack, 5xx message or internal fields', async () => {
    // Prepare
    const app = await startInProduction(false);

    // Act
    const fault = await ask(app.url, '/api/orders/7/fail', 'prod-1');
    const thrown = await ask(app.url, '/throws', 'prod-2');
    const missing = await ask(app.url, '/missing', 'prod-3');
    await app.stop();

    // Assess
    expect(fault).toEqual({
      status: 500,
      body: { error: 'Internal Server Error', requestId: 'prod-1' },
      requestId: 'prod-1',
    });
    expect(thrown.status).toBe(500);
    expect(thrown.body).toEqual({ error: 'Internal Server Error', requestId: 'prod-2' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'order 7 does not exist', requestId: 'prod-3' });
  });

  it.each([
    ['on ECS', { AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE' }],
    ['on Lambda', { AWS_LAMBDA_FUNCTION_NAME: 'orders-api', AWS_REGION: 'eu-west-1' }],
  ])('answers as in production %s with NODE_ENV unset', async (_where, runtimeEnv) => {
    // Prepare: nothing names the environment; Lookout's own resolves to production on AWS.
    const app = await spawnApp({ args, env: { ...runtimeEnv, OTEL_TRACES_EXPORTER: 'none' } });

    // Act
    const fault = await ask(app.url, '/api/orders/7/fail', 'aws-1');
    await app.stop();

    // Assess
    expect(fault.body).toEqual({ error: 'Internal Server Error', requestId: 'aws-1' });
  });

  it('adds the message, name, code, stack and own fields in development', async () => {
    // Prepare
    const app = await spawnApp({ args, env: { NODE_ENV: 'development', OTEL_TRACES_EXPORTER: 'none' } });

    // Act
    const fault = await ask(app.url, '/api/orders/7/fail', 'dev-1');
    const missing = await ask(app.url, '/missing', 'dev-2');
    await app.stop();

    // Assess
    expect(fault.status).toBe(500);
    expect(fault.body).toMatchObject({
      error: 'inventory lookup failed for order 7 (host db-internal.example)',
      requestId: 'dev-1',
      name: 'Error',
      code: 'E_INVENTORY',
      details: { internalQuery: 'SELECT * FROM orders' },
    });
    const stack = fault.body.stack as string[];
    expect(stack[0]).toBe('Error: inventory lookup failed for order 7 (host db-internal.example)');
    expect(stack.some((line) => line.includes('observed-routes.cjs'))).toBe(true);
    expect(missing).toMatchObject({
      status: 404,
      body: { error: 'order 7 does not exist', requestId: 'dev-2' },
    });
  });

  it('logs each error once with its stack and request id, and records it on the server span', async () => {
    // Prepare
    const app = await startInProduction(true);

    // Act
    await ask(app.url, '/api/orders/8/fail', 'log-1');
    await ask(app.url, '/missing', 'log-2');
    await app.stop();

    // Assess
    const { logs } = readLookoutOutput(app.stdoutLines());
    const failures = logs.filter((line) => line.message === 'request failed');
    expect(failures.map((line) => [line.request_id, line.level, line.status])).toEqual([
      ['log-1', 'ERROR', 500],
      ['log-2', 'WARN', 404],
    ]);
    const error = failures[0]?.error as JsonLine;
    expect(error).toMatchObject({
      name: 'Error',
      message: expect.stringContaining('inventory lookup failed'),
    });
    expect(String(error.stack)).toContain('observed-routes.cjs');
    expect(failures[0]?.trace_id).toMatch(/^[0-9a-f]{32}$/);

    const server = receiver
      .spans()
      .find((span) => span.kind === 'SERVER' && span.attributes.request_id === 'log-1');
    expect(server?.status.code).toBe('ERROR');
    const exception = server?.events.find((event) => event.name === 'exception');
    expect(exception?.attributes).toMatchObject({
      'exception.type': 'Error',
      'exception.message': 'inventory lookup failed for order 8 (host db-internal.example)',
    });
    expect(failures[0]?.trace_id).toBe(server?.traceId);
  });

  it('reports an error object the app reuses for every request it fails', async () => {
    // Prepare
    const app = await startInProduction(true);

    // Act
    const answers = [
      await ask(app.url, '/shared-error', 'shared-1'),
      await ask(app.url, '/shared-error', 'shared-2'),
      await ask(app.url, '/shared-error', 'shared-3'),
    ];
    await app.stop();

    // Assess: one log line and one exception per failed request, not one for the first only.
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404]);
    const { logs } = readLookoutOutput(app.stdoutLines());
    expect(
      logs.filter((line) => line.message === 'request failed').map((line) => [line.request_id, line.status]),
    ).toEqual([
      ['shared-1', 404],
      ['shared-2', 404],
      ['shared-3', 404],
    ]);
    for (const requestId of ['shared-1', 'shared-2', 'shared-3']) {
      const server = receiver
        .spans()
        .find((span) => span.kind === 'SERVER' && span.attributes.request_id === requestId);
      expect(
        server?.events.filter((event) => event.name === 'exception'),
        requestId,
      ).toHaveLength(1);
    }
  });

  it("reports once an error that goes through a router's errorHandler() and then the app's", async () => {
    // Prepare
    const app = await startInProduction(false);

    // Act: the response has started, so each handler hands the error on.
    const response = await sendRaw(
      app.url,
      'GET /reports/late HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: twice-1\r\nConnection: close\r\n\r\n',
    );
    await app.stop();

    // Assess
    expect(response.body).toContain('partial');
    const { logs } = readLookoutOutput(app.stdoutLines());
    expect(logs.filter((line) => line.message === 'request failed').map((line) => line.request_id)).toEqual([
      'twice-1',
    ]);
  });

  it('answers, logs and records errors whose fields throw, and keeps serving', async () => {
    // Prepare
    const app = await startInProduction(true);
    const kinds = [
      'null-prototype',
      'throwing-fields',
      'throwing-to-string',
      'throwing-proxy',
      'object-message',
    ];

    // Act: one at a time, so that a crash is pinned on the input that caused it.
    const answers: Answer[] = [];
    for (const kind of kinds) answers.push(await ask(app.url, `/hostile-error/${kind}`, `hostile-${kind}`));
    const after = await ask(app.url, '/api/orders/1/fail', 'hostile-after');
    const exit = await app.stop();

    // Assess: errorHandler()'s own answer each time, not Express's default handler (whose logging
    // of such a value throws outside any request, and ends the process).
    expect(answers).toEqual(
      kinds.map((kind) => ({
        status: 500,
        body: { error: 'Internal Server Error', requestId: `hostile-${kind}` },
        requestId: `hostile-${kind}`,
      })),
    );
    expect(after.status).toBe(500);
    expect(exit.signal).toBe('SIGTERM'); // still running when stopped
    const { logs } = readLookoutOutput(app.stdoutLines());
    const failures = logs.filter((line) => line.message === 'request failed');
    expect(failures.map((line) => line.request_id)).toEqual([
      ...kinds.map((kind) => `hostile-${kind}`),
      'hostile-after',
    ]);
    const servers = await receiver.waitForSpans(
      (span) => span.kind === 'SERVER' && String(span.attributes.request_id).startsWith('hostile-'),
      { count: kinds.length + 1 },
    );
    for (const kind of kinds) {
      const server = servers.find((span) => span.attributes.request_id === `hostile-${kind}`);
      expect(server?.status.code, kind).toBe('ERROR');
      expect(
        server?.events.filter((event) => event.name === 'exception'),
        kind,
      ).toHaveLength(1);
    }
  });

  it('drops the headers that described the body the route meant to send', async () => {
    // Prepare
    const app = await startInProduction(false);

    // Act
    const response = await request(`${app.url}/failure-after-headers`, {
      headers: { 'x-request-id': 'headers-1' },
    });
    await app.stop();

    // Assess: a JSON body labelled gzip, a byte range or an attachment is one no client reads.
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ error: 'Internal Server Error', requestId: 'headers-1' });
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    for (const name of ['content-encoding', 'content-range', 'content-language', 'content-disposition'])
      expect(response.headers[name], name).toBeUndefined();
  });

  it("answers with the headers the error carries for its status, as Express's own handler does", async () => {
    // Prepare
    const app = await startInProduction(false);

    // Act
    const signIn = await request(`${app.url}/needs-sign-in`, { headers: { 'x-request-id': 'sign-in-1' } });
    const limited = await request(`${app.url}/rate-limited`, { headers: { 'x-request-id': 'limited-1' } });
    await app.stop();

    // Assess: a 401 names its challenge and a 429 when to come back; headers no response may
    // carry (a bad name, a line break, a second framing of the body, an object) are left out.
    expect(signIn.status).toBe(401);
    expect(signIn.headers['www-authenticate']).toBe('Bearer realm="orders"');
    expect(JSON.parse(signIn.body)).toEqual({ error: 'Sign in first', requestId: 'sign-in-1' });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('30');
    expect(JSON.parse(limited.body)).toEqual({ error: 'Too many requests', requestId: 'limited-1' });
    expect(limited.headers['content-length']).toBe(String(Buffer.byteLength(limited.body)));
    for (const name of ['not a name', 'x-split', 'set-cookie', 'transfer-encoding', 'x-object'])
      expect(limited.headers[name], name).toBeUndefined();
  });

  it("hands over to Express's default handler when the response has already started", async () => {
    // Prepare
    const app = await startInProduction(false);

    // Act: Express's default handler ends a started response by destroying the socket.
    const response = await sendRaw(
      app.url,
      'GET /late-failure HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: late-1\r\nConnection: close\r\n\r\n',
    );
    const after = await ask(app.url, '/api/orders/1/fail', 'late-2');
    await app.stop();

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toContain('partial');
    expect(response.body).not.toContain('requestId');
    expect(after.status).toBe(500);
    const { logs } = readLookoutOutput(app.stdoutLines());
    expect(
      logs.filter((line) => line.message === 'request failed' && line.request_id === 'late-1'),
    ).toHaveLength(1);
  });
});
