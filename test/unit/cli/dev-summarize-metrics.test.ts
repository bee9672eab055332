import { describe, expect, it } from 'vitest';
import { histogramPercentile, percentile, summarizeMetrics } from '../../../src/cli/dev/summarize-metrics.js';
import type { ViewerMetricPoint } from '../../../src/cli/dev/viewer-records.js';

let seq = 0;
function emf(name: string, unit: string, values: number[], timeMs: number): ViewerMetricPoint {
  return {
    seq: ++seq,
    timeMs,
    name,
    unit,
    source: 'emf',
    dimensions: { Service: 'orders', Operation: 'GET /orders/:id' },
    values,
    type: undefined,
    temporality: undefined,
    histogram: undefined,
    service: 'orders',
  };
}

function otlpDuration(count: number, counts: number[], status: number, timeMs: number): ViewerMetricPoint {
  return {
    seq: ++seq,
    timeMs,
    name: 'http.server.request.duration',
    unit: 's',
    source: 'otlp',
    dimensions: { 'http.response.status_code': String(status) },
    values: [],
    type: 'histogram',
    temporality: 'CUMULATIVE',
    histogram: { count, sum: undefined, bounds: [0.005, 0.01, 0.1], counts },
    service: 'orders',
  };
}

describe('summarizeMetrics', () => {
  it('builds request, latency, error and custom series from EMF points, per time bucket', () => {
    const t0 = 1_795_000_000_000;
    const points = [
      emf('RequestCount', 'Count', [3], t0),
      emf('Latency', 'Milliseconds', [1, 2, 100], t0),
      emf('Error', 'Count', [1], t0),
      emf('Fault', 'Count', [0], t0),
      emf('RequestCount', 'Count', [2], t0 + 1000),
      emf('Fault', 'Count', [2], t0 + 1000),
      emf('OrderPlaced', 'Count', [1], t0),
      emf('OrderPlaced', 'Count', [4], t0 + 200),
    ];

    const summary = summarizeMetrics(points);

    expect(summary.bucketMs).toBe(1000);
    expect(summary.requestSource).toBe('emf');
    expect(summary.requests).toEqual([
      { t: t0, value: 3 },
      { t: t0 + 1000, value: 2 },
    ]);
    expect(summary.latency).toEqual([{ t: t0, p50: 2, p99: 100 }]);
    expect(summary.errors).toEqual([
      { t: t0, error: 1, fault: 0 },
      { t: t0 + 1000, error: 0, fault: 2 },
    ]);
    expect(summary.custom).toEqual([
      {
        name: 'OrderPlaced',
        unit: 'Count',
        source: 'emf',
        aggregation: 'sum',
        points: [{ t: t0, value: 5 }],
      },
    ]);
  });

  it('turns cumulative OTLP duration histograms into per-bucket request counts, faults and percentiles', () => {
    const t0 = 1_795_000_000_000;
    const points = [
      otlpDuration(2, [2, 0, 0, 0], 200, t0),
      otlpDuration(1, [0, 0, 1, 0], 503, t0),
      otlpDuration(6, [2, 4, 0, 0], 200, t0 + 1000),
    ];

    const summary = summarizeMetrics(points);

    expect(summary.requestSource).toBe('otlp');
    expect(summary.requests).toEqual([
      { t: t0, value: 3 },
      { t: t0 + 1000, value: 4 },
    ]);
    expect(summary.errors.map((point) => point.fault)).toEqual([1, 0]);
    // The second bucket holds the 4 new requests, all between 5 and 10 ms.
    expect(summary.latency[1]?.p50).toBeGreaterThan(5);
    expect(summary.latency[1]?.p99).toBeLessThanOrEqual(10);
  });

  it('is empty for no points', () => {
    expect(summarizeMetrics([])).toMatchObject({
      requestSource: 'none',
      requests: [],
      latency: [],
      custom: [],
    });
  });

  it('keeps to 61 buckets when points are decades apart (an EMF Timestamp in seconds)', () => {
    // Prepare
    const now = 1_795_000_000_000;
    const points = [emf('RequestCount', 'Count', [1], now), emf('RequestCount', 'Count', [1], now / 1000)];

    // Act
    const summary = summarizeMetrics(points);

    // Assess
    expect(summary.requests.length).toBeLessThanOrEqual(61);
    expect(summary.bucketMs % 3_600_000).toBe(0);
    expect(summary.requests.reduce((sum, point) => sum + point.value, 0)).toBe(2);
  });
});

describe('percentiles', () => {
  it('uses the nearest rank on samples and interpolates inside histogram buckets', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 99)).toBe(4);
    expect(histogramPercentile({ count: 4, sum: undefined, bounds: [10, 20], counts: [0, 4, 0] }, 50)).toBe(
      15,
    );
  });
});
