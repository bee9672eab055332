// A Lambda Runtime API stand-in for the benchmarks (AWS itself cannot run here): the 2018-06-01
// Runtime API as the Lambda service serves it to the runtime interface client, reduced to what
// a benchmark drives (GET /next, POST /response and /error). test/helpers/lambda-runtime-api.ts
// is the full emulator the tests use; this copy stays in plain JavaScript for the workers.
import { once } from 'node:events';
import { createServer } from 'node:http';

const NEXT = '/2018-06-01/runtime/invocation/next';
const DONE = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

/**
 * @returns {Promise<{
 *   address: string,
 *   firstNext: Promise<number>,
 *   invoke(event: unknown, options?: { timeoutMs?: number, traceHeader?: string }): Promise<{ status: 'response' | 'error', body: string, durationMs: number }>,
 *   close(): Promise<void>,
 * }>}
 */
export async function startLambdaRuntimeApi() {
  let sequence = 0;
  /** @type {Array<(respond: (pending: any) => void) => void>} */
  const waiting = [];
  const queue = [];
  const inFlight = new Map();
  let resolveFirstNext;
  const firstNext = new Promise((resolve) => {
    resolveFirstNext = resolve;
  });

  const deliver = (pending, response) => {
    pending.deliveredAt = performance.now();
    inFlight.set(pending.id, pending);
    const body = JSON.stringify(pending.event);
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'lambda-runtime-aws-request-id': pending.id,
      'lambda-runtime-deadline-ms': String(Date.now() + (pending.timeoutMs ?? 30_000)),
      'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:eu-west-1:123456789012:function:bench',
    };
    if (pending.traceHeader !== undefined) headers['lambda-runtime-trace-id'] = pending.traceHeader;
    response.writeHead(200, headers);
    response.end(body);
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method === 'GET' && path === NEXT) {
      resolveFirstNext(performance.now());
      const pending = queue.shift();
      if (pending !== undefined) deliver(pending, response);
      else waiting.push((next) => deliver(next, response));
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
        const pending = inFlight.get(decodeURIComponent(match[1]));
        if (pending === undefined) return;
        inFlight.delete(pending.id);
        pending.resolve({
          status: match[2],
          body: Buffer.concat(chunks).toString('utf8'),
          durationMs: completedAt - pending.deliveredAt,
        });
      });
      return;
    }
    if (request.method === 'POST' && path === '/2018-06-01/runtime/init/error') {
      request.resume();
      response.writeHead(202).end();
      return;
    }
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
        const pending = { id: `bench-${++sequence}`, event, ...options, resolve, deliveredAt: 0 };
        const waiter = waiting.shift();
        if (waiter !== undefined) waiter(pending);
        else queue.push(pending);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
