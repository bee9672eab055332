// Measures the ways of describing the OTLP messages once for the viewer's decoders
// (docs/decisions/0050-otlp-messages-described-once.md): the message tables of src/cli/otlp,
// against the hand-written decoders they replaced (as of the baseline commit) and protobufjs with
// the official .proto files (otlp-decoding-protobufjs.mjs), in both its forms: parsing the .proto
// files at start-up, and `protobufjs/light` with a JSON descriptor made ahead of time.
//
//   node benchmarks/decisions/otlp-decoding.mjs [--baseline fd036de] [--rounds 15] [--runs 20]
//
// Prints, per variant: the size of its minified bundle (what the CLI would carry), the code that
// describes the messages, the install size of any dependency; the CPU time of decoding each
// payload (protobuf and, where the variant reads it, OTLP/JSON) in milliseconds per MB, rounds
// alternated A B C … with the median and spread; start-up in a fresh process (loading the
// decoder, then the first request); and what each variant does with the malformed payloads of
// test/unit/cli/otlp-decode.test.ts. Before timing anything it checks that every variant decodes
// every payload to the same objects.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { context, SpanKind, SpanStatusCode, trace, ValueType } from '@opentelemetry/api';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { build } from 'esbuild';
import { summarize } from '../lib/stats.mjs';
import { PROTO_FILES } from './otlp-decoding-protobufjs.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1];
};
/** The list at table[outer][inner], created on first use. */
const listAt = (table, outer, inner) => {
  table[outer] = table[outer] ?? {};
  table[outer][inner] = table[outer][inner] ?? [];
  return table[outer][inner];
};
// The last commit with the hand-written decoders.
const baseline = argument('--baseline', 'fd036de');
const rounds = Number(argument('--rounds', 15));
const runs = Number(argument('--runs', 20));
const scratch = join(root, '.scratch', 'otlp-decoding');
const protoDir = join(root, 'test', 'helpers', 'opentelemetry-proto');
mkdirSync(scratch, { recursive: true });

// ---------------------------------------------------------------------------------------------
// The variants, each one bundled as the CLI would bundle it.

execFileSync('sh', ['-c', `git archive ${baseline} src/cli/otlp | tar -x -C "${scratch}"`], { cwd: root });
mkdirSync(join(scratch, 'baseline'), { recursive: true });
execFileSync('sh', [
  '-c',
  `rm -rf "${scratch}/baseline/otlp" && mv "${scratch}/src/cli/otlp" "${scratch}/baseline/otlp"`,
]);

const protobufjsRoot = (await import('protobufjs')).default;
const descriptorRoot = new protobufjsRoot.Root();
descriptorRoot.resolvePath = (_origin, target) => join(protoDir, target);
descriptorRoot.loadSync(PROTO_FILES);
writeFileSync(join(scratch, 'otlp-descriptor.json'), JSON.stringify(descriptorRoot.toJSON()));

const prototype = JSON.stringify(join(root, 'benchmarks', 'decisions', 'otlp-decoding-protobufjs.mjs'));
writeFileSync(
  join(scratch, 'protobufjs-full-entry.mjs'),
  `import protobuf from 'protobufjs';
import { join } from 'node:path';
import { createProtobufjsDecoder, PROTO_FILES } from ${prototype};
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(${JSON.stringify(protoDir)}, target);
root.loadSync(PROTO_FILES);
export const { decodeOtlpProtobuf } = createProtobufjsDecoder(protobuf, root);
`,
);
writeFileSync(
  join(scratch, 'protobufjs-light-entry.mjs'),
  `import protobuf from 'protobufjs/light.js';
import descriptor from './otlp-descriptor.json' with { type: 'json' };
import { createProtobufjsDecoder } from ${prototype};
export const { decodeOtlpProtobuf } = createProtobufjsDecoder(protobuf, protobuf.Root.fromJSON(descriptor));
`,
);

const VARIANTS = {
  'hand-written (baseline)': join(scratch, 'baseline', 'otlp', 'index.ts'),
  'message tables': join(root, 'src', 'cli', 'otlp', 'index.ts'),
  'protobufjs, .proto at start': join(scratch, 'protobufjs-full-entry.mjs'),
  'protobufjs/light, JSON descriptor': join(scratch, 'protobufjs-light-entry.mjs'),
};
const READS_JSON = new Set(['hand-written (baseline)', 'message tables']);

