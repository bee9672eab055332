import * as sdk from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createPeriodicMetricReader } from '../../../src/metrics/create-periodic-metric-reader.js';
import { heldExporter, refdTimerCount } from '../held-exporter.js';

describe('the periodic metric reader', () => {
  it('holds no timer that keeps the process alive while an export it started is under way', async () => {
    // Prepare
    const sink = heldExporter<sdk.ResourceMetrics>();
    const reader = createPeriodicMetricReader(sdk, {
      exporter: sink.exporter,
      exportIntervalMillis: 20,
      exportTimeoutMillis: 20,
    });
    const before = refdTimerCount();
    const provider = new sdk.MeterProvider({ readers: [reader] });
    provider.getMeter('test').createCounter('runs').add(1);

    // Act: the interval starts an export, which is not answered
    const withInterval = refdTimerCount();
    while (sink.exports.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const whileExporting = refdTimerCount();
    const exported = sink.exports.length;
    sink.answerAll();
    const shutdown = provider.shutdown();
    await new Promise((resolve) => setImmediate(resolve));
    sink.answerAll();
    await shutdown;

    // Assess
    expect(exported).toBeGreaterThan(0);
    expect(withInterval).toBe(before);
    expect(whileExporting).toBe(before);
  });

  it('sends what was recorded when flushed, after the export under way', async () => {
    // Prepare
    const sink = heldExporter<sdk.ResourceMetrics>();
    const reader = createPeriodicMetricReader(sdk, {
      exporter: sink.exporter,
      exportIntervalMillis: 60_000,
      exportTimeoutMillis: 10_000,
    });
    const provider = new sdk.MeterProvider({ readers: [reader] });
    provider.getMeter('test').createCounter('runs').add(2);

    // Act
    const flush = provider.forceFlush();
    await new Promise((resolve) => setTimeout(resolve, 10));
    sink.answerAll();
    await flush;

    // Assess
    const points = sink.exports[0]?.scopeMetrics[0]?.metrics[0]?.dataPoints;
    expect(sink.exports).toHaveLength(1);
    expect(points?.map((point) => point.value)).toEqual([2]);
  });
});
