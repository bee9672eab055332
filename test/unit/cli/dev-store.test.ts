import { describe, expect, it } from 'vitest';
import { estimateBytes, estimateRecordBytes } from '../../../src/cli/dev/record-bytes.js';
import { RingBuffer } from '../../../src/cli/dev/ring-buffer.js';
import { byteLimitsOf, DEFAULT_STORE_LIMITS, TelemetryStore } from '../../../src/cli/dev/telemetry-store.js';
import { TraceStore } from '../../../src/cli/dev/trace-store.js';
import type { ViewerSpan } from '../../../src/cli/dev/viewer-records.js';

/** Milliseconds as exact nanoseconds, for spans whose times are written in milliseconds here. */
const msToNs = (ms: number): string => BigInt(Math.round(ms * 1e6)).toString();

function span(traceId: string, spanId: string, overrides: Partial<ViewerSpan> = {}): ViewerSpan {
  const base: Omit<ViewerSpan, 'startNs' | 'endNs'> & Partial<ViewerSpan> = {
    traceId: traceId.padStart(32, '0'),
    spanId: spanId.padStart(16, '0'),
    parentSpanId: undefined,
    name: 'GET /orders/:id',
    kind: 'SERVER',
    service: 'orders',
    startMs: 1000,
    durationMs: 5,
    status: 'UNSET',
    statusMessage: '',
    attributes: {},
    events: [],
    source: 'otlp',
    ...overrides,
  };
  return {
    ...base,
    startNs: overrides.startNs ?? msToNs(base.startMs),
    endNs: overrides.endNs ?? msToNs(base.startMs + base.durationMs),
  };
}

describe('RingBuffer', () => {
  it('keeps the newest items and counts the ones it dropped', () => {
    // Prepare
    const ring = new RingBuffer<number>(3);

    // Act
    for (let i = 1; i <= 7; i += 1) ring.push(i);

    // Assess
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect(ring.dropped).toBe(4);
    expect(ring.newest(2)).toEqual([7, 6]);
    expect(ring.newest(10, (item) => item % 2 === 1)).toEqual([7, 5]);
  });

  it('drops the oldest items to stay within its bytes, and still within its count', () => {
    // Prepare
    const ring = new RingBuffer<string>(4, 100);

    // Act
    ring.push('a', 30);
    ring.push('b', 30);
    ring.push('c', 30);
    ring.push('d', 30);

    // Assess: 120 bytes are over 100, so 'a' went; the count (4) was not reached.
    expect(ring.toArray()).toEqual(['b', 'c', 'd']);
    expect(ring.bytes).toBe(90);
    expect(ring.dropped).toBe(1);

    // Act: small items fill the count first.
    for (const item of ['e', 'f', 'g']) ring.push(item, 1);

    // Assess
    expect(ring.toArray()).toEqual(['d', 'e', 'f', 'g']);
    expect(ring.bytes).toBe(33);
    expect(ring.dropped).toBe(3);
  });

  it('keeps an item larger than all its bytes alone, and drops it for the next one', () => {
    // Prepare
    const ring = new RingBuffer<string>(10, 100);
    ring.push('a', 10);
    ring.push('b', 10);

    // Act
    ring.push('huge', 500);

    // Assess
    expect(ring.toArray()).toEqual(['huge']);
    expect(ring.bytes).toBe(500);
    expect(ring.dropped).toBe(2);

    // Act
    ring.push('c', 10);

    // Assess
    expect(ring.toArray()).toEqual(['c']);
    expect(ring.bytes).toBe(10);
    expect(ring.dropped).toBe(3);
  });
});

describe('estimateRecordBytes', () => {
  it('counts a string by its length, so a 1 MiB line costs about 1 MiB and a short one little', () => {
    // Prepare
    const line = (message: string) => ({ seq: 1, level: 'INFO', message, fields: { message } });

    // Act
    const large = estimateRecordBytes(line('x'.repeat(1024 * 1024)));
    const small = estimateRecordBytes(line('ok'));

    // Assess: the message is held twice here (as the message and as a field).
    expect(large).toBeGreaterThan(2 * 1024 * 1024);
    expect(large).toBeLessThan(2 * 1024 * 1024 + 1024);
    expect(small).toBeLessThan(512);
  });

  it('counts every value of nested attributes: a header per object, an entry per key, a string by its length', () => {
    // An object: 32; a property: 72 and its key; an array element: 8; a string: 24 and its length;
    // a number or null: 16.
    expect(estimateBytes({ a: [1, 2, 'xyz'], b: { c: null } })).toBe(
      32 + (72 + 1 + (32 + (8 + 16) + (8 + 16) + (8 + 24 + 3))) + (72 + 1 + (32 + (72 + 1 + 16))),
    );
  });
});

