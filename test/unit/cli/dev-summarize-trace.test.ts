import { describe, expect, it } from 'vitest';
import { findRoot, queryTraces, summarizeTrace } from '../../../src/cli/dev/summarize-trace.js';
import { TraceStore } from '../../../src/cli/dev/trace-store.js';
import type { ViewerSpan } from '../../../src/cli/dev/viewer-records.js';

function span(traceId: string, spanId: string, overrides: Partial<ViewerSpan> = {}): ViewerSpan {
  return {
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
      complete: true,
    });
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
  ])('filters %j, newest first', (filter, operations) => {
    const rows = queryTraces(store().traces(), filter);

    expect(rows.map((row) => row.operation)).toEqual(operations);
  });
});
