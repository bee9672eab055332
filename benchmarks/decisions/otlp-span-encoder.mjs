// Measures what encoding spans costs with the OTLP transformer Lookout's exporter uses, against
// the least any encoder for Lookout's fixed server-span shape must do, to decide whether a
// hand-written encoder is worth keeping (docs/decisions/0008-otlp-span-encoder.md).
//
//   node benchmarks/decisions/otlp-span-encoder.mjs [--batches 200]
//
// The batch is 512 SERVER spans shaped as Lookout's (src/tracing/http/server-requests.ts):
// method, scheme, path, query, protocol version, client and server address and port, user
// agent, route, status code, request id. Three encoders are timed on the same batch, in CPU
// time (process.cpuUsage), alternated over rounds, medians reported:
//
//   transformer  ProtobufTraceSerializer.serializeRequest() from @opentelemetry/otlp-transformer:
//                the exporter's own path (it writes protobuf straight from the SDK's spans)
//   fixed-shape  a hand-written encoder for this shape only (attribute keys pre-encoded, no
//                type dispatch); its bytes are checked equal to the transformer's
//   lookout      Lookout's own encoder (src/tracing/otlp/encode-trace-request.ts, bundled from
//                the source here; docs/decisions/0066-own-otlp-span-encoder.md); its bytes are
//                checked equal to the transformer's on this batch and on spans with events,
//                links, trace state and every attribute type
//   floor        only the work no encoder avoids: each span's strings and ids written into
//                one buffer, no protobuf structure (a lower bound, not an encoder)
import { createTraceState, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { build } from 'esbuild';
import { median } from '../lib/stats.mjs';

// Lookout's encoder, bundled from its source so that the figure is the code the exporter runs.
const bundled = await build({
  entryPoints: [new URL('../../src/tracing/otlp/encode-trace-request.ts', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
  logLevel: 'error',
});
const { encodeTraceRequest } = await import(
  `data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`
);

const batchesPerRound = Number(process.argv[process.argv.indexOf('--batches') + 1]) || 200;
const ROUNDS = 7;
const BATCH = 512;

const memory = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'bench-app', 'telemetry.sdk.language': 'nodejs' }),
  spanProcessors: [new SimpleSpanProcessor(memory)],
});
const tracer = provider.getTracer('lookout', '0.1.0');
for (let index = 0; index < BATCH; index++) {
  const span = tracer.startSpan('GET', {
    kind: 1,
    attributes: {
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': `/hello/world-${index}`,
      'network.protocol.version': '1.1',
      'client.address': '127.0.0.1',
      'url.query': 'expand=items',
      'server.address': '127.0.0.1',
      'server.port': 3000,
      'user_agent.original': 'autocannon/9.0.0',
    },
  });
  span.setAttribute('request_id', `0b8e2d64-4a5c-4a0f-9d9e-${String(index).padStart(12, '0')}`);
  span.setAttribute('http.route', '/hello/:name');
  span.setAttribute('http.response.status_code', 200);
  span.updateName('GET /hello/:name');
  span.end();
}
const spans = memory.getFinishedSpans();
if (spans.length !== BATCH) throw new Error(`expected ${BATCH} spans, got ${spans.length}`);

// ---- fixed-shape encoder -------------------------------------------------------------------

function varintSize(value) {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size += 1;
  }
  return size;
}

