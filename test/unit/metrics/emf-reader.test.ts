import { describe, expect, it } from 'vitest';
import { findSum, readEmf, sumEmf, validateEmfLine } from '../../helpers/emf-reader.js';

const NOW = 1_700_000_000_000;

function document(overrides: Record<string, unknown> = {}, directive: Record<string, unknown> = {}): string {
  return JSON.stringify({
    _aws: {
      Timestamp: NOW,
      CloudWatchMetrics: [
        {
          Namespace: 'Lookout',
          Dimensions: [['Service']],
          Metrics: [{ Name: 'RequestCount', Unit: 'Count' }],
          ...directive,
        },
      ],
    },
    Service: 'orders',
    RequestCount: 1,
    ...overrides,
  });
}

describe('EMF reader', () => {
  it('accepts a document that follows the specification', () => {
    expect(validateEmfLine(document(), NOW)).toEqual([]);
  });

  it('accepts 0 and values at the edges of the range CloudWatch takes', () => {
    expect(validateEmfLine(document({ RequestCount: [0, -0, 2 ** -360, -(2 ** 360)] }), NOW)).toEqual([]);
  });

  it.each([
    ['a null metric value (what NaN serializes to)', document({ RequestCount: null })],
    ['a missing metric member', document({ RequestCount: undefined })],
    ['a missing dimension member', document({ Service: undefined })],
    ['a numeric dimension value', document({ Service: 3 })],
    ['101 values in one metric', document({ RequestCount: Array.from({ length: 101 }, () => 1) })],
    ['an empty value array', document({ RequestCount: [] })],
    ['a value above 2^360', document({ RequestCount: 1e200 })],
    ['a value below 2^-360 that is not 0', document({ RequestCount: [1, 5e-324] })],
    ['a document over the 256 KiB event limit', document({ note: 'x'.repeat(300_000) })],
    ['an unknown unit', document({}, { Metrics: [{ Name: 'RequestCount', Unit: 'Parsecs' }] })],
    [
      'a StorageResolution other than 1 or 60',
      document({}, { Metrics: [{ Name: 'RequestCount', StorageResolution: 5 }] }),
    ],
    [
      '31 dimensions in one set',
      document(Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`D${i}`, 'x'])), {
        Dimensions: [Array.from({ length: 31 }, (_, i) => `D${i}`)],
      }),
    ],
    [
      '101 metric definitions',
      document(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`M${i}`, 1])), {
        Metrics: Array.from({ length: 101 }, (_, i) => ({ Name: `M${i}` })),
      }),
    ],
    [
      'a metric defined twice',
      document({}, { Metrics: [{ Name: 'RequestCount' }, { Name: 'RequestCount' }] }),
    ],
    ['a metric that is also a dimension', document({ Service: 'x' }, { Metrics: [{ Name: 'Service' }] })],
    ['no dimension sets', document({}, { Dimensions: [] })],
    ['an unknown member in a directive', document({}, { Extra: true })],
    ['an empty namespace', document({}, { Namespace: '' })],
    [
      'a timestamp three weeks old',
      JSON.stringify({
        ...JSON.parse(document()),
        _aws: { ...JSON.parse(document())._aws, Timestamp: NOW - 21 * 86_400_000 },
      }),
    ],
  ])('rejects %s', (_name, line) => {
    expect(validateEmfLine(line, NOW)).not.toEqual([]);
  });

  it('accepts 30 dimensions in one set', () => {
    const names = Array.from({ length: 30 }, (_, i) => `D${i}`);
    const line = document(Object.fromEntries(names.map((name) => [name, 'x'])), { Dimensions: [names] });
    expect(validateEmfLine(line, NOW)).toEqual([]);
  });

  it('reports a truncated document as invalid and ignores ordinary output', () => {
    const good = document();
    const text = `listening on 3000\n${good}\n${good.slice(0, 40)}\n{"level":"info"}\n`;

    const result = readEmf(text, NOW);

    expect(result.documents).toHaveLength(1);
    expect(result.invalid).toHaveLength(1);
    expect(result.otherLines).toBe(2);
  });

  it('sums numbers and value arrays per metric and dimension set, once per set', () => {
    const line = document(
      { Operation: 'GET /a', Latency: [1, 2, 3], RequestCount: 3 },
      {
        Dimensions: [['Service', 'Operation'], ['Service']],
        Metrics: [{ Name: 'RequestCount' }, { Name: 'Latency', Unit: 'Milliseconds' }],
      },
    );

    const sums = sumEmf(readEmf(`${line}\n${line}\n`, NOW).documents);

    expect(findSum(sums, 'RequestCount', { Service: 'orders', Operation: 'GET /a' })?.sum).toBe(6);
    expect(findSum(sums, 'RequestCount', { Service: 'orders' })?.sum).toBe(6);
    expect(findSum(sums, 'Latency', { Service: 'orders', Operation: 'GET /a' })?.sampleCount).toBe(6);
    expect(findSum(sums, 'Latency', { Service: 'orders' })?.sum).toBe(12);
    expect(findSum(sums, 'Latency', { Service: 'other' })).toBeUndefined();
  });
});
