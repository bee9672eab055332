// The benchmark sinks must do real protocol work: these tests send them what real exporters
// send (OpenTelemetry's own OTLP exporters; X-Ray daemon datagrams) over loopback.
import { createSocket } from 'node:dgram';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpSink } from '../../benchmarks/sinks/otlp-sink.mjs';
import { startXRayUdpSink } from '../../benchmarks/sinks/xray-udp-sink.mjs';

function makeSpans(count: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('bench-test');
  for (let index = 0; index < count; index++) tracer.startSpan(`span ${index}`).end();
  return memory.getFinishedSpans();
}

function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]) {
  return new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve));
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('OTLP sink', () => {
  it.each([
    ['http/protobuf', (url: string) => new ProtoExporter({ url })],
    ['http/protobuf with gzip', (url: string) => new ProtoExporter({ url, compression: 'gzip' as never })],
    ['http/json', (url: string) => new JsonExporter({ url })],
  ])('acknowledges and counts the spans an OpenTelemetry %s exporter sends', async (_name, create) => {
    const sink = await startOtlpSink();
    closers.push(sink.close);
    const exporter = create(`${sink.url}/v1/traces`);

    const outcome = await exportSpans(exporter, makeSpans(7));
    await exporter.shutdown();

    expect(outcome.code).toBe(0);
    expect(sink.stats()).toMatchObject({ requests: 1, spans: 7, rejected: 0 });
    expect(sink.stats().bytes).toBeGreaterThan(0);
  });

  it('counts log records and metrics in JSON requests and answers with an empty JSON response', async () => {
    const sink = await startOtlpSink();
    closers.push(sink.close);
    const post = (path: string, body: unknown) =>
      fetch(`${sink.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const logs = await post('/v1/logs', {
      resourceLogs: [{ scopeLogs: [{ logRecords: [{}, {}] }, { logRecords: [{}] }] }],
    });
    const metrics = await post('/v1/metrics', {
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'a' }] }] }],
    });

    expect(logs.status).toBe(200);
    expect(await logs.text()).toBe('{}');
    expect(metrics.status).toBe(200);
    expect(sink.stats()).toMatchObject({ logRecords: 3, metrics: 1, rejected: 0 });
  });

  it('rejects malformed bodies and unknown paths, and forgets counts on reset', async () => {
    const sink = await startOtlpSink();
    closers.push(sink.close);

    const malformed = await fetch(`${sink.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]),
    });
    const unknown = await fetch(`${sink.url}/v1/profiles`, { method: 'POST', body: 'x' });

    expect(malformed.status).toBe(400);
    expect(unknown.status).toBe(404);
    expect(sink.stats()).toMatchObject({ requests: 2, rejected: 2, spans: 0 });
    sink.reset();
    expect(sink.stats().requests).toBe(0);
  });
});

describe('X-Ray daemon sink', () => {
  it('parses daemon datagrams and counts segments and nested subsegments', async () => {
    const sink = await startXRayUdpSink();
    closers.push(sink.close);
    const [host, port] = sink.address.split(':');
    const socket = createSocket('udp4');
    closers.push(() => new Promise((resolve) => socket.close(() => resolve())));
    const send = (text: string) =>
      new Promise<void>((resolve, reject) =>
        socket.send(Buffer.from(text), Number(port), host, (error) => (error ? reject(error) : resolve())),
      );
    const segment = {
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      id: '53995c3f42cd8ad8',
      name: 'bench',
      subsegments: [{ id: 'a', subsegments: [{ id: 'b' }] }],
    };

    await send(`{"format": "json", "version": 1}\n${JSON.stringify(segment)}`);
    await send('not a daemon packet');
    await expect.poll(() => sink.stats().packets).toBe(2);

    expect(sink.stats()).toMatchObject({ segments: 1, subsegments: 2, rejected: 1 });
  });
});
