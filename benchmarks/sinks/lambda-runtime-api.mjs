// A Lambda Runtime API stand-in for the benchmarks (AWS itself cannot run here): the 2018-06-01
// Runtime API as the Lambda service serves it to the runtime interface client, and the
// 2020-01-01 Extensions API as it serves it to extensions, reduced to what a benchmark drives
// (GET /next, POST /response and /error; extension register and event/next with INVOKE).
// test/helpers/lambda-runtime-api.ts is the full emulator the tests use; this copy stays in
// plain JavaScript for the workers.
//
// Like Lambda, it hands out an invocation only when the runtime and every registered extension
// wait on /next, and it records two times per invocation:
//   durationMs  delivery -> the response POST: what the caller waits for;
//   billedMs    delivery -> the moment the runtime and every extension are back on /next,
//               when Lambda freezes the environment and stops billing.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';

const NEXT = '/2018-06-01/runtime/invocation/next';
const DONE = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;
const REGISTER = '/2020-01-01/extension/register';
const EXTENSION_NEXT = '/2020-01-01/extension/event/next';

/**
 * @returns {Promise<{
 *   address: string,
 *   firstNext: Promise<number>,
 *   invoke(event: unknown, options?: { timeoutMs?: number, traceHeader?: string }): Promise<{ status: 'response' | 'error', body: string, durationMs: number, billedMs: number }>,
 *   extensions(): string[],
 *   registered(name: string): Promise<void>,
 *   close(): Promise<void>,
 * }>}
 */
export async function startLambdaRuntimeApi() {
  let sequence = 0;
  /** @type {import('node:http').ServerResponse | undefined} */
  let runtimeWaiting;
  /** @type {Map<string, { name: string, waiting: import('node:http').ServerResponse | undefined }>} */
  const extensions = new Map();
  const queue = [];
  let active;
  let initClosed = false;
  const registeredWaiters = new Map();
  let resolveFirstNext;
  const firstNext = new Promise((resolve) => {
    resolveFirstNext = resolve;
  });

  const everyoneWaiting = () =>
    runtimeWaiting !== undefined &&
    [...extensions.values()].every((extension) => extension.waiting !== undefined);

  const deliver = (pending) => {
    pending.deliveredAt = performance.now();
    const deadlineMs = Date.now() + (pending.timeoutMs ?? 30_000);
    const body = JSON.stringify(pending.event);
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'lambda-runtime-aws-request-id': pending.id,
      'lambda-runtime-deadline-ms': String(deadlineMs),
      'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:eu-west-1:123456789012:function:bench',
    };
    if (pending.traceHeader !== undefined) headers['lambda-runtime-trace-id'] = pending.traceHeader;
    const response = runtimeWaiting;
    runtimeWaiting = undefined;
    response.writeHead(200, headers);
    response.end(body);
    const event = JSON.stringify({
      eventType: 'INVOKE',
      deadlineMs,
      requestId: pending.id,
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bench',
      tracing:
        pending.traceHeader === undefined
          ? undefined
          : { type: 'X-Amzn-Trace-Id', value: pending.traceHeader },
    });
    for (const extension of extensions.values()) {
      const waiting = extension.waiting;
      extension.waiting = undefined;
      waiting.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(event),
      });
      waiting.end(event);
    }
  };

  /** Ends the active invocation when everyone waits (the freeze), then hands out the next. */
  const settle = () => {
    if (!everyoneWaiting()) return;
    if (active !== undefined) {
      if (active.outcome === undefined) return;
      const billedMs = performance.now() - active.deliveredAt;
      active.resolve({ ...active.outcome, billedMs });
      active = undefined;
    }
    const pending = queue.shift();
    if (pending === undefined) return;
    active = pending;
    deliver(pending);
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method === 'GET' && path === NEXT) {
      initClosed = true;
      resolveFirstNext(performance.now());
      runtimeWaiting = response;
      settle();
      return;
    }
    if (request.method === 'POST' && path === REGISTER) {
      const closed = initClosed;
      request.resume();
      request.on('end', () => {
        if (closed) {
          response
            .writeHead(403, { 'content-type': 'application/json' })
            .end('{"errorType":"Extension.RegistrationClosed"}');
          return;
        }
        const id = randomUUID();
        const name = String(request.headers['lambda-extension-name']);
        extensions.set(id, { name, waiting: undefined });
        for (const wake of registeredWaiters.get(name) ?? []) wake();
        registeredWaiters.delete(name);
        response
          .writeHead(200, { 'content-type': 'application/json', 'lambda-extension-identifier': id })
          .end('{"functionName":"bench","functionVersion":"$LATEST","handler":"handler"}');
      });
      return;
    }
    if (request.method === 'GET' && path === EXTENSION_NEXT) {
      const extension = extensions.get(String(request.headers['lambda-extension-identifier']));
      if (extension === undefined) {
        response.writeHead(403).end('{"errorType":"Extension.InvalidExtensionIdentifier"}');
        return;
      }
      extension.waiting = response;
      settle();
      return;
    }
    const match = DONE.exec(path);
    if (request.method === 'POST' && match !== null) {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        const completedAt = performance.now();
        response.writeHead(202, { 'content-type': 'application/json' });
        response.end('{"status":"OK"}');
        if (active === undefined || active.id !== decodeURIComponent(match[1])) return;
        active.outcome = {
          status: match[2],
          body: Buffer.concat(chunks).toString('utf8'),
          durationMs: completedAt - active.deliveredAt,
        };
        settle();
      });
      return;
    }
    if (request.method === 'POST' && path === '/2018-06-01/runtime/init/error') {
      request.resume();
      response.writeHead(202).end();
      return;
    }
    request.resume();
    response.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();

  return {
    address: `127.0.0.1:${port}`,
    firstNext,
    invoke(event, options = {}) {
      return new Promise((resolve) => {
        queue.push({
          id: `bench-${++sequence}`,
          event,
          ...options,
          resolve,
          deliveredAt: 0,
          outcome: undefined,
        });
        settle();
      });
    },
    extensions: () => [...extensions.values()].map((extension) => extension.name),
    registered(name) {
      if ([...extensions.values()].some((extension) => extension.name === name)) return Promise.resolve();
      return new Promise((resolve) =>
        registeredWaiters.set(name, [...(registeredWaiters.get(name) ?? []), resolve]),
      );
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
