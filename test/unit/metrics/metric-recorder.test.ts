import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import { MetricRecorder, type MetricRecorderOptions } from '../../../src/metrics/index.js';
import { findSum, readEmf, sumEmf } from '../../helpers/emf-reader.js';

const BASE = { Service: 'orders', Environment: 'test' };

let warnings: string[];
let restore: () => void;

beforeEach(() => {
  warnings = [];
  restore = diagnostics.captureForTesting((line) => warnings.push(line));
});
afterEach(() => restore());

function create(overrides: Partial<MetricRecorderOptions> = {}) {
  let output = '';
  const recorder = new MetricRecorder({
    namespace: 'Lookout',
    service: 'orders',
    environment: 'test',
    storageResolution: 60,
    requestMetrics: true,
    maxGroups: 1000,
    write: (text) => {
      output += text;
    },
    ...overrides,
  });
  const read = () => {
    recorder.flush();
    const result = readEmf(output);
    expect(result.invalid).toEqual([]);
    return { ...result, sums: sumEmf(result.documents), output };
  };
  return { recorder, read };
}

describe('request metrics', () => {
  it('counts requests, errors and faults per route template and for the whole service', () => {
    const { recorder, read } = create();

    recorder.recordRequest({ method: 'GET', route: '/orders/:id', statusCode: 200, durationMs: 10 });
    recorder.recordRequest({ method: 'GET', route: '/orders/:id', statusCode: 404, durationMs: 20 });
    recorder.recordRequest({ method: 'GET', route: '/orders/:id', statusCode: 503, durationMs: 30 });
    recorder.recordRequest({ method: 'POST', route: '/orders', statusCode: 201, durationMs: 5 });

    const { sums } = read();
    const operation = { ...BASE, Operation: 'GET /orders/:id' };
    expect(findSum(sums, 'RequestCount', operation)?.sum).toBe(3);
    expect(findSum(sums, 'Error', operation)?.sum).toBe(1);
    expect(findSum(sums, 'Fault', operation)?.sum).toBe(1);
    expect(findSum(sums, 'Latency', operation)?.values).toEqual([10, 20, 30]);
    expect(findSum(sums, 'RequestCount', BASE)?.sum).toBe(4);
    expect(findSum(sums, 'Latency', BASE)?.sampleCount).toBe(4);
  });

  it('puts every unmatched request in one UNMATCHED bucket per method', () => {
    const { recorder, read } = create();

    for (let i = 0; i < 3; i++)
      recorder.recordRequest({ method: 'GET', route: undefined, statusCode: 404, durationMs: 1 });
    recorder.recordRequest({ method: 'GET', route: '', statusCode: 404, durationMs: 1 });

    const { sums } = read();
    expect(findSum(sums, 'RequestCount', { ...BASE, Operation: 'GET UNMATCHED' })?.sum).toBe(4);
  });

  it('maps methods outside the standard set to OTHER and upper-cases the rest', () => {
    const { recorder, read } = create();

    recorder.recordRequest({ method: 'get', route: '/a', statusCode: 200, durationMs: 1 });
    recorder.recordRequest({ method: 'PROPFIND', route: '/a', statusCode: 200, durationMs: 1 });
    recorder.recordRequest({ method: 'X'.repeat(5000), route: '/a', statusCode: 200, durationMs: 1 });

    const { sums } = read();
    expect(findSum(sums, 'RequestCount', { ...BASE, Operation: 'GET /a' })?.sum).toBe(1);
    expect(findSum(sums, 'RequestCount', { ...BASE, Operation: 'OTHER /a' })?.sum).toBe(2);
  });

  it('replaces characters CloudWatch refuses in a route instead of dropping the request', () => {
    const { recorder, read } = create();

    recorder.recordRequest({ method: 'GET', route: '/café/\n:id', statusCode: 200, durationMs: 1 });

    const { sums } = read();
    expect(findSum(sums, 'RequestCount', { ...BASE, Operation: 'GET /caf?/?:id' })?.sum).toBe(1);
  });

  it('keeps latency at microsecond precision', () => {
    const { recorder, read } = create();

    recorder.recordRequest({ method: 'GET', route: '/a', statusCode: 200, durationMs: 1.23456789 });

    expect(findSum(read().sums, 'Latency', BASE)?.values).toEqual([1.235]);
  });

  it.each([
    ['a status code of 1000', { statusCode: 1000, durationMs: 1 }],
    ['a status code of 99', { statusCode: 99, durationMs: 1 }],
    ['a fractional status code', { statusCode: 200.5, durationMs: 1 }],
    ['a NaN duration', { statusCode: 200, durationMs: Number.NaN }],
    ['an infinite duration', { statusCode: 200, durationMs: Number.POSITIVE_INFINITY }],
    ['a negative duration', { statusCode: 200, durationMs: -1 }],
    ['a string duration', { statusCode: 200, durationMs: '5' as unknown as number }],
  ])('drops a request with %s and warns once', (_name, fields) => {
    const { recorder, read } = create();

    recorder.recordRequest({ method: 'GET', route: '/a', ...fields });
    recorder.recordRequest({ method: 'GET', route: '/a', ...fields });
    recorder.recordRequest({ method: 'GET', route: '/a', statusCode: 200, durationMs: 1 });

    expect(findSum(read().sums, 'RequestCount', BASE)?.sum).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('LOOKOUT_METRIC_INVALID');
  });

  it('records nothing when request metrics are off', () => {
    const { recorder, read } = create({ requestMetrics: false });

    recorder.recordRequest({ method: 'GET', route: '/a', statusCode: 200, durationMs: 1 });

    expect(read().documents).toEqual([]);
  });

  it('marks every metric high resolution when asked', () => {
    const { recorder, read } = create({ storageResolution: 1 });

    recorder.recordRequest({ method: 'GET', route: '/a', statusCode: 200, durationMs: 1 });

    const definitions = read().documents[0]?.directives[0]?.Metrics ?? [];
    expect(definitions.length).toBe(4);
    expect(definitions.every((definition) => definition.StorageResolution === 1)).toBe(true);
  });

  it('stops creating series past the cap on dimension sets, with one diagnostic', () => {
    const { recorder, read } = create({ maxGroups: 3 });

    for (let i = 0; i < 10; i++)
      recorder.recordRequest({ method: 'GET', route: `/raw/${i}`, statusCode: 200, durationMs: 1 });

    const { sums } = read();
    expect(findSum(sums, 'RequestCount', BASE)?.sum).toBe(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('LOOKOUT_METRICS_LIMIT');
  });

  it('writes a full group at once and the rest on flush, never twice', () => {
    const { recorder, read } = create();

    for (let i = 0; i < 250; i++)
      recorder.recordRequest({ method: 'GET', route: '/a', statusCode: 200, durationMs: i });

    const { sums, documents } = read();
    expect(documents).toHaveLength(3);
    expect(findSum(sums, 'RequestCount', BASE)?.sum).toBe(250);
    expect(findSum(sums, 'Latency', BASE)?.sampleCount).toBe(250);
  });
});

describe('invocation metrics', () => {
  it('counts invocations, faults from a throwing handler, errors from 4xx, and one cold start', () => {
    const { recorder, read } = create();

    recorder.recordInvocation({ durationMs: 100, coldStart: true });
    recorder.recordInvocation({ durationMs: 10, coldStart: false, failed: true });
    recorder.recordInvocation({ durationMs: 10, coldStart: false, statusCode: 429 });
    recorder.recordInvocation({ durationMs: 10, coldStart: false, statusCode: 502 });

    const { sums } = read();
    const operation = { ...BASE, Operation: 'Invoke' };
    expect(findSum(sums, 'Invocations', operation)?.sum).toBe(4);
    expect(findSum(sums, 'Fault', operation)?.sum).toBe(2);
    expect(findSum(sums, 'Error', operation)?.sum).toBe(1);
    expect(findSum(sums, 'Latency', operation)?.sampleCount).toBe(4);
    expect(findSum(sums, 'ColdStart', BASE)?.sum).toBe(1);
  });

  it('uses the operation the wrapper names', () => {
    const { recorder, read } = create();

    recorder.recordInvocation({ operation: 'GET /orders/{id}', durationMs: 1, coldStart: false });

    expect(findSum(read().sums, 'Invocations', { ...BASE, Operation: 'GET /orders/{id}' })?.sum).toBe(1);
  });
});

describe('counts', () => {
  it('counts by the given dimensions plus Service and Environment', () => {
    const { recorder, read } = create();

    recorder.count('AuditEvents', { Action: 'user.login', Status: 'success' }, 1);
    recorder.count('AuditEvents', { Status: 'success', Action: 'user.login' }, 2);
    recorder.count('AuditEvents', { Action: 'user.login', Status: 'failure' }, 1);

    const { sums } = read();
    expect(findSum(sums, 'AuditEvents', { ...BASE, Action: 'user.login', Status: 'success' })?.sum).toBe(3);
    expect(findSum(sums, 'AuditEvents', { ...BASE, Action: 'user.login', Status: 'failure' })?.sum).toBe(1);
  });

  it.each([
    ['an empty name', '', {}, 1],
    ['a name reserved by EMF', '_aws', {}, 1],
    ['a name with a control character', 'a\u0001b', {}, 1],
    ['a NaN value', 'Hits', {}, Number.NaN],
    ['an infinite value', 'Hits', {}, Number.NEGATIVE_INFINITY],
    ['a string value', 'Hits', {}, '1' as unknown as number],
    ['a non-ASCII dimension value', 'Hits', { Rule: 'é' }, 1],
    ['an empty dimension value', 'Hits', { Rule: ' ' }, 1],
    ['a dimension named like the metric', 'Hits', { Hits: 'x' }, 1],
    ['a dimension Lookout adds itself', 'Hits', { Service: 'x' }, 1],
    ['a metric named like a dimension', 'Service', {}, 1],
    ['29 dimensions', 'Hits', Object.fromEntries(Array.from({ length: 29 }, (_, i) => [`D${i}`, 'x'])), 1],
    ['dimensions that are not an object', 'Hits', null as unknown as Record<string, string>, 1],
  ])('drops a count with %s, without throwing', (_name, name, dimensions, value) => {
    const { recorder, read } = create();

    expect(() => recorder.count(name, dimensions, value)).not.toThrow();

    expect(read().documents).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('accepts 28 extra dimensions (30 with Service and Environment)', () => {
    const { recorder, read } = create();
    const dimensions = Object.fromEntries(Array.from({ length: 28 }, (_, i) => [`D${i}`, 'x']));

    recorder.count('Hits', dimensions, 1);

    expect(findSum(read().sums, 'Hits', { ...BASE, ...dimensions })?.sum).toBe(1);
  });
});
