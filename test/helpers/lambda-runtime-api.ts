// A Lambda Runtime API emulator for tests: a real HTTP server on loopback that speaks the
// 2018-06-01 Runtime API the way the Lambda service does to a runtime interface client, so a
// function process can be driven through the real protocol. AWS itself cannot run here; this is
// the stand-in. It emulates what the runtime and its extensions see (no invoke API).
//
// Protocol (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html, OpenAPI runtime-api.zip):
//   GET  /2018-06-01/runtime/invocation/next            long poll; 200 with the event and the
//        Lambda-Runtime-Aws-Request-Id, -Deadline-Ms, -Invoked-Function-Arn, -Trace-Id,
//        -Client-Context, -Cognito-Identity headers
//   POST /2018-06-01/runtime/invocation/{id}/response   202 {"status":"OK"}; 400 unknown id; 413 > 6 MiB
//   POST /2018-06-01/runtime/invocation/{id}/error      202; body {errorMessage, errorType, stackTrace}
//        plus the Lambda-Runtime-Function-Error-Type header
//   POST /2018-06-01/runtime/init/error                 202; the runtime should exit afterwards
//
// Extensions API (docs.aws.amazon.com/lambda/latest/dg/runtimes-extensions-api.html):
//   POST /2020-01-01/extension/register    Lambda-Extension-Name, body {"events":[...]}; 200 with
//        Lambda-Extension-Identifier. Refused (403) once the runtime has made its first /next:
//        registration belongs to the init phase. An extension whose name is a file of the
//        extensions folder is external; an internal one (in the runtime's process) may not
//        register for SHUTDOWN (403 ShutdownEventNotSupportedForInternalExtension).
//   GET  /2020-01-01/extension/event/next  long poll; INVOKE {requestId, deadlineMs,
//        invokedFunctionArn, tracing} or SHUTDOWN {shutdownReason, deadlineMs}
//   POST /2020-01-01/extension/init/error, /extension/exit/error   202
//
// Freeze model: the init phase ends, and an invocation ends, when the runtime and every
// registered extension wait on their /next. The environment is then frozen (onFreeze listeners;
// lambda-function.ts can stop the processes with SIGSTOP) until the next invocation is handed
// out (onThaw). The next invocation waits for that moment, as on Lambda.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

const PREFIX = '/2018-06-01/runtime';
const EXTENSION_PREFIX = '/2020-01-01/extension';
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

/** The moment an invocation's environment froze: runtime and every extension back on /next. */
export interface FreezeRecord {
  readonly requestId: string;
  /** performance.now() of the freeze. */
  readonly at: number;
  /** at - deliveredAt: what Lambda bills for the invocation. */
  readonly billedMs: number;
  /**
   * `ready`: everyone was waiting on /next. `deadline`: the deadline passed first (Lambda then
   * reports a timeout and resets the environment; the emulator records it and waits on).
   */
  readonly cause: 'ready' | 'deadline';
}

/** An extension, as registered. */
export interface ExtensionRecord {
  readonly id: string;
  readonly name: string;
  /** Its name is a file of the extensions folder (a process of its own). */
  readonly external: boolean;
  readonly events: readonly string[];
  readonly registeredAt: number;
  /** Errors it reported through /extension/init/error and /extension/exit/error. */
  readonly errors: ReadonlyArray<{ readonly kind: 'init' | 'exit'; readonly errorType: string | undefined }>;
}

