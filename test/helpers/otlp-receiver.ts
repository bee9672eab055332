// An OTLP/HTTP receiver for tests: a real HTTP server on loopback that accepts what the real
// OpenTelemetry exporters send (protobuf or JSON, gzip or not) and answers as a collector does.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import {
  decodeOtlpProtobuf,
  type FlatLogRecord,
  type FlatMetricPoint,
  type FlatSpan,
  flattenLogs,
  flattenMetrics,
  flattenSpans,
  type OtlpLogsRequest,
  type OtlpMetricsRequest,
  type OtlpSignal,
  type OtlpTraceRequest,
  parseOtlpJson,
} from '../../src/cli/otlp/index.js';

/** Largest request body accepted, compressed or not (the collector's default is larger; tests never need it). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

const PATHS: Readonly<Record<string, OtlpSignal>> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

const CONTENT_TYPES = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
} as const;

/** One HTTP request the receiver saw, accepted or not. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly headers: IncomingHttpHeaders;
  /** Bytes of the body as sent (compressed when gzip). */
  readonly bytes: number;
  /** The status the receiver answered. */
  readonly status: number;
  /** Why the request was refused (decode error, unsupported type, ...), when it was. */
  readonly error: string | undefined;
  /** The body as decoded from its content encoding (the raw JSON or protobuf), when it was read. */
  readonly payload: Uint8Array | undefined;
  /** The decoded request, when decoding succeeded. */
  readonly decoded: OtlpTraceRequest | OtlpMetricsRequest | OtlpLogsRequest | undefined;
  /** performance.now() when the request arrived (its headers), to order it against other peers. */
  readonly arrivedAt: number;
}

/** How the receiver answers, to simulate a failing or slow collector. */
export interface ResponseBehaviour {
  /**
   * HTTP status for export requests; telemetry in a request answered with a non-2xx status is
   * not recorded (the collector did not accept it).
   * @default 200
   */
  readonly status?: number;
  /**
   * Milliseconds to wait before answering.
   * @default 0
   */
  readonly delayMs?: number;
  /** Answer this way for this many requests, then go back to normal (default: until changed). */
  readonly times?: number;
  /** Adds a `Retry-After` header (seconds), as a collector does with 429 and 503. */
  readonly retryAfterSeconds?: number;
}

export interface WaitOptions {
  /**
   * How long to wait before rejecting.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /**
   * With a predicate: how many matching records to wait for.
   * @default 1
   */
  readonly count?: number;
}

export type WaitTarget<T> = number | ((record: T) => boolean);

export interface OtlpReceiver {
  /** Base URL, e.g. `http://127.0.0.1:43210` (exporters append `/v1/traces` etc.). */
  readonly url: string;
  /** Every span received so far, flattened, in arrival order. */
  spans(): FlatSpan[];
  /** Every metric data point received so far, flattened. */
  metrics(): FlatMetricPoint[];
  /** Every log record received so far, flattened. */
  logs(): FlatLogRecord[];
  /** Every HTTP request received so far, including refused ones. */
  requests(): ReceivedRequest[];
  /**
   * Resolves with the spans once `count` spans have arrived (a number), or once at least
   * `options.count` (default 1) spans match the predicate (resolving with the matches).
   * Rejects after `timeoutMs` with a message listing what did arrive.
   */
  waitForSpans(target: WaitTarget<FlatSpan>, options?: WaitOptions): Promise<FlatSpan[]>;
  waitForMetrics(target: WaitTarget<FlatMetricPoint>, options?: WaitOptions): Promise<FlatMetricPoint[]>;
  waitForLogs(target: WaitTarget<FlatLogRecord>, options?: WaitOptions): Promise<FlatLogRecord[]>;
  /** Changes how the next export requests are answered; no argument goes back to normal. */
  respondWith(behaviour?: ResponseBehaviour): void;
  /** Forgets everything received so far. */
  clear(): void;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

export interface OtlpReceiverOptions {
  /** The initial response behaviour (see `respondWith`). */
  readonly respondWith?: ResponseBehaviour;
  /**
   * Serve HTTPS (`url` is then `https://…`) with this certificate and key (PEM). With `ca`,
   * the receiver asks every client for a certificate and refuses a connection whose
   * certificate that CA did not sign (mutual TLS).
   */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca?: string };
}

