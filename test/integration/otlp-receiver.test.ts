import { gzipSync } from 'node:zlib';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as OTLPHttpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { JsonLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { MAX_BODY_BYTES, type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';

/** A small trace made by the real SDK: a server span with two children, one with an event. */
function makeTrace(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'receiver-test' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('receiver-test-scope', '1.0.0');
  const root = tracer.startSpan('POST /orders', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'POST', 'http.route': '/orders', 'http.response.status_code': 201 },
  });
  const rootContext = trace.setSpan(context.active(), root);
  const query = tracer.startSpan(
    'INSERT orders',
    { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } },
    rootContext,
  );
  query.end();
  const validate = tracer.startSpan(
    'validate',
    { attributes: { 'order.items': 3, 'order.express': true } },
    rootContext,
  );
  validate.addEvent('validated', { 'rules.checked': 12 });
  validate.setStatus({ code: SpanStatusCode.OK });
  validate.end();
  root.end();
  return memory.getFinishedSpans();
}

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

const EXPORTERS = [
  [
    'exporter-trace-otlp-proto',
    'application/x-protobuf',
    (options: ExporterOptions) => new OTLPProtoTraceExporter(options),
  ],
  [
    'exporter-trace-otlp-http (JSON)',
    'application/json',
    (options: ExporterOptions) => new OTLPHttpJsonTraceExporter(options),
  ],
] as const;

interface ExporterOptions {
  url: string;
  compression?: CompressionAlgorithm;
  timeoutMillis?: number;
}

describe('OTLP receiver with the real OpenTelemetry trace exporters', () => {
  let receiver: OtlpReceiver;
  const exporters: SpanExporter[] = [];

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });

  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((exporter) => exporter.shutdown()));
    await receiver.close();
  });

  function exporterFor(
    make: (options: ExporterOptions) => SpanExporter,
    options: Partial<ExporterOptions> = {},
  ) {
    const exporter = make({ url: `${receiver.url}/v1/traces`, ...options });
    exporters.push(exporter);
    return exporter;
  }

  describe.each(EXPORTERS)('%s', (_name, contentType, make) => {
    it('reports exactly the exported spans with their ids, attributes and parentage', async () => {
      // Prepare
      const spans = makeTrace();
      const exporter = exporterFor(make);

      // Act
      const result = await exportWith(exporter, spans);
      const received = await receiver.waitForSpans(3);

      // Assess
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(received.map((span) => [span.traceId, span.spanId, span.parentSpanId, span.name])).toEqual(
        spans.map((span) => [
          span.spanContext().traceId,
          span.spanContext().spanId,
          span.parentSpanContext?.spanId,
          span.name,
        ]),
      );
      const root = received.find((span) => span.name === 'POST /orders');
      expect(root).toMatchObject({
        kind: 'SERVER',
        parentSpanId: undefined,
        attributes: {
          'http.request.method': 'POST',
          'http.route': '/orders',
          'http.response.status_code': 201,
        },
        resource: { 'service.name': 'receiver-test' },
        scope: { name: 'receiver-test-scope', version: '1.0.0' },
      });
      const validate = received.find((span) => span.name === 'validate');
      expect(validate).toMatchObject({
        parentSpanId: root?.spanId,
        attributes: { 'order.items': 3, 'order.express': true },
        status: { code: 'OK' },
        events: [{ name: 'validated', attributes: { 'rules.checked': 12 } }],
      });
      expect(receiver.requests()).toMatchObject([
        { method: 'POST', path: '/v1/traces', contentType, status: 200, error: undefined },
      ]);
      expect(receiver.requests()[0]?.bytes).toBeGreaterThan(0);
    });

    it('decodes a gzip-compressed export', async () => {
      // Prepare
      const spans = makeTrace();
      const exporter = exporterFor(make, { compression: CompressionAlgorithm.GZIP });

      // Act
      const result = await exportWith(exporter, spans);
      const received = await receiver.waitForSpans((span) => span.name === 'INSERT orders');

      // Assess
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(received[0]?.attributes).toEqual({ 'db.system': 'postgresql' });
      expect(receiver.spans()).toHaveLength(3);
      expect(receiver.requests()[0]).toMatchObject({ contentEncoding: 'gzip', status: 200 });
    });

    it('makes the exporter report failure while it answers 503, and records nothing', async () => {
      // Prepare
      receiver.respondWith({ status: 503 });
      const exporter = exporterFor(make, { timeoutMillis: 2000 });

      // Act
      const result = await exportWith(exporter, makeTrace());

      // Assess
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect(receiver.spans()).toEqual([]);
      expect(receiver.requests().length).toBeGreaterThanOrEqual(1);
      expect(receiver.requests().every((received) => received.status === 503)).toBe(true);
    });
  });

  it('answers normally again after `times` simulated failures', async () => {
    // Prepare: the exporter retries a 503, so the second attempt lands.
    receiver.respondWith({ status: 503, times: 1, retryAfterSeconds: 0 });
    const exporter = exporterFor((options) => new OTLPProtoTraceExporter(options), { timeoutMillis: 10_000 });

    // Act
    const result = await exportWith(exporter, makeTrace());

    // Assess
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(receiver.requests().map((received) => received.status)).toEqual([503, 200]);
    expect(receiver.spans()).toHaveLength(3);
  });
});

