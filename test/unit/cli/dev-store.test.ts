import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../src/cli/dev/ring-buffer.js';
import { TelemetryStore } from '../../../src/cli/dev/telemetry-store.js';
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

    expect(store.stats().logs).toEqual({ received: 3, kept: 2, dropped: 1, limit: 2 });
    expect(store.stats().traces).toMatchObject({ traces: 1, spans: 1, receivedSpans: 1 });
    expect(store.logs.toArray().map((item) => item.message)).toEqual(['b', 'c']);
    expect(changes).toBe(2);
  });
});
