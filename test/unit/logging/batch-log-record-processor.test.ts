import type { ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { BatchLogRecordProcessor } from '../../../src/logging/otlp/batch-log-record-processor.js';
import { heldExporter, refdTimerCount } from '../held-exporter.js';

const BOUNDS = {
  maxQueueSize: 10,
  maxExportBatchSize: 2,
  scheduledDelayMillis: 20,
  exportTimeoutMillis: 30_000,
};

let ids = 0;
function record(): SdkLogRecord {
  ids += 1;
  return { body: `line ${ids}`, resource: {} } as unknown as SdkLogRecord;
}

describe('the OTLP log record processor', () => {
  it('holds no timer that keeps the process alive while it waits or exports, the export timeout included', async () => {
    // Prepare
    const sink = heldExporter<ReadableLogRecord[]>();
    const processor = new BatchLogRecordProcessor(sink.exporter, BOUNDS);
    const before = refdTimerCount();

    // Act: one record arms the batch timer; two fill a batch, which is exported and not answered
    processor.onEmit(record());
    const withBatchTimer = refdTimerCount();
    processor.onEmit(record());
    await new Promise((resolve) => setImmediate(resolve));
    const whileExporting = refdTimerCount();
    const exported = sink.exports.length;
    sink.answerAll();

    // Assess
    expect(exported).toBe(1);
    expect(withBatchTimer).toBe(before);
    expect(whileExporting).toBe(before);
  });

  it('waits in every flush for the export the batch timer started, then exports the rest', async () => {
    // Prepare: the timer's export is under way, one more record waits
    const sink = heldExporter<ReadableLogRecord[]>();
    const processor = new BatchLogRecordProcessor(sink.exporter, BOUNDS);
    processor.onEmit(record());
    while (sink.exports.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    processor.onEmit(record());

    // Act: two flushes at once
    let settled = 0;
    const flushes = [processor.forceFlush(), processor.forceFlush()].map((flush) =>
      flush.then(() => (settled += 1)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const settledBeforeAnswer = settled;
    sink.answerAll();
    await new Promise((resolve) => setImmediate(resolve));
    sink.answerAll();
    await Promise.all(flushes);

    // Assess
    expect(settledBeforeAnswer).toBe(0);
    expect(sink.exports.map((batch) => batch.length)).toEqual([1, 1]);
    expect(settled).toBe(2);
  });
});
