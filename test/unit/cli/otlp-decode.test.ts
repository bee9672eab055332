import { context, SpanKind, SpanStatusCode, trace, ValueType } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
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
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import {
  decodeLogsRequest,
  decodeMetricsRequest,
  decodeOtlpProtobuf,
  decodeTraceRequest,
  type FlatHistogramPoint,
  type FlatNumberPoint,
  flattenLogs,
  flattenMetrics,
  flattenSpans,
  OtlpDecodeError,
  ProtobufReader,
  parseOtlpJson,
} from '../../../src/cli/otlp/index.js';

const resource = resourceFromAttributes({
  'service.name': 'decode-test',
  'service.version': '1.2.3',
  'process.pid': 4242,
});

function serialized(bytes: Uint8Array | undefined): Uint8Array {
  if (bytes === undefined) throw new Error('the serializer returned nothing');
  return bytes;
}

/** Real SDK spans covering every kind, status, events, links and attribute value type. */
function makeSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('decode-scope', '0.9.1');

  const linked = tracer.startSpan('linked-producer', { kind: SpanKind.PRODUCER });
  linked.end();

  const root = tracer.startSpan('GET /orders/:id', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.route': '/orders/:id',
      'http.response.status_code': 500,
      'app.ratio': 0.25,
      'app.negative': -7,
      'app.large': 2 ** 40,
      'app.cached': false,
      'app.tags': ['a', 'b'],
      'app.sizes': [1, 2, 3],
      'app.weights': [0.5, 1.5],
      'app.flags': [true, false],
      'app.unicode': 'héllo ✓ 日本',
    },
  });
  root.addEvent('exception', { 'exception.type': 'Error', 'exception.message': 'boom', 'app.retry': 2 });
  root.addEvent('annotation');
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });

  const rootContext = trace.setSpan(context.active(), root);
  for (const [name, kind] of [
    ['internal-step', SpanKind.INTERNAL],
    ['db query', SpanKind.CLIENT],
    ['consume message', SpanKind.CONSUMER],
  ] as const) {
    const child = tracer.startSpan(
      name,
      {
        kind,
        links:
          kind === SpanKind.CONSUMER
            ? [{ context: linked.spanContext(), attributes: { 'messaging.batch.index': 3 } }]
            : [],
      },
      rootContext,
    );
    child.setStatus({ code: SpanStatusCode.OK });
    child.end();
  }
  root.end();
  return exporter.getFinishedSpans();
}

/** Real SDK metrics: int and double sums, a gauge, an explicit and an exponential histogram. */
async function makeMetrics() {
  class CollectingReader extends MetricReader {
    protected override async onForceFlush(): Promise<void> {}
    protected override async onShutdown(): Promise<void> {}
  }
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource,
    readers: [reader],
    views: [
      { instrumentName: 'app.payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
    ],
  });
  const meter = provider.getMeter('metrics-scope', '3.0.0');

  const requests = meter.createCounter('app.requests', { unit: '{request}', valueType: ValueType.INT });
  requests.add(3, { route: '/orders/:id', method: 'GET' });
  requests.add(2, { route: '/health', method: 'GET' });

  const inflight = meter.createUpDownCounter('app.inflight', { valueType: ValueType.DOUBLE });
  inflight.add(2.5);
  inflight.add(-1);

  const duration = meter.createHistogram('app.duration', {
    unit: 'ms',
    description: 'Request duration',
    advice: { explicitBucketBoundaries: [10, 100, 1000] },
  });
  for (const value of [5, 50, 50, 500, 5000]) duration.record(value, { route: '/orders/:id' });

  const sizes = meter.createHistogram('app.payload.size', { unit: 'By' });
  for (const value of [1, 2, 4, 1024, 3.5]) sizes.record(value);

  const temperature = meter.createObservableGauge('app.temperature', { unit: 'Cel' });
  temperature.addCallback((result) => result.observe(21.5, { room: 'lab' }));

  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  await provider.shutdown();
  return resourceMetrics;
}

