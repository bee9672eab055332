import { SpanKind, SpanStatusCode, ValueType } from '@opentelemetry/api';
import {
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeOtlpProtobuf,
  flattenLogs,
  flattenMetrics,
  flattenSpans,
  OTLP_SIGNALS,
  OtlpDecodeError,
  type OtlpSignal,
  parseOtlpJson,
} from '../../../src/cli/otlp/index.js';

const FLATTEN = { traces: flattenSpans, metrics: flattenMetrics, logs: flattenLogs } as const;

/** Decodes and flattens; returns the error when one is thrown. */
function decodeOrError(bytes: Uint8Array, signal: OtlpSignal): unknown {
  try {
    const request = decodeOtlpProtobuf(bytes, signal, { maxMessages: 100_000 });
    (FLATTEN[signal] as (request: unknown) => unknown[])(request);
    return undefined;
  } catch (error) {
    return error;
  }
}

function parseOrError(body: unknown, signal: OtlpSignal): unknown {
  try {
    (FLATTEN[signal] as (request: unknown) => unknown[])(parseOtlpJson(body, signal));
    return undefined;
  } catch (error) {
    return error;
  }
}

const valid: Record<OtlpSignal, Uint8Array> = {
  traces: new Uint8Array(),
  metrics: new Uint8Array(),
  logs: new Uint8Array(),
};
let validTraceJson = '';

beforeAll(async () => {
  const resource = resourceFromAttributes({ 'service.name': 'property' });
  const spans = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(spans)],
  }).getTracer('scope', '1');
  const span = tracer.startSpan('op', {
    kind: SpanKind.CLIENT,
    attributes: { a: 'b', n: 1, f: 1.5, l: ['x'] },
  });
  span.addEvent('event', { e: true });
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'bad' });
  span.end();
  valid.traces = ProtobufTraceSerializer.serializeRequest(spans.getFinishedSpans()) ?? valid.traces;
  validTraceJson = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans()));

  class Reader extends MetricReader {
    protected override async onForceFlush(): Promise<void> {}
    protected override async onShutdown(): Promise<void> {}
  }
  const reader = new Reader();
  const meter = new MeterProvider({ resource, readers: [reader] }).getMeter('scope');
  meter.createCounter('c', { valueType: ValueType.INT }).add(2, { k: 'v' });
  meter.createHistogram('h').record(3);
  const { resourceMetrics } = await reader.collect();
  valid.metrics = ProtobufMetricsSerializer.serializeRequest(resourceMetrics) ?? valid.metrics;

  const logs = new InMemoryLogRecordExporter();
  const logger = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter: logs })],
  }).getLogger('scope');
  logger.emit({ body: { m: [1, 'two', new Uint8Array([3])] }, attributes: { a: 1 }, severityNumber: 9 });
  valid.logs = ProtobufLogsSerializer.serializeRequest(logs.getFinishedLogRecords()) ?? valid.logs;
});

/** A mutation of a valid payload: flip, overwrite, insert or delete bytes, or truncate. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(source: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Array.from(source);
  for (const change of mutations) {
    const at = bytes.length === 0 ? 0 : change.at % bytes.length;
    switch (change.kind) {
      case 'flip':
        if (bytes.length > 0) bytes[at] = (bytes[at] as number) ^ (1 << change.bit);
        break;
      case 'set':
        if (bytes.length > 0) bytes[at] = change.byte;
        break;
      case 'insert':
        bytes.splice(at, 0, ...change.bytes);
        break;
      case 'delete':
        bytes.splice(at, change.count);
        break;
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
    }
  }
  return Uint8Array.from(bytes);
}

const signal = fc.constantFrom(...OTLP_SIGNALS);

describe('OTLP protobuf decoding of hostile bytes', () => {
  it('either decodes or throws an OtlpDecodeError for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), signal, (bytes, which) => {
        const error = decodeOrError(bytes, which);
        expect(error === undefined || error instanceof OtlpDecodeError).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('either decodes or throws an OtlpDecodeError for mutated valid payloads', () => {
    fc.assert(
      fc.property(signal, fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, mutations) => {
        const error = decodeOrError(mutate(valid[which], mutations), which);
        expect(error === undefined || error instanceof OtlpDecodeError).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes the unmutated payloads the mutations start from', () => {
    for (const which of OTLP_SIGNALS) expect(decodeOrError(valid[which], which)).toBeUndefined();
  });
});

describe('OTLP/JSON parsing of hostile documents', () => {
  it('either parses or throws an OtlpDecodeError for arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), signal, (value, which) => {
        const error = parseOrError(value, which);
        expect(error === undefined || error instanceof OtlpDecodeError).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('either parses or throws an OtlpDecodeError when a valid document has a value replaced', () => {
    // Prepare: every path to a value in a valid trace document.
    const document = JSON.parse(validTraceJson) as unknown;
    const paths: (string | number)[][] = [];
    const walk = (node: unknown, path: (string | number)[]): void => {
      paths.push(path);
      if (node === null || typeof node !== 'object') return;
      for (const [key, child] of Object.entries(node))
        walk(child, [...path, Array.isArray(node) ? Number(key) : key]);
    };
    walk(document, []);

    fc.assert(
      fc.property(fc.constantFrom(...paths.slice(1)), fc.jsonValue(), (path, replacement) => {
        const copy = JSON.parse(validTraceJson) as Record<string | number, unknown>;
        let parent: Record<string | number, unknown> = copy;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        parent[path.at(-1) as string | number] = replacement;
        const error = parseOrError(JSON.stringify(copy), 'traces');
        expect(error === undefined || error instanceof OtlpDecodeError).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('either parses or throws an OtlpDecodeError for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), signal, (text, which) => {
        const error = parseOrError(text, which);
        expect(error === undefined || error instanceof OtlpDecodeError).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