const bundles = {};
const minifiedBytes = {};
for (const [name, entry] of Object.entries(VARIANTS)) {
  const file = join(scratch, `${name.replace(/[^a-z]+/gi, '-')}.mjs`);
  // The CLI's bundles are ES modules for Node; `require` is provided for CommonJS dependencies.
  const options = {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  };
  await build({ ...options, outfile: file });
  const minified = await build({ ...options, minify: true, write: false });
  minifiedBytes[name] = minified.outputFiles[0].contents.length;
  bundles[name] = file;
}
const decoders = {};
for (const [name, file] of Object.entries(bundles)) decoders[name] = await import(pathToFileURL(file).href);

// ---------------------------------------------------------------------------------------------
// Payloads from the OpenTelemetry SDK's own serializers, about 1 MB of protobuf each.

const resource = resourceFromAttributes({
  'service.name': 'orders',
  'service.version': '1.4.2',
  'host.name': 'ip-10-0-0-1',
});

function tracePayload(count) {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  }).getTracer('lookout', '0.1.0');
  for (let index = 0; index < count; index++) {
    const server = tracer.startSpan('GET /orders/:id', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/orders/:id',
        'url.path': `/orders/${index}`,
        'http.response.status_code': index % 10 === 0 ? 500 : 200,
        'server.address': 'orders.internal',
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64)',
        'client.address': '10.0.3.4',
        'network.protocol.version': '1.1',
      },
    });
    const client = tracer.startSpan(
      'GET',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'GET',
          'url.full': `https://inventory/items/${index}`,
          'http.response.status_code': 200,
        },
      },
      trace.setSpan(context.active(), server),
    );
    client.end();
    if (index % 10 === 0) {
      server.addEvent('exception', {
        'exception.type': 'Error',
        'exception.message': 'boom',
        'exception.stacktrace': 'Error: boom\n    at handler (/app/server.js:10:11)',
      });
      server.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    }
    server.end();
  }
  const spans = exporter.getFinishedSpans();
  return {
    protobuf: ProtobufTraceSerializer.serializeRequest(spans),
    json: JsonTraceSerializer.serializeRequest(spans),
  };
}

async function metricsPayload(series) {
  class Reader extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  const reader = new Reader();
  const meter = new MeterProvider({
    resource,
    readers: [reader],
    views: [
      { instrumentName: 'app.payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
    ],
  }).getMeter('lookout', '0.1.0');
  const requests = meter.createCounter('http.server.requests', { valueType: ValueType.INT });
  const duration = meter.createHistogram('http.server.request.duration', { unit: 's' });
  const sizes = meter.createHistogram('app.payload.size', { unit: 'By' });
  const inflight = meter.createUpDownCounter('http.server.active_requests');
  for (let index = 0; index < series; index++) {
    const attributes = {
      'http.route': `/route/${index}`,
      'http.request.method': 'GET',
      'http.response.status_code': 200,
    };
    requests.add(index + 1, attributes);
    for (const value of [0.002, 0.01, 0.05, 0.3]) duration.record(value * (1 + (index % 7)), attributes);
    sizes.record(100 + index, attributes);
    inflight.add(1.5, attributes);
  }
  const { resourceMetrics } = await reader.collect();
  return {
    protobuf: ProtobufMetricsSerializer.serializeRequest(resourceMetrics),
    json: JsonMetricsSerializer.serializeRequest(resourceMetrics),
  };
}

function logsPayload(count) {
  const exporter = new InMemoryLogRecordExporter();
  const logger = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter })],
  }).getLogger('lookout', '0.1.0');
  const span = new BasicTracerProvider().getTracer('t').startSpan('request');
  const spanContext = trace.setSpan(context.active(), span);
  for (let index = 0; index < count; index++) {
    logger.emit({
      severityNumber: index % 20 === 0 ? 17 : 9,
      severityText: index % 20 === 0 ? 'ERROR' : 'INFO',
      context: spanContext,
      body:
        index % 2 === 0
          ? `order ${index} shipped`
          : { message: 'order shipped', order: { id: `o-${index}`, total: 12.5, items: [1, 2, 3] } },
      attributes: {
        'request.id': `r-${index}`,
        'user.id': 'u-42',
        'cold.start': false,
        'function.memory': 512,
      },
    });
  }
  span.end();
  const records = exporter.getFinishedLogRecords();
  return {
    protobuf: ProtobufLogsSerializer.serializeRequest(records),
    json: JsonLogsSerializer.serializeRequest(records),
  };
}

const payloads = {
  traces: tracePayload(1400),
  metrics: await metricsPayload(900),
  logs: logsPayload(4500),
};