/** Real SDK log records: every AnyValue kind in bodies and attributes, severities, trace context. */
function makeLogs() {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('logs-scope', '2.0.0');
  const tracer = new BasicTracerProvider().getTracer('t');
  const span = tracer.startSpan('with-logs');
  const spanContext = trace.setSpan(context.active(), span);

  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'plain text body' });
  logger.emit({
    severityNumber: SeverityNumber.ERROR2,
    severityText: 'ERROR',
    eventName: 'order.failed',
    context: spanContext,
    body: {
      message: 'structured',
      count: 3,
      ratio: 0.5,
      ok: true,
      nothing: null,
      bytes: new Uint8Array([0, 1, 254, 255]),
      list: ['x', 2, false, [1.5]],
      nested: { deeper: { value: 'z' } },
    },
    attributes: { 'order.id': 'o-1', 'order.total': 12.5, 'order.items': 2, 'order.meta': { vip: true } },
  });
  logger.emit({ severityNumber: SeverityNumber.DEBUG, attributes: { 'no.body': true } });
  span.end();
  return { records: exporter.getFinishedLogRecords(), spanContext: span.spanContext() };
}

describe('OTLP decoding of the real exporters encodings', () => {
  it('decodes spans to the same records from protobuf and from JSON', () => {
    // Prepare
    const spans = makeSpans();
    const protobuf = serialized(ProtobufTraceSerializer.serializeRequest(spans));
    const json = serialized(JsonTraceSerializer.serializeRequest(spans));

    // Act
    const fromProtobuf = decodeTraceRequest(protobuf);
    const fromJson = parseOtlpJson(json, 'traces');

    // Assess
    expect(fromProtobuf).toEqual(fromJson);
    expect(flattenSpans(fromProtobuf)).toEqual(flattenSpans(fromJson));
  });

  it('keeps ids, parentage, kinds, statuses, events, links, times and attribute types', () => {
    // Prepare
    const spans = makeSpans();
    const bySdkName = new Map(spans.map((span) => [span.name, span]));

    // Act
    const flat = flattenSpans(
      decodeTraceRequest(serialized(ProtobufTraceSerializer.serializeRequest(spans))),
    );

    // Assess
    expect(flat.map((span) => [span.name, span.kind, span.status.code])).toEqual([
      ['linked-producer', 'PRODUCER', 'UNSET'],
      ['internal-step', 'INTERNAL', 'OK'],
      ['db query', 'CLIENT', 'OK'],
      ['consume message', 'CONSUMER', 'OK'],
      ['GET /orders/:id', 'SERVER', 'ERROR'],
    ]);
    const root = flat.find((span) => span.name === 'GET /orders/:id');
    const sdkRoot = bySdkName.get('GET /orders/:id');
    expect(root?.traceId).toBe(sdkRoot?.spanContext().traceId);
    expect(root?.spanId).toBe(sdkRoot?.spanContext().spanId);
    expect(root?.parentSpanId).toBeUndefined();
    expect((root?.flags ?? 0) & 0xff).toBe(1);
    expect(root?.status.message).toBe('boom');
    expect(root?.attributes).toEqual({
      'http.route': '/orders/:id',
      'http.response.status_code': 500,
      'app.ratio': 0.25,
      'app.negative': -7,
      'app.large': 2 ** 40,
      'app.cached': false,
      'app.tags': ['a', 'b'],
      'app.sizes': [1, 2, 3],
      'app.weights': [0.5, 1.5],
      'app.flags': [true, false],
      'app.unicode': 'héllo ✓ 日本',
    });
    expect(root?.resource).toMatchObject({ 'service.name': 'decode-test', 'process.pid': 4242 });
    expect(root?.scope).toEqual({ name: 'decode-scope', version: '0.9.1', attributes: {} });
    const [startSeconds, startNanos] = sdkRoot?.startTime ?? [0, 0];
    expect(root?.startTimeUnixNano).toBe(BigInt(startSeconds) * 1_000_000_000n + BigInt(startNanos));
    expect(root?.endTimeUnixNano).toBeGreaterThanOrEqual(root?.startTimeUnixNano ?? 0n);
    expect(root?.events.map((event) => [event.name, event.attributes])).toEqual([
      ['exception', { 'exception.type': 'Error', 'exception.message': 'boom', 'app.retry': 2 }],
      ['annotation', {}],
    ]);

    for (const child of flat.filter((span) =>
      ['internal-step', 'db query', 'consume message'].includes(span.name),
    )) {
      expect(child.parentSpanId).toBe(root?.spanId);
      expect(child.traceId).toBe(root?.traceId);
    }
    const consumer = flat.find((span) => span.name === 'consume message');
    const producer = flat.find((span) => span.name === 'linked-producer');
    expect(consumer?.links).toEqual([
      {
        traceId: producer?.traceId,
        spanId: producer?.spanId,
        traceState: '',
        flags: expect.any(Number),
        attributes: { 'messaging.batch.index': 3 },
      },
    ]);
  });

  it('decodes metrics to the same data points from protobuf and from JSON', async () => {
    // Prepare
    const resourceMetrics = await makeMetrics();
    const protobuf = serialized(ProtobufMetricsSerializer.serializeRequest(resourceMetrics));
    const json = serialized(JsonMetricsSerializer.serializeRequest(resourceMetrics));

    // Act
    const fromProtobuf = decodeMetricsRequest(protobuf);
    const fromJson = parseOtlpJson(json, 'metrics');

    // Assess
    expect(fromProtobuf).toEqual(fromJson);
    expect(flattenMetrics(fromProtobuf)).toEqual(flattenMetrics(fromJson));
  });

  it('keeps sums, gauges, histogram buckets and exponential histograms', async () => {
    // Prepare
    const resourceMetrics = await makeMetrics();

    // Act
    const points = flattenMetrics(
      decodeMetricsRequest(serialized(ProtobufMetricsSerializer.serializeRequest(resourceMetrics))),
    );

    // Assess
    const requests = points.filter((point): point is FlatNumberPoint => point.name === 'app.requests');
    expect(
      requests.map((point) => [point.type, point.attributes.route, point.valueInt, point.isMonotonic]),
    ).toEqual([
      ['sum', '/orders/:id', 3n, true],
      ['sum', '/health', 2n, true],
    ]);
    expect(requests[0]?.aggregationTemporality).toBe('CUMULATIVE');
    expect(requests[0]?.unit).toBe('{request}');
    expect(requests[0]?.scope).toEqual({ name: 'metrics-scope', version: '3.0.0', attributes: {} });
    expect(requests[0]?.resource['service.name']).toBe('decode-test');

    const inflight = points.find((point) => point.name === 'app.inflight') as FlatNumberPoint;
    expect([inflight.type, inflight.value, inflight.valueInt, inflight.isMonotonic]).toEqual([
      'sum',
      1.5,
      undefined,
      false,
    ]);

    const gauge = points.find((point) => point.name === 'app.temperature') as FlatNumberPoint;
    expect([gauge.type, gauge.value, gauge.attributes]).toEqual(['gauge', 21.5, { room: 'lab' }]);

    const histogram = points.find((point) => point.name === 'app.duration') as FlatHistogramPoint;
    expect(histogram).toMatchObject({
      type: 'histogram',
      description: 'Request duration',
      unit: 'ms',
      count: 5,
      sum: 5605,
      min: 5,
      max: 5000,
      explicitBounds: [10, 100, 1000],
      bucketCounts: [1, 2, 1, 1],
      attributes: { route: '/orders/:id' },
    });

    const exponential = points.find((point) => point.name === 'app.payload.size');
    expect(exponential?.type).toBe('exponentialHistogram');
    if (exponential?.type !== 'exponentialHistogram') return;
    expect([exponential.count, exponential.sum, exponential.min, exponential.max]).toEqual([
      5, 1034.5, 1, 1024,
    ]);
    const bucketTotal = exponential.positive.bucketCounts.reduce((total, count) => total + count, 0);
    expect(bucketTotal + exponential.zeroCount).toBe(5);
    expect(exponential.startTimeUnixNano).toBeGreaterThan(0n);
  });

  it('decodes logs to the same records from protobuf and from JSON', () => {
    // Prepare
    const { records } = makeLogs();
    const protobuf = serialized(ProtobufLogsSerializer.serializeRequest(records));
    const json = serialized(JsonLogsSerializer.serializeRequest(records));

    // Act
    const fromProtobuf = decodeLogsRequest(protobuf);
    const fromJson = parseOtlpJson(json, 'logs');

    // Assess
    expect(fromProtobuf).toEqual(fromJson);
    expect(flattenLogs(fromProtobuf)).toEqual(flattenLogs(fromJson));
  });

  it('keeps log bodies of every value kind, severities, event names and trace context', () => {
    // Prepare
    const { records, spanContext } = makeLogs();

    // Act
    const logs = flattenLogs(
      decodeOtlpProtobuf(serialized(ProtobufLogsSerializer.serializeRequest(records)), 'logs'),
    );

    // Assess
    expect(logs.map((record) => [record.severityNumber, record.severityText])).toEqual([
      [9, 'INFO'],
      [18, 'ERROR'],
      [5, ''],
    ]);
    expect(logs[0]?.body).toBe('plain text body');
    expect(logs[0]?.traceId).toBeUndefined();
    expect(logs[1]).toMatchObject({
      eventName: 'order.failed',
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
      attributes: { 'order.id': 'o-1', 'order.total': 12.5, 'order.items': 2, 'order.meta': { vip: true } },
      scope: { name: 'logs-scope', version: '2.0.0' },
    });
    expect(logs[1]?.body).toEqual({
      message: 'structured',
      count: 3,
      ratio: 0.5,
      ok: true,
      nothing: null,
      bytes: new Uint8Array([0, 1, 254, 255]),
      list: ['x', 2, false, [1.5]],
      nested: { deeper: { value: 'z' } },
    });
    expect(logs[2]?.body).toBeNull();
    expect(logs[2]?.attributes).toEqual({ 'no.body': true });
    expect(logs[0]?.observedTimeUnixNano).toBeGreaterThan(0n);
  });
});

