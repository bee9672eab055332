import { describe, expect, it } from 'vitest';
import {
  findRoot,
  LATENCY_BUCKETS_MS,
  latencyByRoute,
  queryTraces,
  summarizeTrace,
} from '../../../src/cli/dev/summarize-trace.js';
import { traceDetail } from '../../../src/cli/dev/trace-detail.js';
import { TraceStore } from '../../../src/cli/dev/trace-store.js';
import type { ViewerSpan } from '../../../src/cli/dev/viewer-records.js';

/** Milliseconds as exact nanoseconds, for spans whose times are written in milliseconds here. */
const msToNs = (ms: number): string => BigInt(Math.round(ms * 1e6)).toString();

function span(traceId: string, spanId: string, overrides: Partial<ViewerSpan> = {}): ViewerSpan {
  const base: Omit<ViewerSpan, 'startNs' | 'endNs'> & Partial<ViewerSpan> = {
    traceId,
    spanId,
    parentSpanId: undefined,
    name: 'GET /orders/:id',
    kind: 'SERVER',
    service: 'orders',
    startMs: 1000,
    durationMs: 10,
    status: 'UNSET',
    statusMessage: '',
    attributes: { 'http.route': '/orders/:id', 'http.response.status_code': 200 },
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

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

function store(): TraceStore {
  const traces = new TraceStore({ maxTraces: 10, maxSpans: 100 });
  traces.add(span(A, '1'.repeat(16)));
  traces.add(
    span(A, '2'.repeat(16), {
      parentSpanId: '1'.repeat(16),
      name: 'SELECT orders',
      kind: 'CLIENT',
      startMs: 1002,
      durationMs: 15,
      status: 'ERROR',
    }),
  );
  traces.add(
    span(B, '3'.repeat(16), {
      name: 'POST /login',
      startMs: 2000,
      attributes: { 'http.route': '/login', 'http.response.status_code': 401 },
    }),
  );
  return traces;
}

describe('summarizeTrace', () => {
  it('takes service, operation, route and status from the root, and the extent from every span', () => {
    const trace = store().get(A);

    const summary = trace === undefined ? undefined : summarizeTrace(trace);

    expect(summary).toMatchObject({
      service: 'orders',
      operation: 'GET /orders/:id',
      route: '/orders/:id',
      httpStatus: 200,
      startMs: 1000,
      durationMs: 17,
      spanCount: 2,
      errorCount: 1,
      status: 'error',
      rootSpanId: '1'.repeat(16),
      missingParentSpanId: undefined,
      complete: true,
    });
  });

  it('marks a trace continued from a parent it did not receive as incomplete, naming the parent', () => {
    const traces = new TraceStore({ maxTraces: 10, maxSpans: 100 });
    traces.add(span(A, '1'.repeat(16), { parentSpanId: 'e'.repeat(16) }));

    const summary = summarizeTrace(traces.get(A) as NonNullable<ReturnType<typeof traces.get>>);

    expect(summary).toMatchObject({ complete: false, missingParentSpanId: 'e'.repeat(16) });
  });

  it('measures the duration from nanoseconds, below the microsecond', () => {
    const traces = new TraceStore({ maxTraces: 10, maxSpans: 100 });
    traces.add(span(A, '1'.repeat(16), { startNs: '1700000000000000000', endNs: '1700000000000000250' }));

    expect(summarizeTrace(traces.get(A) as NonNullable<ReturnType<typeof traces.get>>).durationMs).toBe(
      0.00025,
    );
  });

  it('hangs a trace whose root has not arrived from its earliest orphan span', () => {
    const orphans = [
      span(A, '5'.repeat(16), { parentSpanId: 'f'.repeat(16), startMs: 20, name: 'later' }),
      span(A, '4'.repeat(16), { parentSpanId: 'f'.repeat(16), startMs: 10, name: 'earlier' }),
    ];

    expect(findRoot(orphans)?.name).toBe('earlier');
  });
});

describe('queryTraces', () => {
  it.each([
    [{}, ['POST /login', 'GET /orders/:id']],
    [{ status: 'error' }, ['GET /orders/:id']],
    [{ status: 'ok' }, ['POST /login']],
    [{ route: '/login' }, ['POST /login']],
    [{ text: 'select' }, ['GET /orders/:id']],
    [{ text: '401' }, ['POST /login']],
    [{ limit: 1 }, ['POST /login']],
    [{ minMs: 12 }, ['GET /orders/:id']],
    [{ maxMs: 12 }, ['POST /login']],
    [{ fromMs: 1500 }, ['POST /login']],
    [{ toMs: 1500 }, ['GET /orders/:id']],
    [{ sort: 'duration' as const }, ['GET /orders/:id', 'POST /login']],
    [{ sort: 'duration' as const, order: 'asc' as const }, ['POST /login', 'GET /orders/:id']],
    [{ sort: 'status' as const }, ['GET /orders/:id', 'POST /login']],
  ])('filters %j, newest first', (filter, operations) => {
    const rows = queryTraces(store().traces(), filter);

    expect(rows.map((row) => row.operation)).toEqual(operations);
  });
});

describe('latencyByRoute', () => {
  it('gives p50, p95 and p99 per route and counts each trace in its duration bucket', () => {
    const traces = new TraceStore({ maxTraces: 200, maxSpans: 200 });
    for (let i = 1; i <= 100; i += 1) {
      const id = i.toString(16).padStart(32, '0');
      traces.add(span(id, i.toString(16).padStart(16, '0'), { startMs: i * 100, durationMs: i }));
    }
    traces.add(span(B, '3'.repeat(16), { attributes: { 'http.route': '/login' }, durationMs: 3 }));

    const [orders, login] = latencyByRoute(queryTraces(traces.traces(), { limit: 1000 }));

    expect(orders).toMatchObject({ route: '/orders/:id', count: 100, p50: 50, p95: 95, p99: 99, maxMs: 100 });
    expect(login).toMatchObject({ route: '/login', count: 1, p50: 3, p99: 3 });
    const below = (ms: number) => LATENCY_BUCKETS_MS.findIndex((bound) => ms < bound);
    expect(orders?.counts[below(1)]).toBe(2); // [1, 2.5): 1 and 2 ms
    expect(orders?.counts[below(50)]).toBe(50); // [50, 100): 50 to 99 ms
    expect(orders?.counts[below(100)]).toBe(1); // [100, 250): 100 ms
    expect(orders?.counts.reduce((sum, count) => sum + count, 0)).toBe(100);
  });
});

describe('traceDetail', () => {
  const C = 'c'.repeat(32);

  function trace(...spans: ViewerSpan[]) {
    const traces = new TraceStore({ maxTraces: 10, maxSpans: 100 });
    for (const one of spans) traces.add(one);
    return traces.get(C) as NonNullable<ReturnType<typeof traces.get>>;
  }

  it('orders spans depth first, siblings by start, with offsets from nanoseconds', () => {
    const detail = traceDetail(
      trace(
        span(C, '3'.repeat(16), { parentSpanId: '1'.repeat(16), startNs: '1000000750', endNs: '1000001000' }),
        span(C, '2'.repeat(16), { parentSpanId: '1'.repeat(16), startNs: '1000000250', endNs: '1000000500' }),
        span(C, '4'.repeat(16), { parentSpanId: '2'.repeat(16), startNs: '1000000300', endNs: '1000000301' }),
        span(C, '1'.repeat(16), { startNs: '1000000000', endNs: '1000002000' }),
      ),
    );

    expect(detail.spans.map((one) => [one.spanId[0], one.depth, one.offsetMs])).toEqual([
      ['1', 0, 0],
      ['2', 1, 0.00025],
      ['4', 2, 0.0003],
      ['3', 1, 0.00075],
    ]);
    expect(detail.spans[2]?.durationMs).toBe(0.000001);
    expect(detail.selectedSpanId).toBe('1'.repeat(16));
  });

  it('selects the span where the first error began, not its failed ancestors', () => {
    const detail = traceDetail(
      trace(
        span(C, '1'.repeat(16), { status: 'ERROR', startMs: 0 }),
        span(C, '2'.repeat(16), { parentSpanId: '1'.repeat(16), startMs: 1 }),
        span(C, '3'.repeat(16), { parentSpanId: '2'.repeat(16), startMs: 2, status: 'ERROR' }),
        span(C, '4'.repeat(16), { parentSpanId: '1'.repeat(16), startMs: 3, status: 'ERROR' }),
      ),
    );

    expect(detail.selectedSpanId).toBe('3'.repeat(16));
  });

  it('puts the root of an incomplete trace first, marked orphan, and keeps spans caught in a parent cycle', () => {
    const detail = traceDetail(
      trace(
        span(C, '2'.repeat(16), { parentSpanId: '1'.repeat(16), startMs: 5 }),
        span(C, '1'.repeat(16), { parentSpanId: 'f'.repeat(16), startMs: 4 }),
        span(C, '5'.repeat(16), { parentSpanId: '6'.repeat(16), startMs: 1 }),
        span(C, '6'.repeat(16), { parentSpanId: '5'.repeat(16), startMs: 2 }),
      ),
    );

    expect(detail.spans.map((one) => [one.spanId[0], one.orphan])).toEqual([
      ['1', true],
      ['2', false],
      ['5', false],
      ['6', false],
    ]);
  });

  it.each([
    ['a span that is its own parent', [span(C, '1'.repeat(16), { parentSpanId: '1'.repeat(16) })]],
    [
      'two spans that name each other as parent',
      [
        span(C, '5'.repeat(16), { parentSpanId: '6'.repeat(16), startMs: 1 }),
        span(C, '6'.repeat(16), { parentSpanId: '5'.repeat(16), startMs: 2 }),
      ],
    ],
  ])('names no missing parent for %s: every parent is here, none is the root', (_what, spans) => {
    // Act
    const { summary } = traceDetail(trace(...spans));

    // Assess: the trace has no root, but nothing was lost on the way to the viewer.
    expect(summary.complete).toBe(false);
    expect(summary.missingParentSpanId).toBeUndefined();
    expect(summary.rootSpanId).toBe(spans[0]?.spanId);
  });

  it('walks a chain of thousands of spans without running out of stack', () => {
    const chain = Array.from({ length: 5000 }, (_, i) =>
      span(C, (i + 1).toString(16).padStart(16, '0'), {
        parentSpanId: i === 0 ? undefined : i.toString(16).padStart(16, '0'),
        startMs: i,
      }),
    );
    const traces = new TraceStore({ maxTraces: 10, maxSpans: 10_000 });
    for (const one of chain) traces.add(one);

    const detail = traceDetail(traces.get(C) as NonNullable<ReturnType<typeof traces.get>>);

    expect(detail.spans).toHaveLength(5000);
    expect(detail.spans.at(-1)?.depth).toBe(50);
  });
});