interface Waiter {
  readonly check: () => boolean;
}

/**
 * Starts an OTLP/HTTP receiver on 127.0.0.1 (a free port). POST /v1/traces, /v1/metrics and
 * /v1/logs accept `application/x-protobuf` and `application/json`, gzip or identity encoded.
 *
 * @example
 * const receiver = await startOtlpReceiver();
 * const app = await spawnApp({ args: ['--import', 'lookout/register', 'app.mjs'], env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
 * const [span] = await receiver.waitForSpans((span) => span.kind === 'SERVER');
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const received = { spans: [] as FlatSpan[], metrics: [] as FlatMetricPoint[], logs: [] as FlatLogRecord[] };
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<Waiter>();
  let behaviour: ResponseBehaviour = options.respondWith ?? {};
  let remainingTimes = behaviour.times;

  const notify = (): void => {
    for (const waiter of waiters) if (waiter.check()) waiters.delete(waiter);
  };

  /** Takes the behaviour for one export request, counting down `times`. */
  const takeBehaviour = (): ResponseBehaviour => {
    const current = behaviour;
    if (remainingTimes !== undefined) {
      remainingTimes -= 1;
      if (remainingTimes <= 0) {
        behaviour = {};
        remainingTimes = undefined;
      }
    }
    return current;
  };

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
      else response.destroy();
    });
  };
  const { tls } = options;
  const server =
    tls === undefined
      ? createServer(listener)
      : createHttpsServer(
          tls.ca === undefined
            ? { cert: tls.cert, key: tls.key }
            : { cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: true },
          listener,
        );

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    const contentType = header(request.headers['content-type']);
    const contentEncoding = header(request.headers['content-encoding']);
    let payload: Uint8Array | undefined;
    const record = (bytes: number, status: number, error?: string, decoded?: ReceivedRequest['decoded']) => {
      requests.push({
        payload,
        method,
        path,
        contentType,
        contentEncoding,
        headers: request.headers,
        bytes,
        status,
        error,
        decoded,
        arrivedAt,
      });
      notify();
    };

    const signal = Object.hasOwn(PATHS, path) ? PATHS[path] : undefined;
    if (signal === undefined || method !== 'POST') {
      request.resume();
      const status = signal === undefined ? 404 : 405;
      record(
        0,
        status,
        signal === undefined ? `no OTLP endpoint at ${path}` : `method ${method} not allowed`,
      );
      response.writeHead(status, { 'content-type': 'text/plain' }).end(`${status}\n`);
      return;
    }

    const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
    const format =
      mediaType === CONTENT_TYPES.protobuf
        ? 'protobuf'
        : mediaType === CONTENT_TYPES.json
          ? 'json'
          : undefined;
    const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();

    const { body, bytes } = await readBody(request, MAX_BODY_BYTES);
    if (body === undefined) {
      record(bytes, 413, `body larger than ${MAX_BODY_BYTES} bytes`);
      response.writeHead(413, { connection: 'close', 'content-type': 'text/plain' }).end('413\n');
      return;
    }
    if (format === undefined) {
      record(body.length, 415, `unsupported content type ${contentType ?? '(none)'}`);
      response.writeHead(415, { 'content-type': 'text/plain' }).end('415\n');
      return;
    }
    if (encoding !== 'identity' && encoding !== 'gzip') {
      record(body.length, 415, `unsupported content encoding ${encoding}`);
      sendStatus(response, format, 415, `unsupported content encoding ${encoding}`);
      return;
    }

    let decoded: ReceivedRequest['decoded'];
    try {
      payload = encoding === 'gzip' ? gunzipSync(body, { maxOutputLength: MAX_BODY_BYTES }) : body;
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      const status = tooLarge ? 413 : 400;
      record(body.length, status, `gzip: ${(error as Error).message}`);
      sendStatus(response, format, status, `gzip: ${(error as Error).message}`);
      return;
    }
    try {
      decoded = format === 'protobuf' ? decodeOtlpProtobuf(payload, signal) : parseOtlpJson(payload, signal);
      if (signal === 'traces') checkIdLengths(decoded as OtlpTraceRequest);
    } catch (error) {
      record(body.length, 400, (error as Error).message);
      sendStatus(response, format, 400, (error as Error).message);
      return;
    }

    const { status = 200, delayMs = 0, retryAfterSeconds } = takeBehaviour();
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (status >= 200 && status < 300) {
      if (signal === 'traces') received.spans.push(...flattenSpans(decoded as OtlpTraceRequest));
      else if (signal === 'metrics') received.metrics.push(...flattenMetrics(decoded as OtlpMetricsRequest));
      else received.logs.push(...flattenLogs(decoded as OtlpLogsRequest));
    }
    record(
      body.length,
      status,
      status >= 300 ? `answered ${status} as asked by respondWith()` : undefined,
      decoded,
    );
    if (response.destroyed) return;
    const headers: Record<string, string> = {};
    if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
    if (status >= 200 && status < 300) {
      // An empty Export*ServiceResponse: zero bytes in protobuf, `{}` in JSON.
      const answer = format === 'protobuf' ? Buffer.alloc(0) : Buffer.from('{}');
      response.writeHead(status, {
        ...headers,
        'content-type': CONTENT_TYPES[format],
        'content-length': answer.length,
      });
      response.end(answer);
    } else {
      sendStatus(response, format, status, `simulated failure (${status})`, headers);
    }
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  function waitFor<T>(
    what: 'spans' | 'metrics' | 'logs',
    list: () => T[],
    target: WaitTarget<T>,
    options: WaitOptions = {},
  ): Promise<T[]> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const wanted = typeof target === 'number' ? target : (options.count ?? 1);
    const select = (): T[] => (typeof target === 'number' ? list() : list().filter(target));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const selected = select();
          if (selected.length < wanted) return false;
          clearTimeout(timer);
          resolve(selected);
          return true;
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        const selected = select();
        const goal =
          typeof target === 'number' ? `${wanted} ${what}` : `${wanted} ${what} matching the predicate`;
        reject(
          new Error(
            `waitFor${what[0]?.toUpperCase()}${what.slice(1)}: timed out after ${timeoutMs} ms waiting for ${goal}; ` +
              `${typeof target === 'number' ? '' : `${selected.length} matched, `}` +
              `received ${list().length} ${what}:\n${describeRecords(what, list())}\n` +
              `requests (${requests.length}):\n${describeRequests(requests)}`,
          ),
        );
      }, timeoutMs);
      if (!waiter.check()) waiters.add(waiter);
    });
  }

  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    spans: () => [...received.spans],
    metrics: () => [...received.metrics],
    logs: () => [...received.logs],
    requests: () => [...requests],
    waitForSpans: (target, options) => waitFor('spans', () => received.spans, target, options),
    waitForMetrics: (target, options) => waitFor('metrics', () => received.metrics, target, options),
    waitForLogs: (target, options) => waitFor('logs', () => received.logs, target, options),
    respondWith(next = {}) {
      behaviour = next;
      remainingTimes = next.times;
    },
    clear() {
      received.spans.length = 0;
      received.metrics.length = 0;
      received.logs.length = 0;
      requests.length = 0;
    },
    async close() {
      if (!server.listening) return;
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

// The collector's ids are fixed-size: a trace id of other than 16 bytes or a span id of other than
// 8 (empty is allowed) fails the whole request ("unmarshal: invalid TraceID length"), as here.
const TRACE_ID_HEX = /^(?:[0-9a-f]{32})?$/;
const SPAN_ID_HEX = /^(?:[0-9a-f]{16})?$/;

/** Throws, as the collector refuses the request, when an id of a span or of a link has the wrong length. */
function checkIdLengths(request: OtlpTraceRequest): void {
  for (const span of flattenSpans(request)) {
    const ids = [span, ...span.links].map((item) => [item.traceId, item.spanId] as const);
    if (span.parentSpanId !== undefined) ids.push(['', span.parentSpanId]);
    for (const [traceId, spanId] of ids) {
      if (!TRACE_ID_HEX.test(traceId)) throw new Error(`unmarshal: invalid TraceID length (${traceId})`);
      if (!SPAN_ID_HEX.test(spanId)) throw new Error(`unmarshal: invalid SpanID length (${spanId})`);
    }
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Reads a request body. Past `limit` bytes (declared or read) the body is undefined and the rest
 * is drained without being kept, so the client still gets the 413 instead of a reset connection.
 */
function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<{ body: Buffer | undefined; bytes: number }> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    let tooLarge = Number.isFinite(declared) && declared > limit;
    const chunks: Buffer[] = [];
    let total = 0;
    request.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) tooLarge = true;
      if (tooLarge) chunks.length = 0;
      else chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(
        tooLarge ? { body: undefined, bytes: total } : { body: Buffer.concat(chunks, total), bytes: total },
      ),
    );
    request.on('error', reject);
    // A client that goes away mid-body never sends 'end'; settle rather than wait forever.
    request.on('close', () => {
      if (!request.complete)
        reject(new Error('the client closed the connection before sending the whole body'));
    });
  });
}

