import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import { estimateSpanBytes } from '../../../src/tracing/estimate-span-bytes.js';
import { encodeTraceRequest } from '../../../src/tracing/otlp/encode-trace-request.js';
import { ServerSpanProcessor } from '../../../src/tracing/server-span-processor.js';
import { endedSpan, isSettled, recordingExporter } from './span-processor-fakes.js';

/** A span with `count` string attributes of `length` characters each. */
function largeSpan(count: number, length: number): ReadableSpan {
  const attributes: Record<string, string> = {};
  for (let i = 0; i < count; i += 1) attributes[`attribute.${i}`] = 'x'.repeat(length);
  return endedSpan(true, {}, attributes);
}

const cleanUps: Array<() => void> = [];
afterEach(() => {
  for (const cleanUp of cleanUps.splice(0)) cleanUp();
  vi.useRealTimers();
});

describe('the server span processor', () => {
  it('exports ended spans after the scheduled delay, in one export, on one timer for many spans', () => {
    // Prepare
    vi.useFakeTimers();
    const sink = recordingExporter();
    const processor = new ServerSpanProcessor(sink.exporter, { scheduledDelayMillis: 5000 });
    const spans = [endedSpan(), endedSpan()];

    // Act
    processor.onEnd(spans[0]!);
    vi.advanceTimersByTime(3000);
    processor.onEnd(spans[1]!);
    const timers = vi.getTimerCount();
    const exportedBefore = sink.exports.length;
    vi.advanceTimersByTime(2000);

    // Assess
    expect(timers).toBe(1);
    expect(exportedBefore).toBe(0);
    expect(sink.exports).toEqual([spans]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('exports a full batch on the next turn of the event loop, never inside the end() that filled it', async () => {
    const sink = recordingExporter();
    const processor = new ServerSpanProcessor(sink.exporter, { maxExportBatchSize: 2 });
    const batch = [endedSpan(), endedSpan()];

    for (const span of batch) processor.onEnd(span);
    const inOnEnd = sink.exports.length;
    await new Promise((resolve) => setImmediate(resolve));

    expect(inOnEnd).toBe(0);
    expect(sink.exports).toEqual([batch]);
  });

  it('keeps no span that was not sampled', async () => {
    const sink = recordingExporter();
    const processor = new ServerSpanProcessor(sink.exporter);
    const sampled = endedSpan();

    processor.onEnd(endedSpan(false));
    processor.onEnd(sampled);
    await processor.forceFlush();

    expect(sink.exports).toEqual([[sampled]]);
  });

  it('runs one export at a time: a full batch that fills while one is in flight leaves when it answers', async () => {
    const sink = recordingExporter(false);
    const processor = new ServerSpanProcessor(sink.exporter, { maxExportBatchSize: 2 });
    const first = [endedSpan(), endedSpan()];
    const second = [endedSpan(), endedSpan()];

    for (const span of [...first, ...second]) processor.onEnd(span);
    await new Promise((resolve) => setImmediate(resolve));
    const inFlight = sink.exports.length;
    sink.answerAll();

    expect(inFlight).toBe(1);
    expect(sink.exports).toEqual([first, second]);
  });

  it('exports in batches of at most maxExportBatchSize when flushed', async () => {
    const sink = recordingExporter(false);
    const processor = new ServerSpanProcessor(sink.exporter, { maxQueueSize: 10, maxExportBatchSize: 2 });
    const spans = [endedSpan(), endedSpan(), endedSpan(), endedSpan(), endedSpan()];

    for (const span of spans) processor.onEnd(span);
    const flushed = processor.forceFlush();
    sink.answerAll();
    await flushed;

    expect(sink.exports.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(sink.exports.flat()).toEqual(spans);
  });

  it("resolves a flush only once every export in flight has answered, the timer's included", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const sink = recordingExporter(false);
    const processor = new ServerSpanProcessor(sink.exporter, { scheduledDelayMillis: 100 });

    processor.onEnd(endedSpan());
    vi.advanceTimersByTime(100);
    const timerExports = sink.exports.length;
    const flushed = processor.forceFlush();
    const settledWhileExporting = await isSettled(flushed);
    sink.answerAll();

    expect(timerExports).toBe(1);
    expect(settledWhileExporting).toBe(false);
    expect(await isSettled(flushed)).toBe(true);
  });

  it('stops waiting for an export after exportTimeoutMillis, says so once, and starts the next', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const lines: string[] = [];
    cleanUps.push(diagnostics.captureForTesting((line) => lines.push(line)));
    const sink = recordingExporter(false);
    const processor = new ServerSpanProcessor(sink.exporter, {
      maxExportBatchSize: 1,
      maxQueueSize: 2,
      exportTimeoutMillis: 1000,
    });

    processor.onEnd(endedSpan());
    processor.onEnd(endedSpan());
    const flushed = processor.forceFlush();
    vi.advanceTimersByTime(1000);

    expect(await isSettled(flushed)).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[LOOKOUT_EXPORT_FAILED] A span export did not finish within 1000 ms');
    // The queue is free again: a late answer changes nothing.
    sink.answerAll();
    processor.onEnd(endedSpan());
    processor.onEnd(endedSpan());
    expect(processor.droppedSpans).toBe(0);
  });

  it('holds no timer that keeps the process alive, the export timeout included', async () => {
    const sink = recordingExporter(false);
    const processor = new ServerSpanProcessor(sink.exporter, { maxExportBatchSize: 2 });
    const before = process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

    processor.onEnd(endedSpan());
    const withBatchTimer = process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    processor.onEnd(endedSpan());
    await new Promise((resolve) => setImmediate(resolve));
    const exports = sink.exports.length;
    const whileExporting = process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    sink.answerAll();

    expect(exports).toBe(1);
    expect(withBatchTimer).toBe(before);
    expect(whileExporting).toBe(before);
  });

  it('drops the spans past its queue size, those in flight counted, and says so once', async () => {
    const lines: string[] = [];
    cleanUps.push(diagnostics.captureForTesting((line) => lines.push(line)));
    const slow = recordingExporter(false);
    const processor = new ServerSpanProcessor(slow.exporter, { maxQueueSize: 3, maxExportBatchSize: 2 });

    for (let i = 0; i < 2; i += 1) processor.onEnd(endedSpan());
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 4; i += 1) processor.onEnd(endedSpan());

    expect(slow.exports.map((batch) => batch.length)).toEqual([2]);
    expect(processor.droppedSpans).toBe(3);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      '[LOOKOUT_EXPORT_FAILED] More than 3 ended spans were waiting for export or being exported',
    );
  });

  it('splits a batch whose request would pass maxExportBatchBytes into several exports, in order', async () => {
    const sink = recordingExporter();
    const spans = [largeSpan(10, 1000), largeSpan(10, 1000), largeSpan(10, 1000), largeSpan(10, 1000)];
    const oneSpan = estimateSpanBytes(spans[0]!);
    const processor = new ServerSpanProcessor(sink.exporter, { maxExportBatchBytes: oneSpan * 2 + 1 });

    for (const span of spans) processor.onEnd(span);
    await processor.forceFlush();

    expect(sink.exports.map((batch) => batch.length)).toEqual([2, 2]);
    expect(sink.exports.flat()).toEqual(spans);
  });

  it('sends a span larger than maxExportBatchBytes on its own', async () => {
    const sink = recordingExporter();
    const small = endedSpan();
    const large = largeSpan(5, 1000);
    const processor = new ServerSpanProcessor(sink.exporter, { maxExportBatchBytes: 1000 });

    processor.onEnd(small);
    processor.onEnd(large);
    processor.onEnd(endedSpan());
    await processor.forceFlush();

    expect(sink.exports.map((batch) => batch.length)).toEqual([1, 1, 1]);
    expect(sink.exports[1]).toEqual([large]);
  });

  it('splits a batch of spans with names, messages and attributes plain JavaScript can give, without throwing', async () => {
    const sink = recordingExporter();
    const unnamed = { ...endedSpan(), name: undefined, status: { code: 2, message: 42 } };
    const hostile = endedSpan();
    Object.defineProperty(hostile, 'attributes', {
      get() {
        throw new Error('unreadable');
      },
    });
    const spans = [unnamed as unknown as ReadableSpan, hostile, largeSpan(1, 5000)];
    const processor = new ServerSpanProcessor(sink.exporter, { maxExportBatchBytes: 4000 });

    for (const span of spans) processor.onEnd(span);
    await processor.forceFlush();

    expect(sink.exports.flat()).toEqual(spans);
    expect(sink.exports.map((batch) => batch.length)).toEqual([2, 1]);
  });

  it('estimates no fewer bytes than the OTLP/protobuf request a span takes', () => {
    const spans = [
      endedSpan(),
      largeSpan(20, 10),
      largeSpan(3, 10_000),
      endedSpan(true, {}, { count: 3, ratio: 0.5, ok: true, list: ['a', 'bb', 'ccc'], numbers: [1, 2, 3] }),
    ].map((span) => ({
      ...span,
      spanContext: span.spanContext,
      kind: 1,
      startTime: [1_700_000_000, 1] as [number, number],
      endTime: [1_700_000_001, 2] as [number, number],
      status: { code: 0 },
      events: [{ name: 'event', time: [1_700_000_000, 5] as [number, number], attributes: { key: 'value' } }],
      links: [],
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
      instrumentationScope: { name: 'test' },
      resource: { attributes: {} },
    })) as unknown as ReadableSpan[];

    for (const span of spans)
      expect(estimateSpanBytes(span)).toBeGreaterThan(encodeTraceRequest([span]).length);
  });

  it('exports what it kept at shutdown, waits for exports in flight, shuts the exporter down once, and keeps nothing after', async () => {
    const sink = recordingExporter(false);
    const processor = new ServerSpanProcessor(sink.exporter, { maxExportBatchSize: 2 });
    const inFlight = [endedSpan(), endedSpan()];
    const kept = endedSpan();

    for (const span of inFlight) processor.onEnd(span);
    await new Promise((resolve) => setImmediate(resolve));
    processor.onEnd(kept);
    const shutDown = Promise.all([processor.shutdown(), processor.shutdown()]);
    const shutDownBeforeAnswers = sink.shutDown();
    sink.answerAll();
    await shutDown;
    processor.onEnd(endedSpan());
    await processor.forceFlush();

    expect(shutDownBeforeAnswers).toBe(0);
    expect(sink.exports).toEqual([inFlight, [kept]]);
    expect(sink.shutDown()).toBe(1);
  });

  it('never rejects a flush during shutdown, even when the exporter fails to shut down', async () => {
    const processor = new ServerSpanProcessor({
      export: (_spans, callback) => callback({ code: ExportResultCode.SUCCESS }),
      shutdown: () => Promise.reject(new Error('socket already closed')),
    });

    const shutDown = processor.shutdown();
    const flushed = processor.forceFlush();

    await expect(shutDown).rejects.toThrow('socket already closed');
    await expect(flushed).resolves.toBeUndefined();
  });
});
