// The OTLP/HTTP receiver: POST /v1/traces, /v1/metrics and /v1/logs, protobuf or JSON, gzip
// or identity, answered the way a collector answers (an empty Export…ServiceResponse).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import {
  decodeOtlpProtobuf,
  flattenLogs,
  flattenMetrics,
  flattenSpans,
  type OtlpLogsRequest,
  type OtlpMetricsRequest,
  type OtlpSignal,
  type OtlpTraceRequest,
  parseOtlpJson,
} from '../otlp/index.js';
import { logFromOtlp, metricFromOtlp, spanFromOtlp } from './from-otlp.js';
import { refuseForeignRequest } from './loopback-request.js';
import type { TelemetryStore } from './telemetry-store.js';
import type { ViewerSpan } from './viewer-records.js';

/** Largest body accepted, compressed or not: a collector's default is of this order. */
export const MAX_OTLP_BODY_BYTES = 32 * 1024 * 1024;

const PATHS: Readonly<Record<string, OtlpSignal>> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

const CONTENT_TYPES = { protobuf: 'application/x-protobuf', json: 'application/json' } as const;
type Format = keyof typeof CONTENT_TYPES;

/**
 * Most body bytes held at once over every request being read. Each request is bounded by
 * MAX_OTLP_BODY_BYTES, but many senders at once would add up without bound: past this, a body
 * is read to its end without being kept and answered 503, which exporters retry.
 */
export const MAX_BUFFERED_BODY_BYTES = 2 * MAX_OTLP_BODY_BYTES;

/**
 * Most messages (spans, attributes, values, data points…) decoded from one request. Each costs
 * the viewer about 450 bytes of heap however few bytes it took on the wire (an empty span is 2),
 * so the decoder's own default of 2 million let a 4 MB body take 2 GB. An exporter's batch is
 * far below this: 512 spans of 100 attributes are about 100,000.
 */
export const MAX_OTLP_MESSAGES = 250_000;
const DECODE_LIMITS = { maxMessages: MAX_OTLP_MESSAGES } as const;

/** Longest a request may take to arrive whole, headers and body. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** Body bytes held now by the requests one receiver is reading. */
interface BodyBudget {
  held: number;
}

type BodyOutcome = Buffer | 'too-large' | 'busy';

function readBody(request: IncomingMessage, budget: BodyBudget): Promise<BodyOutcome> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let held = 0;
    let refused: 'too-large' | 'busy' | undefined;
    const release = () => {
      budget.held -= held;
      held = 0;
      chunks.length = 0;
    };
    request.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (refused !== undefined) return;
      if (total > MAX_OTLP_BODY_BYTES) refused = 'too-large';
      else if (budget.held + chunk.length > MAX_BUFFERED_BODY_BYTES) refused = 'busy';
      if (refused !== undefined) {
        release();
        return;
      }
      budget.held += chunk.length;
      held += chunk.length;
      chunks.push(chunk);
    });
    request.on('end', () => {
      const outcome = refused ?? Buffer.concat(chunks, total);
      release();
      resolve(outcome);
    });
    // A sender that goes away mid-body gives no 'end': what it sent is let go all the same.
    request.on('close', release);
    request.on('error', (error) => {
      release();
      reject(error);
    });
  });
}

function answer(
  response: ServerResponse,
  status: number,
  format: Format | undefined,
  message?: string,
): void {
  if (message === undefined) {
    const body = format === 'json' ? Buffer.from('{}') : Buffer.alloc(0);
    response.writeHead(status, {
      'content-type': CONTENT_TYPES[format ?? 'protobuf'],
      'content-length': body.length,
    });
    response.end(body);
    return;
  }
  // A google.rpc.Status in JSON whatever the request's encoding: exporters only log it.
  const body = Buffer.from(JSON.stringify({ code: status >= 500 ? 14 : 3, message }));
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
}

/** Stores a decoded request's records. */
function store(store: TelemetryStore, signal: OtlpSignal, decoded: unknown): void {
  if (signal === 'traces') {
    const spans = flattenSpans(decoded as OtlpTraceRequest)
      .map(spanFromOtlp)
      .filter((span): span is ViewerSpan => span !== undefined);
    store.addSpans(spans);
  } else if (signal === 'metrics') {
    store.addMetricPoints(
      flattenMetrics(decoded as OtlpMetricsRequest).map((point) => metricFromOtlp(point, store.nextSeq())),
    );
  } else {
    store.addLogs(
      flattenLogs(decoded as OtlpLogsRequest).map((record) => logFromOtlp(record, store.nextSeq())),
    );
  }
}

