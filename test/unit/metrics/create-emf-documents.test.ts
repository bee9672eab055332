import { describe, expect, it } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import { createEmfDocuments, type EmfGroupInput, type EmfMetricInput } from '../../../src/metrics/index.js';
import { findSum, readEmf, sumEmf } from '../../helpers/emf-reader.js';

const NOW = 1_700_000_000_000;
const DIMENSIONS = { Service: 'orders', Environment: 'test', Operation: 'GET /orders/:id' };
const SETS = [
  ['Service', 'Environment', 'Operation'],
  ['Service', 'Environment'],
];

function group(metrics: EmfMetricInput[], overrides: Partial<EmfGroupInput> = {}): EmfGroupInput {
  return { timestamp: NOW, dimensions: DIMENSIONS, dimensionSets: SETS, metrics, ...overrides };
}

function read(lines: string[]) {
  const result = readEmf(`${lines.join('\n')}\n`, NOW);
  expect(result.invalid).toEqual([]);
  return result;
}

describe('EMF document shaping', () => {
  it('writes sums as numbers and samples as value arrays in one document', () => {
    const lines = createEmfDocuments(
      'Lookout',
      group([
        { name: 'RequestCount', unit: 'Count', storageResolution: 60, value: 3 },
        { name: 'Latency', unit: 'Milliseconds', storageResolution: 60, value: [1.5, 2, 3] },
      ]),
      NOW,
    );

    expect(lines).toHaveLength(1);
    const root = JSON.parse(lines[0] as string);
    expect(root.RequestCount).toBe(3);
    expect(root.Latency).toEqual([1.5, 2, 3]);
    expect(root.Operation).toBe('GET /orders/:id');
    expect(root._aws.CloudWatchMetrics[0].Dimensions).toEqual(SETS);
    read(lines);
  });

  it('splits 250 samples into documents of at most 100 values, keeping every sample', () => {
    const samples = Array.from({ length: 250 }, (_, i) => i + 1);

    const lines = createEmfDocuments(
      'Lookout',
      group([
        { name: 'RequestCount', unit: 'Count', storageResolution: 60, value: 250 },
        { name: 'Latency', unit: 'Milliseconds', storageResolution: 60, value: samples },
      ]),
      NOW,
    );

    expect(lines).toHaveLength(3);
    const sums = sumEmf(read(lines).documents);
    const latency = findSum(sums, 'Latency', DIMENSIONS);
    expect(latency?.sampleCount).toBe(250);
    expect(latency?.values).toEqual(samples);
    expect(findSum(sums, 'RequestCount', DIMENSIONS)?.sum).toBe(250);
  });

  it('splits 250 metrics into directives of at most 100 metrics', () => {
    const metrics = Array.from({ length: 250 }, (_, i) => ({
      name: `M${i}`,
      unit: 'Count' as const,
      storageResolution: 60 as const,
      value: i,
    }));

    const lines = createEmfDocuments('Lookout', group(metrics), NOW);

    expect(lines).toHaveLength(3);
    for (const line of lines)
      expect(JSON.parse(line)._aws.CloudWatchMetrics[0].Metrics.length).toBeLessThanOrEqual(100);
    const sums = sumEmf(read(lines).documents);
    expect(findSum(sums, 'M249', DIMENSIONS)?.sum).toBe(249);
    expect(sums.size).toBe(250 * SETS.length);
  });

  it('marks high-resolution metrics with StorageResolution 1 and leaves standard ones unmarked', () => {
    const [line] = createEmfDocuments(
      'Lookout',
      group([
        { name: 'Fast', unit: 'Count', storageResolution: 1, value: 1 },
        { name: 'Slow', unit: 'Count', storageResolution: 60, value: 1 },
      ]),
      NOW,
    );

    expect(JSON.parse(line as string)._aws.CloudWatchMetrics[0].Metrics).toEqual([
      { Name: 'Fast', Unit: 'Count', StorageResolution: 1 },
      { Name: 'Slow', Unit: 'Count' },
    ]);
  });

  it('drops non-finite values instead of writing null', () => {
    const lines = createEmfDocuments(
      'Lookout',
      group([
        { name: 'Count', unit: 'Count', storageResolution: 60, value: Number.NaN },
        {
          name: 'Latency',
          unit: 'Milliseconds',
          storageResolution: 60,
          value: [1, Number.POSITIVE_INFINITY, 2],
        },
      ]),
      NOW,
    );

    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string).Latency).toEqual([1, 2]);
    expect(lines[0]).not.toContain('null');
    read(lines);
  });

  it('writes nothing for a group without values', () => {
    expect(createEmfDocuments('Lookout', group([]), NOW)).toEqual([]);
  });

  it('replaces a timestamp outside the accepted window with now', () => {
    const [line] = createEmfDocuments(
      'Lookout',
      group([{ name: 'RequestCount', unit: 'Count', storageResolution: 60, value: 1 }], {
        timestamp: NOW - 15 * 86_400_000,
      }),
      NOW,
    );

    expect(JSON.parse(line as string)._aws.Timestamp).toBe(NOW);
  });

  it('splits a document over the byte budget into smaller valid ones', () => {
    const longDimensions = Object.fromEntries(
      Array.from({ length: 28 }, (_, i) => [`Dimension${i}`, 'v'.repeat(1000)]),
    );
    const metrics = Array.from({ length: 100 }, (_, i) => ({
      name: `Metric${'x'.repeat(200)}${i}`,
      unit: 'Milliseconds' as const,
      storageResolution: 60 as const,
      value: Array.from({ length: 100 }, () => -1.2345678901234568e-10),
    }));

    const lines = createEmfDocuments(
      'Lookout',
      { timestamp: NOW, dimensions: longDimensions, dimensionSets: [Object.keys(longDimensions)], metrics },
      NOW,
    );

    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(256 * 1024);
    const sums = sumEmf(read(lines).documents);
    expect(findSum(sums, `Metric${'x'.repeat(200)}7`, longDimensions)?.sampleCount).toBe(100);
  });

  it('drops, with a counted diagnostic, a document that cannot fit even alone', () => {
    const output: string[] = [];
    const restore = diagnostics.captureForTesting((line) => output.push(line));
    try {
      // Past the validation a recorder applies: one dimension value far over any event size.
      const huge = { Service: 'orders', Blob: 'b'.repeat(300_000) };
      const input = group([{ name: 'RequestCount', unit: 'Count', storageResolution: 60, value: 1 }], {
        dimensions: huge,
        dimensionSets: [['Service', 'Blob']],
      });

      const first = createEmfDocuments('Lookout', input, NOW);
      const second = createEmfDocuments('Lookout', input, NOW);

      expect([...first, ...second]).toEqual([]);
      expect(output.filter((line) => line.includes('LOOKOUT_METRIC_INVALID'))).toHaveLength(1);
      expect(diagnostics.counts().get('metrics:document-size')).toBe(2);
    } finally {
      restore();
    }
  });
});
