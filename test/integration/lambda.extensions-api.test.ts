// The Lambda emulator's Extensions API and freeze model, driven by a real function (the runtime
// interface client) and a real external extension process started from an /opt/extensions-like
// folder. AWS itself cannot run here: these tests pin down the stand-in the delivery tests rely on.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { type LambdaFunction, startLambdaFunction } from '../helpers/lambda-function.js';
import { type LambdaRuntimeApi, startLambdaRuntimeApi } from '../helpers/lambda-runtime-api.js';
import { fixture } from '../helpers/node-process.js';

/** Where the probe extension reports each event; answers only when the test releases it. */
interface EventSink {
  readonly url: string;
  /** Resolves with the next event the extension reported, held until `release()` is called. */
  next(): Promise<{ event: Record<string, unknown>; release: () => void }>;
  close(): Promise<void>;
}

async function startEventSink(): Promise<EventSink> {
  const arrived: Array<{ event: Record<string, unknown>; release: () => void }> = [];
  const waiters: Array<(item: (typeof arrived)[number]) => void> = [];
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    let text = '';
    incoming.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
    });
    incoming.on('end', () => {
      const item = { event: JSON.parse(text) as Record<string, unknown>, release: () => response.end('ok') };
      const waiter = waiters.shift();
      if (waiter !== undefined) waiter(item);
      else arrived.push(item);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    next: () => {
      const item = arrived.shift();
      return item !== undefined ? Promise.resolve(item) : new Promise((resolve) => waiters.push(resolve));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let api: LambdaRuntimeApi;
let sink: EventSink;
let fn: LambdaFunction | undefined;

beforeEach(async () => {
  api = await startLambdaRuntimeApi();
  sink = await startEventSink();
});
afterEach(async () => {
  await fn?.kill();
  fn = undefined;
  await api.close();
  await sink.close();
});

function start(env: Record<string, string> = {}, freeze = false) {
  return startLambdaFunction({
    api,
    taskRoot: fixture('lambda-extensions'),
    handler: 'plain-handlers.echo',
    optDir: fixture('lambda-extensions/opt'),
    env: { PROBE_SINK_URL: sink.url, ...env },
    freeze,
  });
}

describe('the Lambda emulator with extensions', () => {
  it('starts an external extension from the extensions folder and ends init only when it waits on /next', async () => {
    // Act
    fn = await start();
    const initDone = await api.initDone();

    // Assess
    expect(api.extensions()).toMatchObject([
      { name: 'probe-extension', external: true, events: ['INVOKE', 'SHUTDOWN'] },
    ]);
    expect(initDone).toBeGreaterThanOrEqual(fn.initDoneAt);
    await fn.extensionProcesses[0]?.waitForLine(/probe-extension registered \{"functionName":"lookout-test"/);
  });

  it('sends INVOKE to the extension and freezes only once the extension is back on /next', async () => {
    // Prepare
    fn = await start({}, true);
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

    // Act
    const outcome = await api.invoke({ event: { n: 1 }, traceHeader: trace, timeoutMs: 20_000 });
    const reported = await sink.next();
    // The runtime is back on /next; the extension holds its own until its report is answered.
    await api.nextArrived(2);
    const releasedAt = performance.now();
    reported.release();
    const freeze = await api.frozen(outcome.requestId);

    // Assess
    expect(outcome.status).toBe('success');
    expect(outcome.response).toEqual({ received: { n: 1 } });
    expect(reported.event).toMatchObject({
      eventType: 'INVOKE',
      requestId: outcome.requestId,
      deadlineMs: outcome.deadlineMs,
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:lookout-test',
      tracing: { type: 'X-Amzn-Trace-Id', value: trace },
    });
    expect(freeze).toMatchObject({ requestId: outcome.requestId, cause: 'ready' });
    expect(freeze.at).toBeGreaterThanOrEqual(releasedAt);
    expect(freeze.billedMs).toBeGreaterThanOrEqual(outcome.durationMs);
  });

  it('holds the next invocation until the previous one froze', async () => {
    // Prepare
    fn = await start({}, true);

    // Act
    const first = api.invoke({ event: { n: 1 } });
    const second = api.invoke({ event: { n: 2 } });
    const firstReport = await sink.next();
    const one = await first;
    await api.nextArrived(2);
    firstReport.release();
    const secondReport = await sink.next();
    secondReport.release();
    const two = await second;

    // Assess: the runtime asked again right after answering, but got nothing until the freeze
    expect(two.deliveredAt).toBeGreaterThanOrEqual((await api.frozen(one.requestId)).at);
    expect(secondReport.event).toMatchObject({ eventType: 'INVOKE', requestId: two.requestId });
  });

  it('refuses a registration after the runtime asked for its first invocation, and SHUTDOWN for an internal extension', async () => {
    // Prepare
    fn = await start();
    await api.initDone();

    // Act
    const late = await request(`http://${api.address}/2020-01-01/extension/register`, {
      method: 'POST',
      headers: { 'lambda-extension-name': 'late', 'content-type': 'application/json' },
      body: JSON.stringify({ events: ['INVOKE'] }),
    });

    // Assess
    expect(late.status).toBe(403);
    expect(api.registrations().map((attempt) => [attempt.name, attempt.status])).toEqual([
      ['probe-extension', 200],
      ['late', 403],
    ]);
  });

  it('sends SHUTDOWN to the extension and SIGTERM to the runtime, and records exit errors', async () => {
    // Prepare
    fn = await start({ PROBE_EXIT_ERROR: '1' });
    await api.initDone();

    // Act
    const shutdown = fn.shutdown();
    const reported = await sink.next();
    reported.release();
    const outcome = await shutdown;

    // Assess
    expect(reported.event).toMatchObject({ eventType: 'SHUTDOWN', shutdownReason: 'spindown' });
    expect(outcome.killed).toBe(false);
    expect(outcome.extensions).toEqual([{ code: 0, signal: null }]);
    expect(outcome.runtime.signal).toBe('SIGTERM');
    expect(api.extensions()[0]?.errors).toEqual([{ kind: 'exit', errorType: 'Extension.ProbeFailed' }]);
  });
});

describe('the Lambda emulator with an internal extension', () => {
  it('refuses SHUTDOWN to an extension that is not in the extensions folder, and records its init error', async () => {
    // Act: registered during "init" (no runtime has asked for an invocation yet)
    const refused = await request(`http://${api.address}/2020-01-01/extension/register`, {
      method: 'POST',
      headers: { 'lambda-extension-name': 'in-process', 'content-type': 'application/json' },
      body: JSON.stringify({ events: ['INVOKE', 'SHUTDOWN'] }),
    });
    const accepted = await request(`http://${api.address}/2020-01-01/extension/register`, {
      method: 'POST',
      headers: { 'lambda-extension-name': 'in-process', 'content-type': 'application/json' },
      body: JSON.stringify({ events: ['INVOKE'] }),
    });

    const initError = await request(`http://${api.address}/2020-01-01/extension/init/error`, {
      method: 'POST',
      headers: {
        'lambda-extension-identifier': accepted.headers['lambda-extension-identifier'] as string,
        'lambda-extension-function-error-type': 'Extension.ConfigInvalid',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ errorMessage: 'no configuration' }),
    });

    // Assess
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ errorType: 'Extension.InvalidEventType' });
    expect(accepted.status).toBe(200);
    expect(initError.status).toBe(202);
    expect(api.extensions()).toMatchObject([
      {
        name: 'in-process',
        external: false,
        events: ['INVOKE'],
        errors: [{ kind: 'init', errorType: 'Extension.ConfigInvalid' }],
      },
    ]);
  });
});