describe('TraceStore', () => {
  it('drops the least recently updated trace whole when the trace limit is reached', () => {
    const store = new TraceStore({ maxTraces: 2, maxSpans: 100 });

    store.add(span('a', '1'));
    store.add(span('b', '1'));
    store.add(span('a', '2'));
    store.add(span('c', '1'));

    expect(store.traces().map((trace) => trace.traceId.replace(/^0+/, ''))).toEqual(['a', 'c']);
    expect(store.counts()).toMatchObject({ traces: 2, spans: 3, droppedTraces: 1, droppedSpans: 1 });
  });

  it('drops whole traces to stay under the span limit, and caps one huge trace at the limit', () => {
    const store = new TraceStore({ maxTraces: 100, maxSpans: 4 });

    for (let i = 0; i < 3; i += 1) store.add(span('a', `a${i}`));
    for (let i = 0; i < 3; i += 1) store.add(span('b', `b${i}`));
    for (let i = 0; i < 6; i += 1) store.add(span('c', `c${i}`));

    expect(store.traces().map((trace) => trace.traceId.replace(/^0+/, ''))).toEqual(['c']);
    expect(store.counts()).toMatchObject({ traces: 1, spans: 4, droppedTraces: 2, droppedSpans: 8 });
  });

  it('keeps one copy of a span received twice', () => {
    const store = new TraceStore({ maxTraces: 10, maxSpans: 10 });

    store.add(span('a', '1', { source: 'otlp' }));
    store.add(span('a', '1', { source: 'xray' }));

    expect(store.counts()).toMatchObject({ spans: 1, duplicateSpans: 1 });
  });

  it('drops the least recently updated traces whole to stay within its bytes', () => {
    // Prepare: room for 100 bytes of spans, each 30 here.
    const store = new TraceStore({ maxTraces: 100, maxSpans: 100, maxBytes: 100 });

    // Act
    store.add(span('a', '1'), 30);
    store.add(span('b', '1'), 30);
    store.add(span('a', '2'), 30);
    store.add(span('c', '1'), 30);

    // Assess: 'b' was the least recently updated.
    expect(store.traces().map((trace) => trace.traceId.replace(/^0+/, ''))).toEqual(['a', 'c']);
    expect(store.counts()).toMatchObject({
      traces: 2,
      spans: 3,
      bytes: 90,
      droppedTraces: 1,
      droppedSpans: 1,
    });
  });

  it('keeps the first spans of a trace that alone reaches its bytes, and a first span larger than them alone', () => {
    // Prepare
    const store = new TraceStore({ maxTraces: 100, maxSpans: 100, maxBytes: 100 });
    store.add(span('a', '1'), 40);

    // Act: trace b fills the bytes; its third span would pass them.
    store.add(span('b', '1'), 40);
    store.add(span('b', '2'), 40);
    const kept = store.add(span('b', '3'), 40);

    // Assess
    expect(kept).toBe(false);
    expect(store.traces().map((trace) => trace.traceId.replace(/^0+/, ''))).toEqual(['b']);
    expect(store.get('b'.padStart(32, '0'))?.spans.map((item) => item.spanId.replace(/^0+/, ''))).toEqual([
      '1',
      '2',
    ]);
    expect(store.counts()).toMatchObject({ spans: 2, bytes: 80, droppedSpans: 2 });

    // Act: a span larger than every byte the store may hold.
    store.add(span('c', '1'), 1000);
    store.add(span('c', '2'), 1);

    // Assess: kept alone; no second span joins it.
    expect(store.traces().map((trace) => trace.traceId.replace(/^0+/, ''))).toEqual(['c']);
    expect(store.counts()).toMatchObject({
      traces: 1,
      spans: 1,
      bytes: 1000,
      droppedTraces: 2,
      droppedSpans: 5,
    });
  });
});

describe('TelemetryStore', () => {
  it('counts what it received, kept and dropped per kind, and tells listeners', () => {
    const store = new TelemetryStore({ maxLogs: 2 });
    let changes = 0;
    store.onChange(() => {
      changes += 1;
    });
    const log = (message: string) => ({
      seq: store.nextSeq(),
      timeMs: 0,
      level: 'INFO',
      message,
      service: undefined,
      traceId: undefined,
      spanId: undefined,
      requestId: undefined,
      source: 'stdout' as const,
      fields: {},
    });

    store.addLogs([log('a'), log('b'), log('c')]);
    store.addSpans([span('a', '1')]);

    expect(store.stats().logs).toEqual({
      received: 3,
      kept: 2,
      dropped: 1,
      limit: 2,
      bytes: estimateRecordBytes(log('b')) + estimateRecordBytes(log('c')),
      byteLimit: DEFAULT_STORE_LIMITS.maxLogBytes,
    });
    expect(store.stats().traces).toMatchObject({ traces: 1, spans: 1, receivedSpans: 1 });
    expect(store.logs.toArray().map((item) => item.message)).toEqual(['b', 'c']);
    expect(changes).toBe(2);
  });

  it('drops the oldest log lines of 1 MiB to stay within its bytes, long before the count', () => {
    // Prepare: 4 MiB for log lines, 10,000 of them by count.
    const store = new TelemetryStore({ maxLogs: 10_000, maxLogBytes: 4 * 1024 * 1024 });
    const line = (i: number) => ({
      seq: store.nextSeq(),
      timeMs: 0,
      level: undefined,
      message: `${i} ${'x'.repeat(1024 * 1024 - 16)}`,
      service: undefined,
      traceId: undefined,
      spanId: undefined,
      requestId: undefined,
      source: 'stdout' as const,
      fields: {},
    });

    // Act
    for (let i = 1; i <= 20; i += 1) store.addLogs([line(i)]);

    // Assess: three lines of 1 MiB fit in 4 MiB with their overhead, not four.
    const stats = store.stats().logs;
    expect(stats).toMatchObject({ received: 20, kept: 3, dropped: 17, byteLimit: 4 * 1024 * 1024 });
    expect(stats.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(store.logs.toArray().map((log) => log.message.split(' ')[0])).toEqual(['18', '19', '20']);
  });

  it('shares a memory budget between the kinds: half for spans, a quarter for logs, an eighth for each other', () => {
    expect(byteLimitsOf(256)).toEqual({
      maxSpanBytes: 128 * 1024 * 1024,
      maxLogBytes: 64 * 1024 * 1024,
      maxMetricBytes: 32 * 1024 * 1024,
      maxAuditBytes: 32 * 1024 * 1024,
    });
    expect(DEFAULT_STORE_LIMITS).toMatchObject(byteLimitsOf(256));
  });
});
