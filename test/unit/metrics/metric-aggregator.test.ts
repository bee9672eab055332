import { describe, expect, it } from 'vitest';
import { type EmfGroupInput, MetricAggregator, type SeriesDefinition } from '../../../src/metrics/index.js';

const COUNT: SeriesDefinition = {
  name: 'RequestCount',
  unit: 'Count',
  storageResolution: 60,
  aggregation: 'sum',
};
const LATENCY: SeriesDefinition = {
  name: 'Latency',
  unit: 'Milliseconds',
  storageResolution: 60,
  aggregation: 'samples',
};
const describeGroup = (operation: string) => () => ({
  dimensions: { Service: 's', Environment: 'e', Operation: operation },
  dimensionSets: [['Service', 'Environment', 'Operation']],
});

function create(maxGroups = 10) {
  const full: EmfGroupInput[] = [];
  const aggregator = new MetricAggregator({
    maxGroups,
    onGroupFull: (group) => full.push(group),
    now: () => 1000,
  });
  return { aggregator, full };
}

describe('metric aggregation', () => {
  it('sums counts and keeps every sample per group', () => {
    const { aggregator } = create();

    aggregator.add('a', describeGroup('GET /a'), [COUNT, LATENCY], [1, 5]);
    aggregator.add('a', describeGroup('GET /a'), [COUNT, LATENCY], [1, 7]);
    aggregator.add('b', describeGroup('GET /b'), [COUNT, LATENCY], [1, 9]);

    const groups = aggregator.drain();
    expect(groups).toHaveLength(2);
    expect(groups[0]?.metrics).toEqual([
      { name: 'RequestCount', unit: 'Count', storageResolution: 60, value: 2 },
      { name: 'Latency', unit: 'Milliseconds', storageResolution: 60, value: [5, 7] },
    ]);
    expect(groups[0]?.timestamp).toBe(1000);
    expect(groups[1]?.dimensions.Operation).toBe('GET /b');
  });

  it('is empty after a drain, so a value is written once', () => {
    const { aggregator } = create();
    aggregator.add('a', describeGroup('GET /a'), [COUNT], [1]);

    aggregator.drain();

    expect(aggregator.drain()).toEqual([]);
    expect(aggregator.size).toBe(0);
  });

  it('hands a group over the moment a sample series reaches 100 values', () => {
    const { aggregator, full } = create();

    for (let i = 0; i < 100; i++) aggregator.add('a', describeGroup('GET /a'), [COUNT, LATENCY], [1, i]);

    expect(full).toHaveLength(1);
    expect(full[0]?.metrics[0]?.value).toBe(100);
    expect(full[0]?.metrics[1]?.value).toHaveLength(100);
    expect(aggregator.size).toBe(0);
  });

  it('refuses a new group past the cap and keeps recording known ones', () => {
    const { aggregator } = create(2);
    aggregator.add('a', describeGroup('GET /a'), [COUNT], [1]);
    aggregator.add('b', describeGroup('GET /b'), [COUNT], [1]);

    expect(aggregator.add('c', describeGroup('GET /c'), [COUNT], [1])).toBe('limit');
    expect(aggregator.add('a', describeGroup('GET /a'), [COUNT], [1])).toBe('added');
    expect(aggregator.drain().map((group) => group.dimensions.Operation)).toEqual(['GET /a', 'GET /b']);
  });

  it('hands a group over before its 101st series', () => {
    const { aggregator, full } = create();
    for (let i = 0; i < 100; i++)
      aggregator.add('a', describeGroup('GET /a'), [{ ...COUNT, name: `M${i}` }], [1]);

    aggregator.add('a', describeGroup('GET /a'), [{ ...COUNT, name: 'M100' }], [1]);

    expect(full).toHaveLength(1);
    expect(full[0]?.metrics).toHaveLength(100);
    expect(aggregator.drain()[0]?.metrics.map((metric) => metric.name)).toEqual(['M100']);
  });

  it('skips a value recorded with another unit than the series has', () => {
    const { aggregator } = create();
    aggregator.add('a', describeGroup('GET /a'), [COUNT], [1]);

    const outcome = aggregator.add('a', describeGroup('GET /a'), [{ ...COUNT, unit: 'Seconds' }], [5]);

    expect(outcome).toBe('unit-mismatch');
    expect(aggregator.drain()[0]?.metrics).toEqual([
      { name: 'RequestCount', unit: 'Count', storageResolution: 60, value: 1 },
    ]);
  });
});
