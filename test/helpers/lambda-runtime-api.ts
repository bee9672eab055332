// A Lambda Runtime API emulator for tests: a real HTTP server on loopback that speaks the
// 2018-06-01 Runtime API the way the Lambda service does to a runtime interface client, so a
// function process can be driven through the real protocol. AWS itself cannot run here; this is
// the stand-in, and it only emulates what the runtime sees (no invoke API, no extensions).
//
// Protocol (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html, OpenAPI runtime-api.zip):
//   GET  /2018-06-01/runtime/invocation/next            long poll; 200 with the event and the
//        Lambda-Runtime-Aws-Request-Id, -Deadline-Ms, -Invoked-Function-Arn, -Trace-Id,
//        -Client-Context, -Cognito-Identity headers
//   POST /2018-06-01/runtime/invocation/{id}/response   202 {"status":"OK"}; 400 unknown id; 413 > 6 MiB
//   POST /2018-06-01/runtime/invocation/{id}/error      202; body {errorMessage, errorType, stackTrace}
//        plus the Lambda-Runtime-Function-Error-Type header
//   POST /2018-06-01/runtime/init/error                 202; the runtime should exit afterwards
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const PREFIX = '/2018-06-01/runtime';
/** Largest synchronous response payload Lambda accepts. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** The invoked ARN used when an invocation names none. */
export const DEFAULT_FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:lookout-test';

/** One invocation to deliver to the function. */
export interface InvocationInput {
  /** The event, sent as JSON (a string is sent as is). */
  readonly event: unknown;
  /** @default a random UUID */
  readonly requestId?: string;
  /** Value of Lambda-Runtime-Trace-Id (the X-Ray trace header); omitted when undefined. */
  readonly traceHeader?: string;
  /**
   * The function's timeout: the deadline is this many milliseconds after the invocation is
   * delivered, as Lambda counts it.
   * @default 30000
   */
  readonly timeoutMs?: number;
  /** @default DEFAULT_FUNCTION_ARN */
  readonly functionArn?: string;
  /** Sent as JSON in Lambda-Runtime-Client-Context when given. */
  readonly clientContext?: unknown;
  /** Sent as JSON in Lambda-Runtime-Cognito-Identity when given. */
  readonly cognitoIdentity?: unknown;
}

/** How an invocation ended, as the Lambda service would report it. */
export type InvocationStatus = 'success' | 'error' | 'timeout';

export interface InvocationOutcome {
  readonly requestId: string;
  readonly status: InvocationStatus;
  /** The response body as sent (success) or the error document as sent (error). */
  readonly rawBody: string;
  /** The response body parsed as JSON, or the raw text when it is not JSON (success only). */
  readonly response: unknown;
  /** The error document (error only): `errorType`, `errorMessage` and the stack lines. */
  readonly error:
    | {
        readonly errorType: unknown;
        readonly errorMessage: unknown;
        /** `stackTrace` as the API names it; the Node.js client sends it as `trace`. */
        readonly stackTrace: unknown;
        readonly document: Record<string, unknown>;
      }
    | undefined;
  /** Lambda-Runtime-Function-Error-Type (error only). */
  readonly errorTypeHeader: string | undefined;
  /** Headers of the /response or /error request. */
  readonly headers: IncomingHttpHeaders;
  /** performance.now() when the invocation was handed to the runtime by /next. */
  readonly deliveredAt: number;
  /** performance.now() when /response or /error arrived (the deadline for a timeout). */
  readonly completedAt: number;
  /** completedAt - deliveredAt. */
  readonly durationMs: number;
  /** The deadline sent in Lambda-Runtime-Deadline-Ms (epoch milliseconds). */
  readonly deadlineMs: number;
}

/** The document the runtime posted to /init/error. */
export interface InitError {
  readonly errorTypeHeader: string | undefined;
  readonly rawBody: string;
  readonly document: Record<string, unknown> | undefined;
  readonly at: number;
}

export interface LambdaRuntimeApi {
  /** `127.0.0.1:<port>`: the value for AWS_LAMBDA_RUNTIME_API. */
  readonly address: string;
  /** Queues an invocation; resolves with its outcome once the function answers or times out. */
  invoke(input: InvocationInput): Promise<InvocationOutcome>;
  /** performance.now() of the first GET /next: the end of the function's init phase. */
  firstNext(timeoutMs?: number): Promise<number>;
  /**
   * performance.now() of the first GET /next after `count` of them had arrived: with
   * `count = nextCount()` read before a function starts, the end of that function's init phase.
   */
  nextAfter(count: number, timeoutMs?: number): Promise<number>;
  /** Resolves when the runtime reports an init error (and rejects after `timeoutMs`). */
  initError(timeoutMs?: number): Promise<InitError>;
  /** How many GET /next requests arrived. */
  nextCount(): number;
  /** Every request the runtime made, in order (method, path, status answered). */
  requests(): ReadonlyArray<{ readonly method: string; readonly path: string; readonly status: number }>;
  /** Stops the server and drops the runtime's connections. */
  close(): Promise<void>;
}