/** A google.rpc.Status body (code 1, message 2) in the request's encoding, as a collector sends on errors. */
function sendStatus(
  response: ServerResponse,
  format: 'protobuf' | 'json',
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  // gRPC codes as the collector maps them: 3 INVALID_ARGUMENT for a bad request, 14 UNAVAILABLE otherwise.
  const code = status >= 400 && status < 500 && status !== 429 ? 3 : 14;
  let body: Buffer;
  if (format === 'json') {
    body = Buffer.from(JSON.stringify({ code, message }));
  } else {
    const text = Buffer.from(message);
    body = Buffer.concat([Buffer.from([0x08, code, 0x12]), encodeVarint(text.length), text]);
  }
  response.writeHead(status, {
    ...headers,
    'content-type': CONTENT_TYPES[format],
    'content-length': body.length,
  });
  response.end(body);
}

function encodeVarint(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

function describeRecords(what: string, records: readonly unknown[]): string {
  if (records.length === 0) return '  (none)';
  const shown = records.slice(0, 30).map((record) => {
    const item = record as Partial<FlatSpan & FlatLogRecord & { type: string }>;
    if (what === 'spans') {
      return `  - ${item.name} [${item.kind}] trace=${item.traceId} span=${item.spanId} parent=${item.parentSpanId ?? '-'} ${JSON.stringify(item.attributes, bigintSafe)}`;
    }
    if (what === 'metrics')
      return `  - ${item.name} (${item.type}) ${JSON.stringify(item.attributes, bigintSafe)}`;
    return `  - [${item.severityText || item.severityNumber}] ${JSON.stringify(item.body, bigintSafe)} ${JSON.stringify(item.attributes, bigintSafe)}`;
  });
  if (records.length > shown.length) shown.push(`  ... and ${records.length - shown.length} more`);
  return shown.join('\n');
}

function describeRequests(requests: readonly ReceivedRequest[]): string {
  if (requests.length === 0) return '  (none)';
  return requests
    .slice(-20)
    .map(
      (request) =>
        `  - ${request.method} ${request.path} ${request.contentType ?? '(no content-type)'}` +
        `${request.contentEncoding ? ` ${request.contentEncoding}` : ''} ${request.bytes} bytes -> ${request.status}` +
        `${request.error ? ` (${request.error})` : ''}`,
    )
    .join('\n');
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