describe('OTLP/JSON parsing', () => {
  it('accepts integer and named enums, upper-case hex ids and 64-bit integers as numbers', () => {
    // Prepare
    const body = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'EEE19B7EC3C1B174',
                  name: 'a',
                  kind: 'SPAN_KIND_CLIENT',
                  startTimeUnixNano: 1544712660000000000,
                  endTimeUnixNano: '1544712661000000000',
                  status: { code: 2 },
                  attributes: [{ key: 'n', value: { intValue: '9007199254740993' } }],
                  unknownField: { ignored: true },
                },
              ],
            },
          ],
        },
      ],
    });

    // Act
    const [span] = flattenSpans(parseOtlpJson(body, 'traces'));

    // Assess
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      kind: 'CLIENT',
      status: { code: 'ERROR', message: '' },
      startTimeUnixNano: 1544712660000000000n,
      endTimeUnixNano: 1544712661000000000n,
      durationMs: 1000,
      // Beyond 2^53 an intValue stays an exact decimal string.
      attributes: { n: '9007199254740993' },
      resource: {},
      scope: { name: '', version: '' },
    });
  });

  it.each([
    ['not JSON', '{"resourceSpans": [', 'not valid JSON'],
    ['a non-hex trace id', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz"}]}]}]}', 'traceId'],
    ['a string where an array belongs', '{"resourceSpans":"nope"}', 'resourceSpans: expected an array'],
    [
      'a time that is not an integer',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":1.5}]}]}]}',
      'startTimeUnixNano',
    ],
    [
      'two AnyValue fields',
      '{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"stringValue":"a","boolValue":true}}]}}]}',
      'more than one value',
    ],
  ])('rejects %s with an OtlpDecodeError naming the problem', (_name, body, message) => {
    // Act
    const parse = () => parseOtlpJson(body, 'traces');

    // Assess
    expect(parse).toThrow(OtlpDecodeError);
    expect(parse).toThrow(message);
  });
});