interface Pending {
  readonly input: InvocationInput;
  readonly requestId: string;
  readonly resolve: (outcome: InvocationOutcome) => void;
  deliveredAt: number;
  deadlineMs: number;
  timer: NodeJS.Timeout | undefined;
  done: boolean;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readBody(request: IncomingMessage, limit: number): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts the emulator on 127.0.0.1 and a free port.
 *
 * @example
 * const api = await startLambdaRuntimeApi();
 * // start the function with AWS_LAMBDA_RUNTIME_API = api.address
 * const outcome = await api.invoke({ event: { hello: 'world' }, traceHeader });
 * expect(outcome.status).toBe('success');
 */
export async function startLambdaRuntimeApi(): Promise<LambdaRuntimeApi> {
  const queue: Pending[] = [];
  const inFlight = new Map<string, Pending>();
  const finished = new Set<string>();
  const waitingForNext: Array<{
    readonly handOut: (pending: Pending) => void;
    readonly response: ServerResponse;
  }> = [];
  const log: Array<{ method: string; path: string; status: number }> = [];
  let nextCount = 0;
  let firstNextAt: number | undefined;
  const firstNextWaiters: Array<(at: number) => void> = [];
  const nextAfterWaiters: Array<{ readonly count: number; readonly resolve: (at: number) => void }> = [];
  let initError: InitError | undefined;
  const initErrorWaiters: Array<(error: InitError) => void> = [];

  const complete = (
    pending: Pending,
    outcome: Omit<InvocationOutcome, 'requestId' | 'deliveredAt' | 'durationMs' | 'deadlineMs'>,
  ) => {
    if (pending.done) return;
    pending.done = true;
    clearTimeout(pending.timer);
    inFlight.delete(pending.requestId);
    finished.add(pending.requestId);
    pending.resolve({
      ...outcome,
      requestId: pending.requestId,
      deliveredAt: pending.deliveredAt,
      durationMs: outcome.completedAt - pending.deliveredAt,
      deadlineMs: pending.deadlineMs,
    });
  };

  const deliver = (pending: Pending, response: ServerResponse) => {
    const timeoutMs = pending.input.timeoutMs ?? 30_000;
    pending.deliveredAt = performance.now();
    pending.deadlineMs = Date.now() + timeoutMs;
    inFlight.set(pending.requestId, pending);
    // Lambda stops waiting at the deadline and reports a timeout, whatever the runtime does later.
    pending.timer = setTimeout(() => {
      complete(pending, {
        status: 'timeout',
        rawBody: '',
        response: undefined,
        error: undefined,
        errorTypeHeader: undefined,
        headers: {},
        completedAt: performance.now(),
      });
    }, timeoutMs);
    const { event } = pending.input;
    const body = typeof event === 'string' ? event : JSON.stringify(event ?? null);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'lambda-runtime-aws-request-id': pending.requestId,
      'lambda-runtime-deadline-ms': String(pending.deadlineMs),
      'lambda-runtime-invoked-function-arn': pending.input.functionArn ?? DEFAULT_FUNCTION_ARN,
    };
    if (pending.input.traceHeader !== undefined)
      headers['lambda-runtime-trace-id'] = pending.input.traceHeader;
    if (pending.input.clientContext !== undefined)
      headers['lambda-runtime-client-context'] = JSON.stringify(pending.input.clientContext);
    if (pending.input.cognitoIdentity !== undefined)
      headers['lambda-runtime-cognito-identity'] = JSON.stringify(pending.input.cognitoIdentity);
    response.writeHead(200, headers);
    response.end(body);
  };