async function handle(
  telemetry: TelemetryStore,
  request: IncomingMessage,
  response: ServerResponse,
  port: number,
  budget: BodyBudget,
): Promise<void> {
  // A web page must not write into the viewer: through DNS rebinding its requests carry a
  // foreign Host, as a cross-site request they carry a foreign Origin. Exporters send neither.
  const refusal = refuseForeignRequest(request, port);
  if (refusal !== undefined) {
    request.resume();
    telemetry.reject('otlp');
    answer(response, 403, undefined, refusal);
    return;
  }
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const signal = Object.hasOwn(PATHS, path) ? PATHS[path] : undefined;
  if (signal === undefined || request.method !== 'POST') {
    request.resume();
    answer(
      response,
      signal === undefined ? 404 : 405,
      undefined,
      `no OTLP endpoint for ${request.method} ${path}`,
    );
    return;
  }
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const format: Format | undefined =
    mediaType === CONTENT_TYPES.protobuf ? 'protobuf' : mediaType === CONTENT_TYPES.json ? 'json' : undefined;
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const body = await readBody(request, budget);
  if (body === 'too-large') {
    telemetry.reject('otlp');
    answer(response, 413, format, `body larger than ${MAX_OTLP_BODY_BYTES} bytes`);
    return;
  }
  if (body === 'busy') {
    telemetry.reject('otlp');
    response.setHeader('retry-after', '1');
    answer(
      response,
      503,
      format,
      `other requests hold ${MAX_BUFFERED_BODY_BYTES} bytes of bodies being read; retry shortly`,
    );
    return;
  }
  if (format === undefined || (encoding !== 'identity' && encoding !== 'gzip')) {
    telemetry.reject('otlp');
    answer(response, 415, format, `unsupported content type or encoding: ${mediaType} ${encoding}`);
    return;
  }
  let payload = body;
  if (encoding === 'gzip') {
    try {
      payload = gunzipSync(body, { maxOutputLength: MAX_OTLP_BODY_BYTES });
    } catch (error) {
      telemetry.reject('otlp');
      // zlib says only that it cannot make a Buffer that large: past the bound, say which bound.
      const tooLarge = (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
      if (tooLarge)
        answer(response, 413, format, `body larger than ${MAX_OTLP_BODY_BYTES} bytes once decompressed`);
      else answer(response, 400, format, `the gzip body cannot be decompressed: ${(error as Error).message}`);
      return;
    }
  }
  let decoded: unknown;
  try {
    decoded =
      format === 'protobuf'
        ? decodeOtlpProtobuf(payload, signal, DECODE_LIMITS)
        : parseOtlpJson(payload, signal, DECODE_LIMITS);
  } catch (error) {
    telemetry.reject('otlp');
    answer(response, 400, format, (error as Error).message);
    return;
  }
  store(telemetry, signal, decoded);
  answer(response, 200, format);
}

/**
 * Starts the OTLP/HTTP receiver on 127.0.0.1 (`port` 0 picks a free one).
 *
 * @example
 * const { server, port } = await startOtlpHttpReceiver(store, 4318);
 */
export async function startOtlpHttpReceiver(
  telemetry: TelemetryStore,
  port: number,
): Promise<{ server: Server; port: number }> {
  let listeningPort = port;
  const budget: BodyBudget = { held: 0 };
  // A sender that stalls mid-body holds its share of MAX_BUFFERED_BODY_BYTES until its request
  // times out: Node's default of 5 minutes would let two such senders turn every other request
  // away for that long. Exporters give up on a request after 10 s (OTEL_EXPORTER_OTLP_TIMEOUT),
  // so a request still unfinished after REQUEST_TIMEOUT_MS is answered 408 and let go.
  const server = createServer(
    { requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
    (request, response) => {
      handle(telemetry, request, response, listeningPort, budget).catch((error: unknown) => {
        telemetry.reject('otlp');
        if (!response.headersSent) answer(response, 500, undefined, String(error));
        else response.destroy();
      });
    },
  );
  server.listen(port, '127.0.0.1');
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error)),
  ]);
  listeningPort = (server.address() as AddressInfo).port;
  return { server, port: listeningPort };
}
