import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import * as sdk from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createPeriodicMetricReader } from '../../../src/metrics/create-periodic-metric-reader.js';

/** An exporter that records each export and answers when told to. */
function recordingExporter() {
  const exports: sdk.ResourceMetrics[] = [];
  const pending: Array<(result: ExportResult) => void> = [];
  const exporter: sdk.PushMetricExporter = {
    export: (metrics, done) => {
      exports.push(metrics);
      pending.push(done);
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const answerAll = () => {
    for (const done of pending.splice(0)) done({ code: ExportResultCode.SUCCESS });
  };
  return { exporter, exports, answerAll };
}

const refdTimers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

describe('the periodic metric reader', () => {
  it('holds no timer that keeps the process alive while an export it started is under way', async () => {
    // Prepare
    const sink = recordingExporter();
    const reader = createPeriodicMetricReader(sdk, {
      exporter: sink.exporter,
      exportIntervalMillis: 20,
      exportTimeoutMillis: 20,
    });
    const before = refdTimers();
    const provider = new sdk.MeterProvider({ readers: [reader] });
    provider.getMeter('test').createCounter('runs').add(1);

    // Act: the interval starts an export, which is not answered
    const withInterval = refdTimers();
    while (sink.exports.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const whileExporting = refdTimers();
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
    const sink = recordingExporter();
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
