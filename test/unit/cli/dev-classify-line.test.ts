import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../../src/cli/dev/classify-line.js';
import { normalizeTraceId } from '../../../src/cli/dev/normalize-trace-id.js';

let seq = 0;
const next = () => ++seq;

describe('classifyLine', () => {
  it('reads a Powertools line: level, message, service, trace id, span id, request id', () => {
    const line = JSON.stringify({
      level: 'INFO',
      message: 'order created',
      timestamp: '2026-11-23T12:31:42.029Z',
      service: 'orders-api',
      trace_id: '6b04322ed388f1ff6b3876231f1dbf4f',
      span_id: '8526d0d8a9719a26',
      request_id: 'req-1',
      orderId: 'ord-1',
    });

    const result = classifyLine(line, 'stdout', next);

    expect(result?.kind).toBe('log');
    expect(result?.kind === 'log' && result.log).toMatchObject({
      level: 'INFO',
      message: 'order created',
      service: 'orders-api',
      timeMs: Date.parse('2026-11-23T12:31:42.029Z'),
      traceId: '6b04322ed388f1ff6b3876231f1dbf4f',
      spanId: '8526d0d8a9719a26',
      requestId: 'req-1',
      source: 'stdout',
      fields: { orderId: 'ord-1' },
    });
  });

  it('shows a message logged as an object as its JSON', () => {
    const line = JSON.stringify({
      level: 'INFO',
      message: { orderId: 'o-1', total: 3 },
      service: 'orders-api',
    });

    const result = classifyLine(line, 'stdout', next);

    expect(result?.kind === 'log' && result.log.message).toBe('{"orderId":"o-1","total":3}');
  });

  it('takes the trace id from xray_trace_id when a line has only that one', () => {
    const line = JSON.stringify({
      level: 'WARN',
      message: 'x',
      xray_trace_id: '1-6b04322e-d388f1ff6b3876231f1dbf4f',
    });

    const result = classifyLine(line, 'stderr', next);

    expect(result?.kind === 'log' && result.log.traceId).toBe('6b04322ed388f1ff6b3876231f1dbf4f');
  });

  it('reads an audit entry and normalises its X-Ray trace id', () => {
    const line = JSON.stringify({
      audit: true,
      level: 'INFO',
      message: 'audit',
      traceId: '1-6b04322e-d388f1ff6b3876231f1dbf4f',
      timestamp: '2026-11-23T12:00:00.000Z',
      user_id: 'alice',
      action: 'DELETE',
      resource: 'order/2',
      status: 'FAILED',
      method: 'DELETE',
      path: '/orders/2',
    });

    const result = classifyLine(line, 'stdout', next);

    expect(result?.kind).toBe('audit');
    expect(result?.kind === 'audit' && result.audit).toMatchObject({
      traceId: '6b04322ed388f1ff6b3876231f1dbf4f',
      userId: 'alice',
      action: 'DELETE',
      resource: 'order/2',
      status: 'FAILED',
      method: 'DELETE',
      path: '/orders/2',
    });
  });

  it('reads an EMF document as one point per metric, with the dimensions of its sets', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 1_795_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'Lookout',
            Dimensions: [
              ['Service', 'Environment', 'Operation'],
              ['Service', 'Environment'],
            ],
            Metrics: [
              { Name: 'RequestCount', Unit: 'Count' },
              { Name: 'Latency', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      Service: 'orders',
      Environment: 'dev',
      Operation: 'GET /orders/:id',
      RequestCount: 3,
      Latency: [1.5, 2.5, 9],
    });

    const result = classifyLine(line, 'stdout', next);

    expect(result?.kind).toBe('metrics');
    const points = result?.kind === 'metrics' ? result.points : [];
    expect(
      points.map(({ name, unit, values, dimensions, timeMs, service }) => ({
        name,
        unit,
        values,
        dimensions,
        timeMs,
        service,
      })),
    ).toEqual([
      {
        name: 'RequestCount',
        unit: 'Count',
        values: [3],
        dimensions: { Service: 'orders', Environment: 'dev', Operation: 'GET /orders/:id' },
        timeMs: 1_795_000_000_000,
        service: 'orders',
      },
      {
        name: 'Latency',
        unit: 'Milliseconds',
        values: [1.5, 2.5, 9],
        dimensions: { Service: 'orders', Environment: 'dev', Operation: 'GET /orders/:id' },
        timeMs: 1_795_000_000_000,
        service: 'orders',
      },
    ]);
  });

  it("keeps EMF's limits: the first 100 metrics of a document and the first 100 values of each", () => {
    // Prepare: one array named by 2,000 metric definitions, a line of 36 KB.
    const line = JSON.stringify({
      _aws: {
        Timestamp: 1_795_000_000_000,
        CloudWatchMetrics: [
          { Namespace: 'app', Dimensions: [], Metrics: Array.from({ length: 2000 }, () => ({ Name: 'a' })) },
        ],
      },
      a: Array.from({ length: 1000 }, (_, i) => i),
    });

    // Act
    const classified = classifyLine(line, 'stdout', next);

    // Assess
    expect(classified?.kind).toBe('metrics');
    const points = classified?.kind === 'metrics' ? classified.points : [];
    expect(points).toHaveLength(100);
    expect(points.every((point) => point.values.length === 100)).toBe(true);
    expect(points[0]?.values.slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('keeps plain text and JSON that is not a log line as text lines, and skips empty lines', () => {
    const text = classifyLine('listening on http://127.0.0.1:3000', 'stdout', next);
    const json = classifyLine('{"hello":"world"}', 'stdout', next);

    expect(text?.kind === 'log' && text.log).toMatchObject({
      level: undefined,
      message: 'listening on http://127.0.0.1:3000',
    });
    expect(json?.kind === 'log' && json.log).toMatchObject({
      level: undefined,
      message: '{"hello":"world"}',
      fields: { hello: 'world' },
    });
    expect(classifyLine('   ', 'stdout', next)).toBeUndefined();
  });
});

describe('normalizeTraceId', () => {
  it.each([
    ['1-5759e988-bd862e3fe1be46a994272793', '5759e988bd862e3fe1be46a994272793'],
    ['5759E988BD862E3FE1BE46A994272793', '5759e988bd862e3fe1be46a994272793'],
    ['00000000000000000000000000000000', undefined],
    ['not-a-trace', undefined],
    [42, undefined],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeTraceId(input)).toBe(expected);
  });
});

describe('classifyLine with other loggers', () => {
  const trace = '6b04322ed388f1ff6b3876231f1dbf4f';

  it('reads a pino line: its numeric level by name, msg, time, and the trace ids of its OpenTelemetry mixin', () => {
    const line = JSON.stringify({
      level: 50,
      time: 1_764_000_000_123,
      pid: 7,
      hostname: 'h',
      msg: 'payment failed',
      trace_id: trace,
      span_id: '8526d0d8a9719a26',
      trace_flags: '01',
      err: {
        type: 'Error',
        message: 'card declined',
        stack: 'Error: card declined\n    at charge (pay.js:3:9)',
      },
    });

    const result = classifyLine(line, 'stdout', next);

    expect(result?.kind === 'log' && result.log).toMatchObject({
      level: 'ERROR',
      message: 'payment failed',
      timeMs: 1_764_000_000_123,
      traceId: trace,
      spanId: '8526d0d8a9719a26',
    });
  });

  it('takes a pino line logged without a message as a log line, not text', () => {
    const result = classifyLine(JSON.stringify({ level: 30, time: 1, orderId: 'o-1' }), 'stdout', next);

    expect(result?.kind === 'log' && result.log).toMatchObject({ level: 'INFO', message: '' });
  });

  it('reads a winston line with a colourised level and a camel-case trace id', () => {
    const line = JSON.stringify({
      level: '\u001b[33mwarn\u001b[39m',
      message: 'slow query',
      timestamp: '2026-11-23T12:00:00.000Z',
      traceId: trace,
      spanId: '8526D0D8A9719A26',
    });

    const result = classifyLine(line, 'stdout', next);

    expect(result?.kind === 'log' && result.log).toMatchObject({
      level: 'WARN',
      traceId: trace,
      spanId: '8526d0d8a9719a26',
    });
  });

  it.each([
    [{ 'trace.id': trace, 'span.id': '8526d0d8a9719a26' }],
    [{ trace: { id: trace }, span: { id: '8526d0d8a9719a26' } }],
    [{ traceparent: `00-${trace}-8526d0d8a9719a26-01` }],
  ])('finds the trace and span ids in %j', (ids) => {
    const result = classifyLine(JSON.stringify({ level: 'info', message: 'm', ...ids }), 'stdout', next);

    expect(result?.kind === 'log' && [result.log.traceId, result.log.spanId]).toEqual([
      trace,
      '8526d0d8a9719a26',
    ]);
  });
});