class Writer {
  constructor(size) {
    this.buffer = Buffer.allocUnsafe(size);
    this.pos = 0;
  }
  varint(value) {
    while (value >= 0x80) {
      this.buffer[this.pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buffer[this.pos++] = value;
  }
  raw(bytes) {
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }
  hex(text) {
    this.pos += this.buffer.write(text, this.pos, 'hex');
  }
  utf8(text) {
    this.pos += this.buffer.write(text, this.pos, 'utf8');
  }
  fixed64(hrTime) {
    const nanos = BigInt(hrTime[0]) * 1_000_000_000n + BigInt(hrTime[1]);
    this.buffer.writeBigUInt64LE(nanos, this.pos);
    this.pos += 8;
  }
  fixed32(value) {
    this.buffer.writeUInt32LE(value, this.pos);
    this.pos += 4;
  }
}

const keyCache = new Map();
function keyBytes(key) {
  let bytes = keyCache.get(key);
  if (bytes === undefined) {
    const text = Buffer.from(key);
    bytes = Buffer.concat([Buffer.from([0x0a]), Buffer.from([text.length]), text]);
    keyCache.set(key, bytes);
  }
  return bytes;
}

/** Size of AnyValue for a string or an integer. */
function anyValueSize(value) {
  if (typeof value === 'string') {
    const length = Buffer.byteLength(value);
    return 1 + varintSize(length) + length;
  }
  return 1 + varintSize(value);
}

function keyValueSize(key, value) {
  const any = anyValueSize(value);
  return keyBytes(key).length + 1 + varintSize(any) + any;
}

function writeKeyValue(writer, field, key, value) {
  const size = keyValueSize(key, value);
  writer.varint((field << 3) | 2);
  writer.varint(size);
  writer.raw(keyBytes(key));
  const any = anyValueSize(value);
  writer.varint(0x12);
  writer.varint(any);
  if (typeof value === 'string') {
    writer.varint(0x0a);
    writer.varint(Buffer.byteLength(value));
    writer.utf8(value);
  } else {
    writer.varint(0x18);
    writer.varint(value);
  }
}

function statusSize(status) {
  return 1 + varintSize(status.code);
}

function spanSize(span) {
  let size = 2 + 16 + 2 + 8; // trace_id, span_id
  const nameLength = Buffer.byteLength(span.name);
  size += 1 + varintSize(nameLength) + nameLength;
  size += 2 + 9 + 9; // kind, start, end
  for (const key in span.attributes) {
    const kv = keyValueSize(key, span.attributes[key]);
    size += 1 + varintSize(kv) + kv;
  }
  size += 2 + 2 + 2; // dropped counts
  const status = statusSize(span.status);
  size += 1 + varintSize(status) + status;
  size += 2 + 4; // flags (tag 16 is two bytes)
  return size;
}

function encodeFixedShape(batch, resourceAndScope) {
  const sizes = batch.map(spanSize);
  let scopeSpansSize = resourceAndScope.scope.length;
  for (const size of sizes) scopeSpansSize += 1 + varintSize(size) + size;
  const resourceSpansSize =
    resourceAndScope.resource.length + 1 + varintSize(scopeSpansSize) + scopeSpansSize;
  const total = 1 + varintSize(resourceSpansSize) + resourceSpansSize;
  const writer = new Writer(total);
  writer.varint(0x0a);
  writer.varint(resourceSpansSize);
  writer.raw(resourceAndScope.resource);
  writer.varint(0x12);
  writer.varint(scopeSpansSize);
  writer.raw(resourceAndScope.scope);
  for (let index = 0; index < batch.length; index++) {
    const span = batch[index];
    const context = span.spanContext();
    writer.varint(0x12);
    writer.varint(sizes[index]);
    writer.varint(0x0a);
    writer.varint(16);
    writer.hex(context.traceId);
    writer.varint(0x12);
    writer.varint(8);
    writer.hex(context.spanId);
    writer.varint(0x2a);
    writer.varint(Buffer.byteLength(span.name));
    writer.utf8(span.name);
    writer.varint(0x30);
    writer.varint(span.kind + 1);
    writer.varint(0x39);
    writer.fixed64(span.startTime);
    writer.varint(0x41);
    writer.fixed64(span.endTime);
    for (const key in span.attributes) writeKeyValue(writer, 9, key, span.attributes[key]);
    writer.varint(0x50);
    writer.varint(0);
    writer.varint(0x60);
    writer.varint(0);
    writer.varint(0x70);
    writer.varint(0);
    writer.varint(0x7a);
    writer.varint(statusSize(span.status));
    writer.varint(0x18);
    writer.varint(span.status.code);
    writer.varint((16 << 3) | 5);
    writer.fixed32((context.traceFlags & 0xff) | 0x100);
  }
  return writer.buffer.subarray(0, writer.pos);
}

// ---- floor ------------------------------------------------------------------------------------

function floor(batch) {
  const buffer = Buffer.allocUnsafe(BATCH * 1024);
  let pos = 0;
  for (const span of batch) {
    const context = span.spanContext();
    pos += buffer.write(context.traceId, pos, 'hex');
    pos += buffer.write(context.spanId, pos, 'hex');
    pos += buffer.write(span.name, pos);
    for (const key in span.attributes) {
      const value = span.attributes[key];
      if (typeof value === 'string') pos += buffer.write(value, pos);
      else buffer[pos++] = value & 0x7f;
    }
  }
  return pos;
}

// ---- the resource and scope prefix, taken from the transformer's own output ------------------

const reference = ProtobufTraceSerializer.serializeRequest(spans);
function resourceAndScopeFrom(bytes) {
  // ExportTraceServiceRequest.resource_spans (1) -> ResourceSpans: resource (1), scope_spans (2)
  // -> ScopeSpans: scope (1), spans (2). Everything before the first span is copied as is.
  const read = (offset) => {
    let value = 0;
    let scale = 1;
    let index = offset;
    for (;;) {
      const byte = bytes[index++];
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return [value, index];
      scale *= 128;
    }
  };
  let [, offset] = read(0); // tag of resource_spans
  [, offset] = read(offset); // its length
  const resourceStart = offset;
  [, offset] = read(offset); // tag of resource
  let length;
  [length, offset] = read(offset);
  offset += length;
  const resource = bytes.subarray(resourceStart, offset);
  [, offset] = read(offset); // tag of scope_spans
  [, offset] = read(offset); // its length
  const scopeStart = offset;
  [, offset] = read(offset); // tag of scope
  [length, offset] = read(offset);
  offset += length;
  return { resource: Buffer.from(resource), scope: Buffer.from(bytes.subarray(scopeStart, offset)) };
}
const prefix = resourceAndScopeFrom(reference);
const fixed = encodeFixedShape(spans, prefix);
if (!Buffer.from(reference).equals(fixed))
  throw new Error(
    `the fixed-shape encoder's bytes differ from the transformer's (${fixed.length} vs ${reference.length} bytes)`,
  );

/** Throws unless Lookout's encoder writes the transformer's bytes for `batch`. */
function checkLookoutEncoder(batch) {
  const expected = Buffer.from(ProtobufTraceSerializer.serializeRequest(batch));
  const actual = Buffer.from(encodeTraceRequest(batch));
  if (!expected.equals(actual))
    throw new Error(
      `Lookout's encoder's bytes differ from the transformer's (${actual.length} vs ${expected.length} bytes, first at ${expected.findIndex((byte, at) => byte !== actual[at])})`,
    );
}

// Lookout's encoder must write the transformer's bytes for any span, not only this shape.
function richSpans() {
  const richMemory = new InMemorySpanExporter();
  const richProvider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'bench-app',
      'host.names': ['a', 'b'],
      'process.pid': 4242,
    }),
    spanProcessors: [new SimpleSpanProcessor(richMemory)],
  });
  const richTracer = richProvider.getTracer('lookout-rich', '2.0.0', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
  });
  const otherTracer = richProvider.getTracer('other');
  const parent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '5759e988bd862e3fe1be46a994272793',
    spanId: '53995c3f42cd8ad8',
    traceFlags: 1,
    isRemote: true,
    traceState: createTraceState('vendor=a,other=b'),
  });
  const values = [
    'plain',
    '',
    'é ü 日本 🙂',
    'x'.repeat(300),
    'ü'.repeat(70),
    0,
    1,
    -1,
    127,
    128,
    300,
    2 ** 31,
    2 ** 32,
    2 ** 40 + 3,
    -(2 ** 40),
    Number.MAX_SAFE_INTEGER,
    -(2 ** 63),
    2 ** 62,
    1.5,
    -0.25,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    false,
    ['a', 'b'],
    [1, 2, 3],
    [1.5, null, 'x'],
    [],
    [true, false],
  ];
  for (let index = 0; index < 40; index++) {
    const tracer = index % 3 === 2 ? otherTracer : richTracer;
    const span = tracer.startSpan(
      `op ${index} ${'n'.repeat(index * 7)}`,
      {
        kind: index % 5,
        attributes: Object.fromEntries(values.map((value, at) => [`attr.${at}.${index}`, value])),
        links: [
          {
            context: {
              traceId: 'abcdef0123456789abcdef0123456789',
              spanId: '0123456789abcdef',
              traceFlags: index % 2,
              isRemote: index % 3 === 0,
              traceState: createTraceState('k=v'),
            },
            attributes: { 'link.n': index },
          },
          {
            context: {
              traceId: '11111111111111111111111111111111',
              spanId: '2222222222222222',
              traceFlags: 0,
            },
          },
        ],
      },
      index % 2 === 0 ? parent : ROOT_CONTEXT,
    );
    span.addEvent('event one', { 'event.n': index, 'event.s': 'ü', 'event.a': [1, 2] });
    span.addEvent('event two');
    if (index % 4 === 0) span.setStatus({ code: 2, message: `failed ${index} — ü` });
    else if (index % 4 === 1) span.setStatus({ code: 1 });
    span.end();
  }
  return richMemory.getFinishedSpans();
}
// Checked here on this batch; on the rich spans after the timing, so that the encoders are timed
// as they run on this shape alone (both slow down once other shapes went through them).
checkLookoutEncoder(spans);