describe('protobuf decoding of malformed input', () => {
  const span = makeSpans()[0] as ReadableSpan;
  const valid = serialized(ProtobufTraceSerializer.serializeRequest([span]));

  it.each([
    ['a truncated payload', valid.subarray(0, valid.length - 3), /truncated|runs past the end/],
    ['a length past the end', Uint8Array.of(0x0a, 0x05, 0x01), 'runs past the end'],
    ['a varint longer than 10 bytes', Uint8Array.of(0x10, ...new Array(11).fill(0xff)), 'varint too long'],
    ['a varint above 64 bits', Uint8Array.of(0x10, ...new Array(9).fill(0xff), 0x02), 'overflows 64 bits'],
    ['a group wire type', Uint8Array.of(0x0b), 'unsupported wire type 3'],
    ['field number 0', Uint8Array.of(0x00, 0x01), 'field number 0'],
    ['a known field with the wrong wire type', Uint8Array.of(0x08, 0x01), 'wire type'],
  ])('rejects %s with an OtlpDecodeError', (_name, bytes, message) => {
    // Act
    const decode = () => decodeTraceRequest(bytes);

    // Assess
    expect(decode).toThrow(OtlpDecodeError);
    expect(decode).toThrow(message);
  });

  it('rejects invalid UTF-8 in a span name', () => {
    // Prepare: ResourceSpans { ScopeSpans { Span { name: 0xff 0xfe } } }
    const spanBytes = [0x2a, 0x02, 0xff, 0xfe];
    const scopeSpans = [0x12, spanBytes.length, ...spanBytes];
    const resourceSpans = [0x12, scopeSpans.length, ...scopeSpans];
    const bytes = Uint8Array.from([0x0a, resourceSpans.length, ...resourceSpans]);

    // Act
    const decode = () => decodeTraceRequest(bytes);

    // Assess
    expect(decode).toThrow(OtlpDecodeError);
    expect(decode).toThrow('invalid UTF-8');
  });

  it('rejects nesting deeper than the limit without exhausting the stack', () => {
    // Prepare: a log body of arrays inside arrays, 200 levels deep (AnyValue { array_value { values { ... } } }).
    let anyValue: number[] = [];
    for (let level = 0; level < 200; level++) {
      const arrayValue = [0x0a, ...varint(anyValue.length), ...anyValue];
      anyValue = [0x2a, ...varint(arrayValue.length), ...arrayValue];
    }
    const bytes = nest([0x0a, 0x12, 0x12, 0x2a], anyValue);

    // Act
    const decode = () => decodeLogsRequest(bytes);

    // Assess
    expect(decode).toThrow(OtlpDecodeError);
    expect(decode).toThrow('nested deeper than 100');
  });

  it('rejects a payload holding more messages than the budget', () => {
    // Prepare: 11 empty ResourceSpans.
    const bytes = Uint8Array.from(new Array(11).fill([0x0a, 0x00]).flat());

    // Act
    const decode = () => decodeTraceRequest(bytes, { maxMessages: 10 });

    // Assess
    expect(decode).toThrow('more messages than the decoder accepts');
    expect(decodeTraceRequest(bytes.subarray(0, 20), { maxMessages: 10 }).resourceSpans).toHaveLength(10);
  });

  it('skips unknown fields of every wire type and reads packed and unpacked repeated fields alike', () => {
    // Prepare: a HistogramDataPoint with bucket_counts once packed, once unpacked, plus unknown fields.
    const fixed64 = (n: number) => [n, 0, 0, 0, 0, 0, 0, 0];
    const point = [
      0x32,
      16,
      ...fixed64(1),
      ...fixed64(2), // bucket_counts 6, packed
      0x31,
      ...fixed64(3), // bucket_counts 6, one unpacked element
      0xf8,
      0x01,
      0x96,
      0x01, // unknown field 31, varint 150
      0xf9,
      0x01,
      ...fixed64(9), // unknown field 31, fixed64
      0xfa,
      0x01,
      0x02,
      0x61,
      0x62, // unknown field 31, bytes
      0xfd,
      0x01,
      1,
      2,
      3,
      4, // unknown field 31, fixed32
    ];
    const bytes = nest([0x0a, 0x12, 0x12, 0x4a, 0x0a], point);

    // Act
    const [decoded] = flattenMetrics(decodeMetricsRequest(bytes));

    // Assess
    expect(decoded).toMatchObject({ type: 'histogram', bucketCounts: [1, 2, 3] });
  });
});