describe('OTLP receiver with the real OpenTelemetry metric and log exporters', () => {
  let receiver: OtlpReceiver;

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });

  afterEach(async () => {
    await receiver.close();
  });

  it('receives the data points the protobuf metric exporter sends, gzip-compressed', async () => {
    // Prepare
    class Reader extends MetricReader {
      protected override async onForceFlush(): Promise<void> {}
      protected override async onShutdown(): Promise<void> {}
    }
    const reader = new Reader();
    const meter = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'metrics-exporter-test' }),
      readers: [reader],
    }).getMeter('orders');
    meter.createCounter('orders.created', { unit: '{order}' }).add(4, { region: 'eu' });
    meter.createHistogram('orders.value', { unit: 'EUR' }).record(19.5);
    const { resourceMetrics } = await reader.collect();
    const exporter = new OTLPMetricExporter({
      url: `${receiver.url}/v1/metrics`,
      compression: CompressionAlgorithm.GZIP,
    });

    // Act
    const result = await new Promise<ExportResult>((resolve) => exporter.export(resourceMetrics, resolve));
    await exporter.shutdown();
    const points = await receiver.waitForMetrics(2);

    // Assess
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(points).toMatchObject([
      { name: 'orders.created', type: 'sum', unit: '{order}', value: 4, attributes: { region: 'eu' } },
      { name: 'orders.value', type: 'histogram', count: 1, sum: 19.5 },
    ]);
    expect(points[0]?.resource['service.name']).toBe('metrics-exporter-test');
    expect(receiver.requests()).toMatchObject([
      { path: '/v1/metrics', contentType: 'application/x-protobuf', contentEncoding: 'gzip', status: 200 },
    ]);
  });

  it('receives the log records the protobuf log exporter sends', async () => {
    // Prepare
    const exporter = new OTLPLogExporter({ url: `${receiver.url}/v1/logs` });
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const span = new BasicTracerProvider().getTracer('t').startSpan('request');

    // Act
    provider.getLogger('orders-log').emit({
      severityNumber: 17,
      severityText: 'ERROR',
      body: { message: 'payment declined', code: 402 },
      attributes: { 'order.id': 'o-9' },
      context: trace.setSpan(context.active(), span),
    });
    const [record] = await receiver.waitForLogs(1);
    await provider.shutdown();

    // Assess
    expect(record).toMatchObject({
      severityNumber: 17,
      severityText: 'ERROR',
      body: { message: 'payment declined', code: 402 },
      attributes: { 'order.id': 'o-9' },
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      scope: { name: 'orders-log' },
    });
  });
});

