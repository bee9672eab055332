// A loopback OTLP/HTTP receiver for benchmarks: it accepts POST /v1/traces, /v1/metrics and
// /v1/logs in http/protobuf or http/json (gzip or not), reads every body to the end, counts
// the spans, metrics and log records in it, and answers 200 with an empty Export…Response in
// the request's encoding — what a collector does, minus the forwarding. Counting keeps the
// sink honest: a run whose exporter silently sent nothing shows zero items in the results.
//
// Standalone: `node benchmarks/sinks/otlp-sink.mjs [port]` prints the base URL and serves
// until killed.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gunzipSync, inflateSync } from 'node:zlib';

/** @type {Readonly<Record<string, { json: readonly string[] }>>} */
const SIGNALS = {
  '/v1/traces': { json: ['resourceSpans', 'scopeSpans', 'spans'] },
  '/v1/metrics': { json: ['resourceMetrics', 'scopeMetrics', 'metrics'] },
  '/v1/logs': { json: ['resourceLogs', 'scopeLogs', 'logRecords'] },
};

/**
 * Reads a protobuf varint at `offset`.
 * @param {Uint8Array} bytes
 * @param {number} offset
 * @returns {[number, number]} the value and the offset after it
 */
function readVarint(bytes, offset) {
  let value = 0;
  let scale = 1;
  for (let index = offset; index < bytes.length; index++) {
    const byte = /** @type {number} */ (bytes[index]); // index < bytes.length
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return [value, index + 1];
    scale *= 128;
    if (scale > 2 ** 63) break;
  }
  throw new Error('truncated or oversized protobuf varint');
}

/**
 * The length-delimited fields numbered `field` in one protobuf message, as sub-arrays.
 * Every other field is skipped by its wire type, so a malformed body throws.
 * @param {Uint8Array} bytes
 * @param {number} field
 * @returns {Uint8Array[]}
 */
export function protobufFields(bytes, field) {
  const found = [];
  let offset = 0;
  while (offset < bytes.length) {
    const [key, afterKey] = readVarint(bytes, offset);
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    offset = afterKey;
    if (wireType === 0) {
      offset = readVarint(bytes, offset)[1];
    } else if (wireType === 1) {
      offset += 8;
    } else if (wireType === 5) {
      offset += 4;
    } else if (wireType === 2) {
      const [length, afterLength] = readVarint(bytes, offset);
      const end = afterLength + length;
      if (end > bytes.length) throw new Error('protobuf field runs past the end of the body');
      if (number === field) found.push(bytes.subarray(afterLength, end));
      offset = end;
    } else {
      throw new Error(`unsupported protobuf wire type ${wireType}`);
    }
  }
  if (offset !== bytes.length) throw new Error('protobuf body ends inside a field');
  return found;
}

/**
 * Counts the items (spans, metrics or log records) in an OTLP export request body. All three
 * requests share one shape: field 1 of the request holds Resource… messages, field 2 of those
 * holds Scope… messages, field 2 of those holds the items.
 * @param {Uint8Array} body
 */
export function countProtobufItems(body) {
  let items = 0;
  for (const resource of protobufFields(body, 1))
    for (const scope of protobufFields(resource, 2)) items += protobufFields(scope, 2).length;
  return items;
}

/**
 * Counts the items in an OTLP/JSON export request.
 * @param {string} text
 * @param {readonly string[]} path the three keys down to the items, e.g. resourceSpans, scopeSpans, spans
 */
export function countJsonItems(text, path) {
  const [resourceKey = '', scopeKey = '', itemKey = ''] = path;
  const parsed = JSON.parse(text);
  let items = 0;
  for (const resource of parsed[resourceKey] ?? [])
    for (const scope of resource[scopeKey] ?? []) items += (scope[itemKey] ?? []).length;
  return items;
}

function emptyStats() {
  return {
    requests: 0,
    bytes: 0,
    spans: 0,
    metrics: 0,
    logRecords: 0,
    rejected: 0,
  };
}

/** @type {Readonly<Record<string, 'spans' | 'metrics' | 'logRecords'>>} */
const ITEM_KEY = { '/v1/traces': 'spans', '/v1/metrics': 'metrics', '/v1/logs': 'logRecords' };

/**
 * Starts the sink on 127.0.0.1.
 * @param {{ port?: number }} [options]
 * @returns {Promise<{ url: string, stats: () => ReturnType<typeof emptyStats>, reset: () => void, close: () => Promise<void> }>}
 */
export async function startOtlpSink({ port = 0 } = {}) {
  let stats = emptyStats();
  const server = createServer((request, response) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    request.on('end', () => {
      stats.requests++;
      stats.bytes += size;
      const [path = ''] = (request.url ?? '').split('?');
      const signal = SIGNALS[path];
      const json = (request.headers['content-type'] ?? '').includes('json');
      if (request.method !== 'POST' || signal === undefined) {
        stats.rejected++;
        response.writeHead(404).end();
        return;
      }
      try {
        let body = Buffer.concat(chunks, size);
        const encoding = request.headers['content-encoding'];
        if (encoding === 'gzip') body = gunzipSync(body);
        else if (encoding === 'deflate') body = inflateSync(body);
        const items = json ? countJsonItems(body.toString('utf8'), signal.json) : countProtobufItems(body);
        stats[/** @type {'spans' | 'metrics' | 'logRecords'} */ (ITEM_KEY[path])] += items; // a SIGNALS path
      } catch {
        stats.rejected++;
        response.writeHead(400, { 'content-type': 'text/plain' }).end('malformed OTLP body');
        return;
      }
      // An empty Export…ServiceResponse: zero bytes in protobuf, `{}` in JSON.
      if (json) response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else response.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 }).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    })
  );
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`,
    stats: () => ({ ...stats }),
    reset: () => {
      stats = emptyStats();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sink = await startOtlpSink({ port: Number(process.argv[2] ?? 0) });
  process.stdout.write(`${sink.url}\n`);
  process.on('SIGINT', () => {
    process.stdout.write(`${JSON.stringify(sink.stats())}\n`);
    process.exit(0);
  });
}
