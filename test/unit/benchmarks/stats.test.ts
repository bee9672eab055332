import { describe, expect, it } from 'vitest';
import {
  median,
  minMax,
  pairedByRound,
  percentile,
  summarize,
  summarizeVariant,
  valuesByRound,
} from '../../../benchmarks/lib/stats.mjs';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('minMax and summarize', () => {
  it('gives the smallest and largest value', () => {
    expect(minMax([7, -2, 11, 4])).toEqual({ min: -2, max: 11 });
  });

  it('summarises median, range and count', () => {
    expect(summarize([10, 30, 20])).toEqual({ median: 20, min: 10, max: 30, count: 3 });
  });

  it('reports NaN bounds for no values', () => {
    const summary = summarize([]);
    expect(summary.count).toBe(0);
    expect(summary.min).toBeNaN();
    expect(summary.max).toBeNaN();
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
  });

  it('returns the only value of a single sample', () => {
    expect(percentile([4.2], 99)).toBe(4.2);
  });
});

describe('comparisons of alternated rounds', () => {
  // Round 2 ran on a slower machine moment: every variant in it is twice as slow.
  const runs = [
    { round: 1, variant: 'bare', metrics: { ms: 100 } },
    { round: 1, variant: 'peer', metrics: { ms: 150 } },
    { round: 2, variant: 'bare', metrics: { ms: 200 } },
    { round: 2, variant: 'peer', metrics: { ms: 300 } },
    { round: 3, variant: 'bare', metrics: { ms: 110 } },
    { round: 3, variant: 'peer', metrics: { ms: 165 } },
  ];

  it('compares within each round, so a slow round cancels out of the ratio', () => {
    const { ratios, deltas, rounds } = pairedByRound(runs, 'peer', 'bare', 'ms');
    expect(rounds).toEqual([1, 2, 3]);
    expect(ratios).toEqual([1.5, 1.5, 1.5]);
    expect(deltas).toEqual([50, 100, 55]);
  });

  it('summarises a variant as median of values and medians of per-round ratios and deltas', () => {
    const summary = summarizeVariant(runs, 'peer', 'bare', 'ms');
    expect(summary.value).toEqual({ median: 165, min: 150, max: 300, count: 3 });
    expect(summary.ratio).toEqual({ median: 1.5, min: 1.5, max: 1.5, count: 3 });
    expect(summary.delta).toEqual({ median: 55, min: 50, max: 100, count: 3 });
  });

  it('leaves out rounds where either side failed or lacks the metric', () => {
    const withGaps = [
      ...runs,
      { round: 4, variant: 'bare', metrics: { ms: 100 } },
      { round: 4, variant: 'peer', error: 'worker exited with 1' },
      { round: 5, variant: 'bare', error: 'killed' },
      { round: 5, variant: 'peer', metrics: { ms: 400 } },
      { round: 6, variant: 'bare', metrics: { other: 1 } },
      { round: 6, variant: 'peer', metrics: { ms: 10 } },
    ];
    expect(pairedByRound(withGaps, 'peer', 'bare', 'ms').rounds).toEqual([1, 2, 3]);
    expect([...valuesByRound(withGaps, 'peer', 'ms').keys()]).toEqual([1, 2, 3, 5, 6]);
  });

  it('drops ratios against a zero baseline but keeps the difference', () => {
    const zero = [
      { round: 1, variant: 'bare', metrics: { bytes: 0 } },
      { round: 1, variant: 'peer', metrics: { bytes: 5 } },
    ];
    const paired = pairedByRound(zero, 'peer', 'bare', 'bytes');
    expect(paired.ratios).toEqual([]);
    expect(paired.deltas).toEqual([5]);
  });

  it('gives a ratio of one for the baseline against itself', () => {
    expect(summarizeVariant(runs, 'bare', 'bare', 'ms').ratio.median).toBe(1);
  });
});