describe('OTLP receiver HTTP behaviour', () => {
  let receiver: OtlpReceiver;

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });

  afterEach(async () => {
    await receiver.close();
  });

  it('answers an empty protobuf response and a `{}` JSON response, matching the request', async () => {
    // Prepare
    const empty = new Uint8Array();

    // Act
    const protobuf = await request(`${receiver.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: empty,
    });
    const json = await request(`${receiver.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"resourceLogs":[]}',
    });

    // Assess
    expect([protobuf.status, protobuf.headers['content-type'], protobuf.body]).toEqual([
      200,
      'application/x-protobuf',
      '',
    ]);
    expect([json.status, json.headers['content-type'], json.body]).toEqual([200, 'application/json', '{}']);
  });

  it('accepts metrics and logs from the real serializers, gzip or not', async () => {
    // Prepare
    class Reader extends MetricReader {
      protected override async onForceFlush(): Promise<void> {}
      protected override async onShutdown(): Promise<void> {}
    }
    const reader = new Reader();
    new MeterProvider({ readers: [reader] })
      .getMeter('m')
      .createCounter('orders.created')
      .add(4, { region: 'eu' });
    const { resourceMetrics } = await reader.collect();
    const memory = new InMemoryLogRecordExporter();
    new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] })
      .getLogger('l')
      .emit({ severityText: 'WARN', severityNumber: 13, body: 'disk almost full' });

    // Act
    const metrics = await request(`${receiver.url}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: ProtobufMetricsSerializer.serializeRequest(resourceMetrics) ?? new Uint8Array(),
    });
    const logs = await request(`${receiver.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JsonLogsSerializer.serializeRequest(memory.getFinishedLogRecords()) ?? new Uint8Array()),
    });
    const [point] = await receiver.waitForMetrics((metric) => metric.name === 'orders.created');
    const [log] = await receiver.waitForLogs(1);

    // Assess
    expect([metrics.status, logs.status]).toEqual([200, 200]);
    expect(point).toMatchObject({ type: 'sum', value: 4, attributes: { region: 'eu' } });
    expect(log).toMatchObject({ severityText: 'WARN', severityNumber: 13, body: 'disk almost full' });
  });

  it.each([
    ['an unknown path', '/v1/profiles', 'application/x-protobuf', 'POST', 404],
    ['a GET', '/v1/traces', 'application/x-protobuf', 'GET', 405],
    ['an unsupported content type', '/v1/traces', 'text/plain', 'POST', 415],
  ])('refuses %s', async (_name, path, contentType, method, status) => {
    // Act
    const response = await request(`${receiver.url}${path}`, {
      method,
      headers: { 'content-type': contentType },
      ...(method === 'POST' ? { body: '' } : {}),
    });

    // Assess
    expect(response.status).toBe(status);
    expect(receiver.requests()).toMatchObject([{ path, status }]);
  });

  it('answers 400 with a google.rpc.Status naming the problem for a malformed body', async () => {
    // Act
    const response = await request(`${receiver.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"not hex"}]}]}]}',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ code: 3, message: expect.stringContaining('traceId') });
    expect(receiver.requests()[0]?.error).toContain('resourceSpans[0].scopeSpans[0].spans[0].traceId');
  });

  it('answers 413 to a body over 32 MiB without keeping it', async () => {
    // Act
    const response = await request(`${receiver.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array(MAX_BODY_BYTES + 1),
      timeoutMs: 30_000,
    });

    // Assess
    expect(response.status).toBe(413);
    expect(receiver.requests()).toMatchObject([{ status: 413, bytes: MAX_BODY_BYTES + 1 }]);
  });

  it('answers 413 to a gzip body that inflates past 32 MiB', async () => {
    // Prepare: 40 KiB of gzip that inflates to 40 MiB.
    const bomb = gzipSync(new Uint8Array(40 * 1024 * 1024));

    // Act
    const response = await request(`${receiver.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
      body: bomb,
    });

    // Assess
    expect(response.status).toBe(413);
    expect(receiver.requests()).toMatchObject([{ status: 413, bytes: bomb.length }]);
  });

  it('answers late when asked to, so an exporter with a shorter timeout fails', async () => {
    // Prepare: a slow collector (3 s) and an impatient exporter (0.3 s).
    receiver.respondWith({ delayMs: 3000 });
    const exporter = new OTLPProtoTraceExporter({ url: `${receiver.url}/v1/traces`, timeoutMillis: 300 });

    // Act
    const result = await exportWith(exporter, makeTrace());
    await exporter.shutdown();

    // Assess: the exporter gave up; the receiver still took the request in once its delay ran out.
    expect(result.code).toBe(ExportResultCode.FAILED);
    await expect(receiver.waitForSpans(3)).resolves.toHaveLength(3);
  });

  it('rejects a wait with a message listing what did arrive', async () => {
    // Prepare
    await exportWith(new OTLPProtoTraceExporter({ url: `${receiver.url}/v1/traces` }), makeTrace());

    // Act
    const wait = receiver.waitForSpans((span) => span.name === 'never sent', { timeoutMs: 300 });

    // Assess
    await expect(wait).rejects.toThrow(
      /waiting for 1 spans matching the predicate; 0 matched, received 3 spans/,
    );
    await expect(
      receiver.waitForSpans((span) => span.name === 'never sent', { timeoutMs: 300 }),
    ).rejects.toThrow(
      /POST \/orders \[SERVER\].*\n[\s\S]*POST \/v1\/traces application\/x-protobuf \d+ bytes -> 200/,
    );
  });

  it('forgets everything on clear()', async () => {
    // Prepare
    await exportWith(new OTLPProtoTraceExporter({ url: `${receiver.url}/v1/traces` }), makeTrace());

    // Act
    receiver.clear();

    // Assess
    expect([receiver.spans(), receiver.requests()]).toEqual([[], []]);
  });
});