// Every variant decodes every payload to the same objects, or the comparison means nothing.
const reference = decoders['hand-written (baseline)'];
for (const [signal, payload] of Object.entries(payloads)) {
  const expected = reference.decodeOtlpProtobuf(payload.protobuf, signal);
  for (const [name, decoder] of Object.entries(decoders)) {
    if (!isDeepStrictEqual(decoder.decodeOtlpProtobuf(payload.protobuf, signal), expected))
      throw new Error(`${name} decodes the ${signal} protobuf payload differently`);
    if (READS_JSON.has(name) && !isDeepStrictEqual(decoder.parseOtlpJson(payload.json, signal), expected))
      throw new Error(`${name} reads the ${signal} JSON payload differently`);
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding cost: CPU milliseconds per MB of payload.

function cpuMsPerMb(decode, bytes) {
  const iterations = Math.max(3, Math.ceil(4_000_000 / bytes.length));
  const before = process.cpuUsage();
  for (let index = 0; index < iterations; index++) decode();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / ((iterations * bytes.length) / 1_000_000);
}

const names = Object.keys(decoders);
const samples = {};
for (let round = -2; round < rounds; round++) {
  const order = names.map((_, index) => names[(index + Math.max(0, round)) % names.length]);
  for (const name of order) {
    const decoder = decoders[name];
    for (const [signal, payload] of Object.entries(payloads)) {
      const measured = {
        [`${signal} protobuf`]: cpuMsPerMb(
          () => decoder.decodeOtlpProtobuf(payload.protobuf, signal),
          payload.protobuf,
        ),
      };
      if (READS_JSON.has(name))
        measured[`${signal} JSON`] = cpuMsPerMb(
          () => decoder.parseOtlpJson(payload.json, signal),
          payload.json,
        );
      // The first two rounds warm the JIT up and are not kept.
      if (round < 0) continue;
      for (const [key, value] of Object.entries(measured)) listAt(samples, name, key).push(value);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Start-up: a fresh process loads the decoder, then decodes one small trace request.

const firstRequest = tracePayload(1).protobuf;
writeFileSync(join(scratch, 'first-request.bin'), firstRequest);
const startupScript = join(scratch, 'startup.mjs');
writeFileSync(
  startupScript,
  `import { readFileSync } from 'node:fs';
const bytes = readFileSync(process.argv[3]);
const wall = performance.now();
const cpu = process.cpuUsage();
const decoder = await import(process.argv[2]);
const loaded = process.cpuUsage(cpu);
const loadedWall = performance.now();
decoder.decodeOtlpProtobuf(bytes, 'traces');
const total = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({
  loadMs: loadedWall - wall,
  firstRequestMs: performance.now() - wall,
  loadCpuMs: (loaded.user + loaded.system) / 1000,
  firstRequestCpuMs: (total.user + total.system) / 1000,
}));
`,
);
const startup = {};
for (let run = 0; run < runs; run++) {
  for (let index = 0; index < names.length; index++) {
    const name = names[(index + run) % names.length];
    const child = spawnSync(
      process.execPath,
      [startupScript, pathToFileURL(bundles[name]).href, join(scratch, 'first-request.bin')],
      {
        encoding: 'utf8',
      },
    );
    if (child.status !== 0) throw new Error(`start-up of ${name} failed: ${child.stderr}`);
    for (const [key, value] of Object.entries(JSON.parse(child.stdout)))
      listAt(startup, name, key).push(value);
  }
}

// ---------------------------------------------------------------------------------------------
// The malformed payloads of test/unit/cli/otlp-decode.test.ts, and what each variant does.

const validSpan = tracePayload(1).protobuf;
let nested = [];
for (let level = 0; level < 200; level++) {
  const arrayValue = [0x0a, ...varint(nested.length), ...nested];
  nested = [0x2a, ...varint(arrayValue.length), ...arrayValue];
}
const MALFORMED = {
  'a truncated payload': ['traces', validSpan.subarray(0, validSpan.length - 3)],
  'a length past the end': ['traces', Uint8Array.of(0x0a, 0x05, 0x01)],
  'a varint longer than 10 bytes': ['traces', Uint8Array.of(0x10, ...new Array(11).fill(0xff))],
  'a varint above 64 bits': ['traces', Uint8Array.of(0x10, ...new Array(9).fill(0xff), 0x02)],
  'a group wire type': ['traces', Uint8Array.of(0x0b)],
  'field number 0': ['traces', Uint8Array.of(0x00, 0x01)],
  'a known field with the wrong wire type': ['traces', Uint8Array.of(0x08, 0x01)],
  'invalid UTF-8 in a span name': ['traces', nest([0x0a, 0x12, 0x12], [0x2a, 0x02, 0xff, 0xfe])],
  'a log body nested 200 deep': ['logs', nest([0x0a, 0x12, 0x12, 0x2a], nested)],
};
function varint(value) {
  const bytes = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return bytes;
}
function nest(tags, inner) {
  let bytes = [...inner];
  for (const tag of [...tags].reverse()) bytes = [tag, ...varint(bytes.length), ...bytes];
  return Uint8Array.from(bytes);
}
const behaviour = {};
for (const [name, decoder] of Object.entries(decoders)) {
  for (const [input, [signal, bytes]] of Object.entries(MALFORMED)) {
    let outcome = 'accepted';
    try {
      decoder.decodeOtlpProtobuf(bytes, signal);
    } catch (error) {
      outcome =
        error.name === 'OtlpDecodeError' ? 'OtlpDecodeError' : `${error.name}: ${error.message.slice(0, 40)}`;
    }
    behaviour[input] = { ...behaviour[input], [name]: outcome };
  }
}

// ---------------------------------------------------------------------------------------------
// Sizes: bundles, installed dependencies, and the code that describes the messages.

function diskBytes(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + diskBytes(join(path, entry)), 0);
}
const modules = join(root, 'node_modules');
const protobufjsInstall = {
  protobufjs: diskBytes(join(modules, 'protobufjs')),
  '@protobufjs/*': diskBytes(join(modules, '@protobufjs')),
  long: diskBytes(join(modules, 'long')),
  '@types/node (a dependency of protobufjs)': diskBytes(join(modules, '@types', 'node')),
};

function linesOf(directory) {
  let total = 0;
  let code = 0;
  for (const file of readdirSync(directory).filter((entry) => /\.(ts|mjs)$/.test(entry))) {
    for (const line of readFileSync(join(directory, file), 'utf8').split('\n')) {
      total += 1;
      const trimmed = line.trim();
      if (
        trimmed !== '' &&
        !trimmed.startsWith('//') &&
        !trimmed.startsWith('*') &&
        !trimmed.startsWith('/*')
      )
        code += 1;
    }
  }
  return { total, code };
}

// ---------------------------------------------------------------------------------------------

const format = (value) =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
const spread = ({ median, min, max }) => `${format(median)} (${format(min)}–${format(max)})`;
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
console.log(
  `node ${process.version}, commit ${commit}, baseline ${baseline}, ${rounds} rounds, ${runs} start-up runs`,
);
console.log(
  `load average at the start of the report: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
console.log(
  `payloads (protobuf / JSON bytes): ${Object.entries(payloads)
    .map(([signal, payload]) => `${signal} ${payload.protobuf.length} / ${payload.json.length}`)
    .join(', ')}`,
);

console.log('\nDecoding, CPU ms per MB: median (min–max)');
const keys = [...new Set(Object.values(samples).flatMap((bySignal) => Object.keys(bySignal)))];
console.log(['variant', ...keys].join(' | '));
for (const name of names)
  console.log(
    [name, ...keys.map((key) => (samples[name][key] ? spread(summarize(samples[name][key])) : '–'))].join(
      ' | ',
    ),
  );

console.log('\nStart-up in a fresh process, ms: median (min–max)');
console.log('variant | load (wall) | load + first request (wall) | load (CPU) | load + first request (CPU)');
for (const name of names) {
  const measured = startup[name];
  console.log(
    [
      name,
      ...['loadMs', 'firstRequestMs', 'loadCpuMs', 'firstRequestCpuMs'].map((key) =>
        spread(summarize(measured[key])),
      ),
    ].join(' | '),
  );
}

console.log('\nMalformed payloads of the unit tests');
console.log(['payload', ...names].join(' | '));
for (const [input, outcomes] of Object.entries(behaviour))
  console.log([input, ...names.map((name) => outcomes[name])].join(' | '));

console.log('\nSizes');
for (const name of names) console.log(`minified bundle, ${name}: ${minifiedBytes[name]} bytes`);
console.log(
  `JSON descriptor for protobufjs/light: ${statSync(join(scratch, 'otlp-descriptor.json')).size} bytes`,
);
console.log(
  `.proto files read by protobufjs at start: ${PROTO_FILES.length} requests, ${diskBytes(join(protoDir, 'opentelemetry'))} bytes with their imports`,
);
for (const [name, bytes] of Object.entries(protobufjsInstall))
  console.log(`installed ${name}: ${bytes} bytes`);
const before = linesOf(join(scratch, 'baseline', 'otlp'));
const after = linesOf(join(root, 'src', 'cli', 'otlp'));
const converter = linesOf(join(root, 'benchmarks', 'decisions')).code;
console.log(`src/cli/otlp, hand-written: ${before.total} lines, ${before.code} of code`);
console.log(`src/cli/otlp, message tables: ${after.total} lines, ${after.code} of code`);
console.log(
  `(benchmarks/decisions, for scale of the protobufjs converter: ${converter} lines of code in all)`,
);