  const server = createServer(async (request, response) => {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const answer = (status: number, body: unknown) => {
      log.push({ method, path, status });
      sendJson(response, status, body);
    };

    if (method === 'GET' && path === `${PREFIX}/invocation/next`) {
      nextCount += 1;
      const now = performance.now();
      if (firstNextAt === undefined) {
        firstNextAt = now;
        for (const waiter of firstNextWaiters.splice(0)) waiter(firstNextAt);
      }
      for (const waiter of nextAfterWaiters.filter((entry) => nextCount > entry.count)) {
        nextAfterWaiters.splice(nextAfterWaiters.indexOf(waiter), 1);
        waiter.resolve(now);
      }
      const handOut = (pending: Pending) => {
        log.push({ method, path, status: 200 });
        deliver(pending, response);
      };
      const ready = queue.shift();
      if (ready !== undefined) handOut(ready);
      else {
        // Long poll: no timeout, as the API asks of runtimes. A runtime that goes away while
        // waiting must not be handed the next invocation.
        const waiter = { handOut, response };
        waitingForNext.push(waiter);
        response.on('close', () => {
          const index = waitingForNext.indexOf(waiter);
          if (index >= 0 && !response.writableEnded) waitingForNext.splice(index, 1);
        });
      }
      return;
    }

    if (method === 'POST' && path === `${PREFIX}/init/error`) {
      const { text } = await readBody(request, MAX_RESPONSE_BYTES);
      const parsed = parseJson(text);
      initError = {
        errorTypeHeader: request.headers['lambda-runtime-function-error-type'] as string | undefined,
        rawBody: text,
        document:
          parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined,
        at: performance.now(),
      };
      for (const waiter of initErrorWaiters.splice(0)) waiter(initError);
      answer(202, { status: 'OK' });
      return;
    }

    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (method === 'POST' && match !== null) {
      const requestId = decodeURIComponent(match[1] ?? '');
      const kind = match[2];
      const { text, tooLarge } = await readBody(request, MAX_RESPONSE_BYTES);
      const completedAt = performance.now();
      const pending = inFlight.get(requestId);
      if (pending === undefined) {
        answer(400, {
          errorType: 'InvalidRequestID',
          errorMessage: finished.has(requestId)
            ? `Invocation ${requestId} has already completed`
            : `Unknown invocation ${requestId}`,
        });
        return;
      }
      if (tooLarge) {
        answer(413, { errorType: 'RequestEntityTooLarge', errorMessage: 'Response payload too large' });
        complete(pending, {
          status: 'error',
          rawBody: '',
          response: undefined,
          error: {
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: 'Response payload size exceeded maximum allowed payload size',
            stackTrace: [],
            document: {},
          },
          errorTypeHeader: undefined,
          headers: request.headers,
          completedAt,
        });
        return;
      }
      answer(202, { status: 'OK' });
      if (kind === 'response') {
        complete(pending, {
          status: 'success',
          rawBody: text,
          response: parseJson(text),
          error: undefined,
          errorTypeHeader: undefined,
          headers: request.headers,
          completedAt,
        });
      } else {
        const parsed = parseJson(text);
        const document =
          parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
        complete(pending, {
          status: 'error',
          rawBody: text,
          response: undefined,
          error: {
            errorType: document.errorType,
            errorMessage: document.errorMessage,
            stackTrace: document.stackTrace ?? document.trace,
            document,
          },
          errorTypeHeader: request.headers['lambda-runtime-function-error-type'] as string | undefined,
          headers: request.headers,
          completedAt,
        });
      }
      return;
    }

    answer(404, { errorType: 'NotFound', errorMessage: `No route for ${method} ${path}` });
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    invoke(input) {
      return new Promise<InvocationOutcome>((resolve) => {
        const pending: Pending = {
          input,
          requestId: input.requestId ?? randomUUID(),
          resolve,
          deliveredAt: 0,
          deadlineMs: 0,
          timer: undefined,
          done: false,
        };
        // The newest poll first: a runtime that was just killed may still have a poll here
        // whose 'close' has not been processed yet, and it must not get the invocation.
        let waiter = waitingForNext.pop();
        while (waiter !== undefined && waiter.response.socket?.destroyed !== false)
          waiter = waitingForNext.pop();
        if (waiter !== undefined) waiter.handOut(pending);
        else queue.push(pending);
      });
    },
    firstNext(timeoutMs = 15_000) {
      if (firstNextAt !== undefined) return Promise.resolve(firstNextAt);
      return withTimeout(
        new Promise<number>((resolve) => firstNextWaiters.push(resolve)),
        timeoutMs,
        () =>
          `the runtime made no GET /next within ${timeoutMs} ms${initError ? ` (init error: ${initError.rawBody})` : ''}`,
      );
    },
    nextAfter(count, timeoutMs = 15_000) {
      return withTimeout(
        new Promise<number>((resolve) => nextAfterWaiters.push({ count, resolve })),
        timeoutMs,
        () =>
          `the runtime made no new GET /next within ${timeoutMs} ms${initError ? ` (init error: ${initError.rawBody})` : ''}`,
      );
    },
    initError(timeoutMs = 15_000) {
      if (initError !== undefined) return Promise.resolve(initError);
      return withTimeout(
        new Promise<InitError>((resolve) => initErrorWaiters.push(resolve)),
        timeoutMs,
        () => `the runtime reported no init error within ${timeoutMs} ms`,
      );
    },
    nextCount: () => nextCount,
    requests: () => log.map((entry) => ({ ...entry })),
    async close() {
      for (const pending of inFlight.values()) clearTimeout(pending.timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