/** A POST /extension/register, accepted or refused. */
export interface RegistrationAttempt {
  readonly name: string | undefined;
  readonly status: number;
  readonly errorType: string | undefined;
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
  /**
   * performance.now() of the end of the init phase as Lambda counts it with extensions: the
   * runtime and every registered extension waiting on /next.
   */
  initDone(timeoutMs?: number): Promise<number>;
  /** Resolves when the invocation's environment froze (rejects after `timeoutMs`). */
  frozen(requestId: string, timeoutMs?: number): Promise<FreezeRecord>;
  /** Resolves when an extension of that name registered (rejects after `timeoutMs`). */
  registered(name: string, timeoutMs?: number): Promise<ExtensionRecord>;
  /** Names of the files in the extensions folder: extensions registering with them are external. */
  setExternalExtensions(names: readonly string[]): void;
  /**
   * Answers accepted registrations `ms` later than they were accepted (a slow answer from
   * Lambda): accepted on arrival all the same, so init ends only once they wait on /next.
   */
  delayRegistrationAnswers(ms: number): void;
  /**
   * Starts a new execution environment (a function started again against the same emulator):
   * init begins anew, the previous environment's extensions, waiters and freeze listeners go.
   */
  newEnvironment(): void;
  /** Every registered extension. */
  extensions(): readonly ExtensionRecord[];
  /** Every registration attempt, in order. */
  registrations(): readonly RegistrationAttempt[];
  /** Called when the environment freezes (after init and after each invocation). */
  onFreeze(listener: () => void): void;
  /** Called when a frozen environment is thawed (before an invocation or a shutdown). */
  onThaw(listener: () => void): void;
  /**
   * Starts the shutdown phase: thaws the environment and sends SHUTDOWN to every extension
   * registered for it. Stopping the runtime's process (SIGTERM) is lambda-function.ts's part.
   */
  shutdown(reason?: 'spindown' | 'timeout' | 'failure', deadlineInMs?: number): void;
  /** Resolves when the runtime reports an init error (and rejects after `timeoutMs`). */
  initError(timeoutMs?: number): Promise<InitError>;
  /** How many GET /next requests arrived. */
  nextCount(): number;
  /** Resolves once `count` GET /next requests of the runtime arrived (rejects after `timeoutMs`). */
  nextArrived(count: number, timeoutMs?: number): Promise<void>;
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

interface Extension {
  readonly record: ExtensionRecord & { errors: Array<ExtensionRecord['errors'][number]> };
  /** Its pending GET /next, while it waits. */
  waiting: ServerResponse | undefined;
  /** Events it will get on its next /next (SHUTDOWN). */
  readonly queued: unknown[];
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

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
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

/** A value some callers wait for: set once, then every waiter (past and future) gets it. */
class Awaited<T> {
  value: T | undefined;
  readonly #waiters: Array<(value: T) => void> = [];
  set(value: T): void {
    if (this.value !== undefined) return;
    this.value = value;
    for (const waiter of this.#waiters.splice(0)) waiter(value);
  }
  wait(): Promise<T> {
    if (this.value !== undefined) return Promise.resolve(this.value);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/** The value some callers wait for under `key`, made on first use. */
function awaitedIn<T>(map: Map<string, Awaited<T>>, key: string): Awaited<T> {
  let value = map.get(key);
  if (value === undefined) {
    value = new Awaited<T>();
    map.set(key, value);
  }
  return value;
}

/**
 * Starts the emulator on 127.0.0.1 and a free port.
 *
 * @example
 * const api = await startLambdaRuntimeApi();
 * // start the function with AWS_LAMBDA_RUNTIME_API = api.address
 * const outcome = await api.invoke({ event: { hello: 'world' }, traceHeader });
 * expect(outcome.status).toBe('success');
 * const freeze = await api.frozen(outcome.requestId);
 */
export async function startLambdaRuntimeApi(): Promise<LambdaRuntimeApi> {
  const queue: Pending[] = [];
  const inFlight = new Map<string, Pending>();
  const finished = new Set<string>();
  const runtimeWaiting: Array<{
    readonly handOut: (pending: Pending) => void;
    readonly response: ServerResponse;
  }> = [];
  const log: Array<{ method: string; path: string; status: number }> = [];
  let nextCount = 0;
  const nextWaiters: Array<{ count: number; resolve: (at: number) => void }> = [];
  let firstNext = new Awaited<number>();
  let initDone = new Awaited<number>();
  const initErrorValue = new Awaited<InitError>();
  const extensions = new Map<string, Extension>();
  const registrations: RegistrationAttempt[] = [];
  const registeredByName = new Map<string, Awaited<ExtensionRecord>>();
  const freezes = new Map<string, Awaited<FreezeRecord>>();
  let externalNames = new Set<string>();
  let registrationAnswerDelayMs = 0;
  const freezeListeners: Array<() => void> = [];
  const thawListeners: Array<() => void> = [];
  let frozen = false;
  /** The invocation handed out and not frozen yet: the next one waits for it. */
  let active: Pending | undefined;

  const freezeOf = (requestId: string) => awaitedIn(freezes, requestId);
  const registeredOf = (name: string) => awaitedIn(registeredByName, name);

  const everyoneWaiting = () =>
    runtimeWaiting.length > 0 &&
    [...extensions.values()].every((extension) => extension.waiting !== undefined);

  const freeze = () => {
    if (frozen) return;
    frozen = true;
    for (const listener of freezeListeners) listener();
  };
  const thaw = () => {
    if (!frozen) return;
    frozen = false;
    for (const listener of thawListeners) listener();
  };

  const sendEvent = (extension: Extension, event: unknown) => {
    const response = extension.waiting;
    if (response === undefined) {
      extension.queued.push(event);
      return;
    }
    extension.waiting = undefined;
    log.push({ method: 'GET', path: `${EXTENSION_PREFIX}/event/next`, status: 200 });
    sendJson(response, 200, event, { 'lambda-extension-event-identifier': randomUUID() });
  };

  /** Records the end of init or of the active invocation when everyone waits, then hands out the next. */
  const settle = () => {
    if (!everyoneWaiting()) return;
    if (initDone.value === undefined) {
      initDone.set(performance.now());
      freeze();
    }
    if (active?.done) {
      clearTimeout(active.timer);
      const at = performance.now();
      freezeOf(active.requestId).set({
        requestId: active.requestId,
        at,
        billedMs: at - active.deliveredAt,
        cause: 'ready',
      });
      active = undefined;
      freeze();
    }
    if (active !== undefined) return;
    const pending = queue.shift();
    if (pending === undefined) return;
    thaw();
    active = pending;
    // The newest live poll: a runtime killed a moment ago may still have a poll here whose
    // 'close' has not been processed yet, and it must not get the invocation.
    let waiter = runtimeWaiting.pop();
    while (waiter !== undefined && waiter.response.socket?.destroyed !== false) waiter = runtimeWaiting.pop();
    waiter?.handOut(pending);
    for (const extension of extensions.values()) {
      if (!extension.record.events.includes('INVOKE')) continue;
      sendEvent(extension, {
        eventType: 'INVOKE',
        deadlineMs: pending.deadlineMs,
        requestId: pending.requestId,
        invokedFunctionArn: pending.input.functionArn ?? DEFAULT_FUNCTION_ARN,
        tracing:
          pending.input.traceHeader === undefined
            ? undefined
            : { type: 'X-Amzn-Trace-Id', value: pending.input.traceHeader },
      });
    }
  };

  const complete = (
    pending: Pending,
    outcome: Omit<InvocationOutcome, 'requestId' | 'deliveredAt' | 'durationMs' | 'deadlineMs'>,
  ) => {
    if (pending.done) return;
    pending.done = true;
    inFlight.delete(pending.requestId);
    finished.add(pending.requestId);
    pending.resolve({
      ...outcome,
      requestId: pending.requestId,
      deliveredAt: pending.deliveredAt,
      durationMs: outcome.completedAt - pending.deliveredAt,
      deadlineMs: pending.deadlineMs,
    });
    settle();
  };

  const deliver = (pending: Pending, response: ServerResponse) => {
    const timeoutMs = pending.input.timeoutMs ?? 30_000;
    pending.deliveredAt = performance.now();
    pending.deadlineMs = Date.now() + timeoutMs;
    inFlight.set(pending.requestId, pending);
    // Lambda stops waiting at the deadline, whatever the runtime or the extensions do later:
    // a runtime that has not answered timed out; extensions not back on /next are cut off.
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
      const record = freezeOf(pending.requestId);
      if (record.value === undefined) {
        const at = performance.now();
        record.set({
          requestId: pending.requestId,
          at,
          billedMs: at - pending.deliveredAt,
          cause: 'deadline',
        });
      }
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

  const handleExtension = async (
    method: string,
    path: string,
    request: IncomingMessage,
    response: ServerResponse,
    answer: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ) => {
    const identifier = request.headers['lambda-extension-identifier'];
    if (method === 'POST' && path === `${EXTENSION_PREFIX}/register`) {
      // Judged on arrival, before the body is read: the runtime's /next may be parsed while
      // this body is still being read, and Lambda orders the two by when they came in.
      const initOpen = firstNext.value === undefined;
      const at = performance.now();
      const name = request.headers['lambda-extension-name'] as string | undefined;
      const { text } = await readBody(request, 64 * 1024);
      const refuse = (status: number, errorType: string, errorMessage: string) => {
        registrations.push({ name, status, errorType, at });
        answer(status, { errorType, errorMessage });
      };
      if (name === undefined || name === '')
        return refuse(403, 'Extension.MissingExtensionName', 'Missing Lambda-Extension-Name header');
      // The error type is the emulator's own: the API documents only the 403.
      if (!initOpen)
        return refuse(
          403,
          'Extension.RegistrationClosed',
          'Extensions register during the init phase, before the runtime asks for its first invocation',
        );
      const events = (parseJson(text) as { events?: unknown } | null)?.events;
      if (!Array.isArray(events)) return refuse(400, 'InvalidRequest', 'the body names no events');
      const external = externalNames.has(name);
      for (const event of events) {
        if (event === 'SHUTDOWN' && !external)
          return refuse(
            403,
            'Extension.InvalidEventType',
            'SHUTDOWN: ShutdownEventNotSupportedForInternalExtension',
          );
        if (event !== 'INVOKE' && event !== 'SHUTDOWN')
          return refuse(403, 'Extension.InvalidEventType', `${String(event)}: ErrorInvalidEventType`);
      }
      if ([...extensions.values()].some((extension) => extension.record.name === name))
        return refuse(403, 'Extension.AlreadyRegistered', 'Extension already registered');
      const record = {
        id: randomUUID(),
        name,
        external,
        events: [...(events as string[])],
        registeredAt: at,
        errors: [],
      };
      extensions.set(record.id, { record, waiting: undefined, queued: [] });
      registrations.push({ name, status: 200, errorType: undefined, at });
      if (registrationAnswerDelayMs > 0) await delay(registrationAnswerDelayMs);
      answer(
        200,
        {
          functionName: DEFAULT_FUNCTION_ARN.slice(DEFAULT_FUNCTION_ARN.lastIndexOf(':') + 1),
          functionVersion: '$LATEST',
          handler: 'handler',
        },
        { 'lambda-extension-identifier': record.id },
      );
      registeredOf(name).set(record);
      return;
    }
    const extension = typeof identifier === 'string' ? extensions.get(identifier) : undefined;
    if (extension === undefined) {
      request.resume();
      return answer(403, {
        errorType:
          identifier === undefined
            ? 'Extension.MissingExtensionIdentifier'
            : 'Extension.InvalidExtensionIdentifier',
        errorMessage: 'Invalid Lambda-Extension-Identifier',
      });
    }
    if (method === 'GET' && path === `${EXTENSION_PREFIX}/event/next`) {
      const queued = extension.queued.shift();
      if (queued !== undefined) {
        extension.waiting = response;
        sendEvent(extension, queued);
        return;
      }
      extension.waiting = response;
      response.on('close', () => {
        if (extension.waiting === response && !response.writableEnded) extension.waiting = undefined;
      });
      settle();
      return;
    }
    const errorMatch = /^\/2020-01-01\/extension\/(init|exit)\/error$/.exec(path);
    if (method === 'POST' && errorMatch !== null) {
      await readBody(request, 64 * 1024);
      extension.record.errors.push({
        kind: errorMatch[1] as 'init' | 'exit',
        errorType: request.headers['lambda-extension-function-error-type'] as string | undefined,
      });
      return answer(202, { status: 'OK' });
    }
    request.resume();
    answer(404, { errorType: 'NotFound', errorMessage: `No route for ${method} ${path}` });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const answer = (status: number, body: unknown, headers?: Record<string, string>) => {
      log.push({ method, path, status });
      sendJson(response, status, body, headers);
    };

    if (path.startsWith(`${EXTENSION_PREFIX}/`)) {
      await handleExtension(method, path, request, response, answer);
      return;
    }

    if (method === 'GET' && path === `${PREFIX}/invocation/next`) {
      nextCount += 1;
      const now = performance.now();
      firstNext.set(now);
      for (const waiter of nextWaiters.filter((entry) => entry.count <= nextCount)) {
        nextWaiters.splice(nextWaiters.indexOf(waiter), 1);
        waiter.resolve(now);
      }
      const handOut = (pending: Pending) => {
        log.push({ method, path, status: 200 });
        deliver(pending, response);
      };
      // Long poll: no timeout, as the API asks of runtimes. A runtime that goes away while
      // waiting must not be handed the next invocation.
      const waiter = { handOut, response };
      runtimeWaiting.push(waiter);
      response.on('close', () => {
        const index = runtimeWaiting.indexOf(waiter);
        if (index >= 0 && !response.writableEnded) runtimeWaiting.splice(index, 1);
      });
      settle();
      return;
    }

    if (method === 'POST' && path === `${PREFIX}/init/error`) {
      const { text } = await readBody(request, MAX_RESPONSE_BYTES);
      const parsed = parseJson(text);
      initErrorValue.set({
        errorTypeHeader: request.headers['lambda-runtime-function-error-type'] as string | undefined,
        rawBody: text,
        document:
          parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined,
        at: performance.now(),
      });
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
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A client that went away while its body was read (a function process stopped in the
      // middle of a POST) leaves nobody to answer: not the emulator's failure. Anything else is.
      if ((error as { code?: unknown } | null)?.code === 'ECONNRESET') return;
      throw error;
    });
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    invoke(input) {
      return new Promise<InvocationOutcome>((resolve) => {
        queue.push({
          input,
          requestId: input.requestId ?? randomUUID(),
          resolve,
          deliveredAt: 0,
          deadlineMs: 0,
          timer: undefined,
          done: false,
        });
        settle();
      });
    },
    firstNext(timeoutMs = 15_000) {
      return withTimeout(
        firstNext.wait(),
        timeoutMs,
        () =>
          `the runtime made no GET /next within ${timeoutMs} ms${initErrorValue.value ? ` (init error: ${initErrorValue.value.rawBody})` : ''}`,
      );
    },
    initDone(timeoutMs = 15_000) {
      return withTimeout(initDone.wait(), timeoutMs, () => {
        const late = [...extensions.values()].filter((extension) => extension.waiting === undefined);
        return `the init phase did not end within ${timeoutMs} ms (runtime waiting: ${runtimeWaiting.length > 0}; extensions not on /next: ${late.map((extension) => extension.record.name).join(', ') || 'none'})`;
      });
    },
    frozen(requestId, timeoutMs = 15_000) {
      return withTimeout(freezeOf(requestId).wait(), timeoutMs, () => {
        const late = [...extensions.values()].filter((extension) => extension.waiting === undefined);
        return `invocation ${requestId} did not freeze within ${timeoutMs} ms (runtime waiting: ${runtimeWaiting.length > 0}; extensions not on /next: ${late.map((extension) => extension.record.name).join(', ') || 'none'})`;
      });
    },
    registered(name, timeoutMs = 15_000) {
      return withTimeout(
        registeredOf(name).wait(),
        timeoutMs,
        () => `no extension named ${name} registered within ${timeoutMs} ms`,
      );
    },
    delayRegistrationAnswers(ms) {
      registrationAnswerDelayMs = ms;
    },
    setExternalExtensions(names) {
      externalNames = new Set(names);
    },
    newEnvironment() {
      firstNext = new Awaited<number>();
      initDone = new Awaited<number>();
      extensions.clear();
      registeredByName.clear();
      runtimeWaiting.length = 0;
      freezeListeners.length = 0;
      thawListeners.length = 0;
      frozen = false;
      if (active !== undefined) clearTimeout(active.timer);
      active = undefined;
    },
    extensions: () =>
      [...extensions.values()].map((extension) => ({
        ...extension.record,
        errors: [...extension.record.errors],
      })),
    registrations: () => [...registrations],
    onFreeze(listener) {
      freezeListeners.push(listener);
    },
    onThaw(listener) {
      thawListeners.push(listener);
    },
    shutdown(reason = 'spindown', deadlineInMs = 2000) {
      thaw();
      const event = { eventType: 'SHUTDOWN', shutdownReason: reason, deadlineMs: Date.now() + deadlineInMs };
      for (const extension of extensions.values())
        if (extension.record.events.includes('SHUTDOWN')) sendEvent(extension, event);
    },
    initError(timeoutMs = 15_000) {
      return withTimeout(
        initErrorValue.wait(),
        timeoutMs,
        () => `the runtime reported no init error within ${timeoutMs} ms`,
      );
    },
    nextCount: () => nextCount,
    nextArrived(count, timeoutMs = 15_000) {
      if (nextCount >= count) return Promise.resolve();
      return withTimeout(
        new Promise<void>((resolve) => nextWaiters.push({ count, resolve: () => resolve() })),
        timeoutMs,
        () => `the runtime made ${nextCount} GET /next, not ${count}, within ${timeoutMs} ms`,
      );
    },
    nextAfter(count, timeoutMs = 15_000) {
      return withTimeout(
        new Promise<number>((resolve) => nextWaiters.push({ count: count + 1, resolve })),
        timeoutMs,
        () =>
          `the runtime made no new GET /next within ${timeoutMs} ms${initErrorValue.value ? ` (init error: ${initErrorValue.value.rawBody})` : ''}`,
      );
    },
    requests: () => log.map((entry) => ({ ...entry })),
    async close() {
      if (active !== undefined) clearTimeout(active.timer);
      for (const pending of [...inFlight.values(), ...queue]) clearTimeout(pending.timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