function varint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return bytes;
}

/** Wraps `inner` in length-delimited fields with the given tags, innermost tag last. */
function nest(tags: readonly number[], inner: readonly number[]): Uint8Array {
  let bytes = [...inner];
  for (const tag of [...tags].reverse()) bytes = [tag, ...varint(bytes.length), ...bytes];
  return Uint8Array.from(bytes);
}

describe('protobuf reader integers', () => {
  function encodeVarint(value: bigint): number[] {
    let rest = BigInt.asUintN(64, value);
    const bytes: number[] = [];
    while (rest > 0x7fn) {
      bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    bytes.push(Number(rest));
    return bytes;
  }

  it.each([
    0n,
    1n,
    127n,
    128n,
    300n,
    2n ** 32n - 1n,
    2n ** 32n,
    2n ** 53n + 1n,
    2n ** 63n - 1n,
    2n ** 64n - 1n,
  ])('reads the varint of %s back exactly as uint64 and as int64', (value) => {
    // Prepare
    const bytes = Uint8Array.from([...encodeVarint(value), ...encodeVarint(value)]);
    const reader = ProtobufReader.create(bytes);

    // Act
    const asUnsigned = reader.readUint64();
    const asSigned = reader.readInt64();

    // Assess
    expect(asUnsigned).toBe(value);
    expect(asSigned).toBe(BigInt.asIntN(64, value));
    expect(reader.done).toBe(true);
  });

  it('reads int64 -1 and int32 -1 from their ten-byte two-complement varints', () => {
    // Prepare
    const bytes = Uint8Array.from([
      ...encodeVarint(-1n),
      ...encodeVarint(-1n),
      ...encodeVarint(-(2n ** 63n)),
    ]);
    const reader = ProtobufReader.create(bytes);

    // Act
    const values = [reader.readInt64(), reader.readInt32(), reader.readInt64()];

    // Assess
    expect(values).toEqual([-1n, -1, -(2n ** 63n)]);
  });

  it('reads zigzag sint32, fixed32, sfixed64 and doubles', () => {
    // Prepare
    const view = new DataView(new ArrayBuffer(20));
    view.setUint32(0, 0xdeadbeef, true);
    view.setBigInt64(4, -5n, true);
    view.setFloat64(12, -0.125, true);
    const bytes = Uint8Array.from([0x03, 0x04, ...new Uint8Array(view.buffer)]);
    const reader = ProtobufReader.create(bytes);

    // Act
    const values = [
      reader.readSint32(),
      reader.readSint32(),
      reader.readFixed32(),
      reader.readSfixed64(),
      reader.readDouble(),
    ];

    // Assess
    expect(values).toEqual([-2, 2, 0xdeadbeef, -5n, -0.125]);
  });
});

describe('fields the SDK does not emit', () => {
  // A minimal protobuf writer, for messages the JavaScript SDK never produces.
  const tag = (field: number, wireType: number): number[] => encodeUnsigned(BigInt((field << 3) | wireType));
  function encodeUnsigned(value: bigint): number[] {
    const bytes: number[] = [];
    let rest = BigInt.asUintN(64, value);
    while (rest > 0x7fn) {
      bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    bytes.push(Number(rest));
    return bytes;
  }
  const message = (field: number, ...content: number[][]): number[] => {
    const body = content.flat();
    return [...tag(field, 2), ...encodeUnsigned(BigInt(body.length)), ...body];
  };
  const text = (field: number, value: string): number[] => message(field, [...Buffer.from(value)]);
  const fixed64 = (field: number, value: bigint): number[] => {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, BigInt.asUintN(64, value), true);
    return [...tag(field, 1), ...new Uint8Array(view.buffer)];
  };
  const double = (field: number, value: number): number[] => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, true);
    return [...tag(field, 1), ...new Uint8Array(view.buffer)];
  };
  const varintField = (field: number, value: bigint): number[] => [
    ...tag(field, 0),
    ...encodeUnsigned(value),
  ];
  const attribute = (field: number, key: string, value: string): number[] =>
    message(field, text(1, key), message(2, text(1, value)));

  it('decodes summaries, exemplars, metric metadata and zero thresholds the same from protobuf and JSON', () => {
    // Prepare
    const exemplar = message(
      5,
      attribute(7, 'user', 'u-1'),
      fixed64(2, 1_700_000_000_000_000_001n),
      fixed64(6, -3n),
      message(4, [1, 2, 3, 4, 5, 6, 7, 8]),
      message(5, [...new Array(16).keys()]),
    );
    const gauge = message(
      5,
      message(
        1,
        attribute(7, 'host', 'a'),
        fixed64(3, 1_700_000_000_000_000_000n),
        double(4, 0.75),
        exemplar,
      ),
    );
    const summary = message(
      11,
      message(
        1,
        fixed64(2, 1n),
        fixed64(3, 2n),
        fixed64(4, 10n),
        double(5, 123.5),
        message(6, double(1, 0.5), double(2, 11)),
        message(6, double(1, 0.99), double(2, 40)),
        varintField(8, 1n),
      ),
    );
    const exponential = message(
      10,
      message(
        1,
        fixed64(4, 3n),
        [...tag(6, 0), ...encodeUnsigned(3n)], // scale -2, zigzag
        double(14, 0.001),
        message(8, [...tag(1, 0), ...encodeUnsigned(9n)], message(2, [1, 2])), // offset -5, counts 1,2
      ),
      varintField(2, 1n),
    );
    const metrics = [
      message(2, text(1, 'load'), gauge, attribute(12, 'origin', 'prometheus')),
      message(2, text(1, 'latency'), text(3, 's'), summary),
      message(2, text(1, 'sizes'), exponential),
    ];
    const protobuf = Uint8Array.from(message(1, message(2, message(1, text(1, 'hand')), ...metrics)));
    const json = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'load',
                  metadata: [{ key: 'origin', value: { stringValue: 'prometheus' } }],
                  gauge: {
                    dataPoints: [
                      {
                        attributes: [{ key: 'host', value: { stringValue: 'a' } }],
                        timeUnixNano: '1700000000000000000',
                        asDouble: 0.75,
                        exemplars: [
                          {
                            filteredAttributes: [{ key: 'user', value: { stringValue: 'u-1' } }],
                            timeUnixNano: '1700000000000000001',
                            asInt: '-3',
                            spanId: '0102030405060708',
                            traceId: '000102030405060708090a0b0c0d0e0f',
                          },
                        ],
                      },
                    ],
                  },
                },
                {
                  name: 'latency',
                  unit: 's',
                  summary: {
                    dataPoints: [
                      {
                        startTimeUnixNano: 1,
                        timeUnixNano: 2,
                        count: 10,
                        sum: 123.5,
                        quantileValues: [
                          { quantile: 0.5, value: 11 },
                          { quantile: 0.99, value: 40 },
                        ],
                        flags: 1,
                      },
                    ],
                  },
                },
                {
                  name: 'sizes',
                  exponentialHistogram: {
                    aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
                    dataPoints: [
                      {
                        count: '3',
                        scale: -2,
                        zeroThreshold: 0.001,
                        positive: { offset: -5, bucketCounts: ['1', 2] },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    // The scope of the hand-made protobuf is named "hand"; give the JSON the same.
    (json.resourceMetrics[0]?.scopeMetrics[0] as Record<string, unknown>).scope = { name: 'hand' };

    // Act
    const fromProtobuf = decodeMetricsRequest(protobuf);
    const fromJson = parseOtlpJson(json, 'metrics');
    const points = flattenMetrics(fromProtobuf);

    // Assess
    expect(fromProtobuf).toEqual(fromJson);
    expect(fromProtobuf.resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.metadata).toEqual([
      { key: 'origin', value: { stringValue: 'prometheus' } },
    ]);
    expect(points[0]).toMatchObject({
      type: 'gauge',
      value: 0.75,
      exemplars: [
        {
          value: -3,
          timeUnixNano: 1_700_000_000_000_000_001n,
          spanId: '0102030405060708',
          traceId: '000102030405060708090a0b0c0d0e0f',
          filteredAttributes: { user: 'u-1' },
        },
      ],
    });
    expect(points[1]).toMatchObject({
      type: 'summary',
      unit: 's',
      count: 10,
      sum: 123.5,
      flags: 1,
      quantileValues: [
        { quantile: 0.5, value: 11 },
        { quantile: 0.99, value: 40 },
      ],
    });
    expect(points[2]).toMatchObject({
      type: 'exponentialHistogram',
      aggregationTemporality: 'DELTA',
      count: 3,
      scale: -2,
      zeroThreshold: 0.001,
      positive: { offset: -5, bucketCounts: [1, 2] },
      negative: { offset: 0, bucketCounts: [] },
      sum: undefined,
    });
  });

  it('rejects JSON nested past the depth limit with an OtlpDecodeError, not a stack overflow', () => {
    // Prepare: a log body of 5000 nested arrays.
    let body = '{"stringValue":"leaf"}';
    for (let level = 0; level < 5000; level++) body = `{"arrayValue":{"values":[${body}]}}`;
    const document = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${body}}]}]}]}`;

    // Act
    const parse = () => parseOtlpJson(document, 'logs');

    // Assess
    expect(parse).toThrow(OtlpDecodeError);
    expect(parse).toThrow('nested deeper than 100 levels');
  });
});