// ---- timing -------------------------------------------------------------------------------------

const encoders = {
  transformer: () => ProtobufTraceSerializer.serializeRequest(spans),
  'fixed-shape': () => encodeFixedShape(spans, prefix),
  lookout: () => encodeTraceRequest(spans),
  floor: () => floor(spans),
};
for (const encode of Object.values(encoders)) for (let index = 0; index < 20; index++) encode();

const samples = Object.fromEntries(Object.keys(encoders).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, encode] of Object.entries(encoders)) {
    const started = process.cpuUsage();
    for (let index = 0; index < batchesPerRound; index++) encode();
    const used = process.cpuUsage(started);
    samples[name].push((used.user + used.system) / (batchesPerRound * BATCH));
  }
}

const transformer = median(samples.transformer);
console.log(
  `batch: ${BATCH} server spans, ${reference.length} bytes encoded (${(reference.length / BATCH).toFixed(0)} per span)`,
);
console.log(`rounds: ${ROUNDS} x ${batchesPerRound} batches; CPU µs per span, median [min–max]`);
for (const [name, values] of Object.entries(samples)) {
  const saved =
    name === 'transformer' ? '' : `  saves ${(transformer - median(values)).toFixed(2)} µs per span`;
  console.log(
    `${name.padEnd(12)} ${median(values).toFixed(2)} [${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}]${saved}`,
  );
}

checkLookoutEncoder(richSpans());
console.log(
  "lookout: bytes equal to the transformer's on this batch and on 40 spans with events, links, trace state and every attribute type",
);
