import { ExportResultCode } from '@opentelemetry/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import {
  getBatchBoundsFromEnv,
  getBatchExportTimeoutFromEnv,
  InvocationSpanProcessor,
} from '../../../src/tracing/invocation-span-processor.js';
import { endedSpan, isSettled, recordingExporter } from './span-processor-fakes.js';

const cleanUps: Array<() => void> = [];
afterEach(() => {
  for (const cleanUp of cleanUps.splice(0)) cleanUp();
  vi.useRealTimers();
});

describe('the Lambda span processor', () => {
  it("exports an invocation's ended spans in one export when flushed, and not before", async () => {
    // Prepare
    const sink = recordingExporter();
    const processor = new InvocationSpanProcessor(sink.exporter);
    const spans = [endedSpan(), endedSpan(), endedSpan()];

    // Act
    for (const span of spans) processor.onEnd(span);
    const before = sink.exports.length;
    await processor.forceFlush();

    // Assess
    expect(before).toBe(0);
    expect(sink.exports).toEqual([spans]);
  });

  it('keeps no span that was not sampled', async () => {
    const sink = recordingExporter();
    const processor = new InvocationSpanProcessor(sink.exporter);
    const sampled = endedSpan();

    processor.onEnd(endedSpan(false));
    processor.onEnd(sampled);
    await processor.forceFlush();

    expect(sink.exports).toEqual([[sampled]]);
  });

  it('resolves a flush only once its export has answered', async () => {
    const sink = recordingExporter(false);
    const processor = new InvocationSpanProcessor(sink.exporter);
    processor.onEnd(endedSpan());

    const flushed = processor.forceFlush();
    const settledBeforeTheAnswer = await isSettled(flushed);
    sink.answerAll();

    expect(settledBeforeTheAnswer).toBe(false);
    expect(await isSettled(flushed)).toBe(true);
  });

  it('exports a full batch at once, and a flush waits for that export too', async () => {
    const sink = recordingExporter(false);
    const processor = new InvocationSpanProcessor(sink.exporter, { maxExportBatchSize: 2 });
    const first = [endedSpan(), endedSpan()];
    const last = endedSpan();

    for (const span of [...first, last]) processor.onEnd(span);
    const exportedWithoutFlush = sink.exports.length;
    const flushed = processor.forceFlush();
    // The flush's own export answers; the full batch's does not yet.
    const fullBatchAnswer = sink.exports.length;
    sink.answerAll();
    processor.onEnd(endedSpan());
    const settledWhileANewSpanWaits = await isSettled(flushed);

    expect(exportedWithoutFlush).toBe(1);
    expect(fullBatchAnswer).toBe(2);
    expect(sink.exports).toEqual([first, [last]]);
    expect(settledWhileANewSpanWaits).toBe(true);
  });

  it('exports in batches of at most maxExportBatchSize when flushed', async () => {
    const sink = recordingExporter(false);
    const processor = new InvocationSpanProcessor(sink.exporter, { maxQueueSize: 10, maxExportBatchSize: 2 });
    const spans = [endedSpan(), endedSpan(), endedSpan(), endedSpan(), endedSpan()];

    for (const span of spans) processor.onEnd(span);
    const flushed = processor.forceFlush();
    sink.answerAll();
    await flushed;

    expect(sink.exports.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(sink.exports.flat()).toEqual(spans);
  });

  it('exports spans no flush took after the scheduled delay, on one timer for many spans', async () => {
    vi.useFakeTimers();
    const sink = recordingExporter();
    const processor = new InvocationSpanProcessor(sink.exporter, { scheduledDelayMillis: 5000 });
    const spans = [endedSpan(), endedSpan()];

    processor.onEnd(spans[0]!);
    vi.advanceTimersByTime(3000);
    processor.onEnd(spans[1]!);
    const timers = vi.getTimerCount();
    vi.advanceTimersByTime(2000);

    expect(timers).toBe(1);
    expect(sink.exports).toEqual([spans]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves the timer pending when a flush takes the spans, and it then exports nothing', async () => {
    vi.useFakeTimers();
    const sink = recordingExporter();
    const processor = new InvocationSpanProcessor(sink.exporter, { scheduledDelayMillis: 5000 });

    processor.onEnd(endedSpan());
    await processor.forceFlush();
    processor.onEnd(endedSpan());
    await processor.forceFlush();
    const timers = vi.getTimerCount();
    vi.advanceTimersByTime(5000);

    expect(timers).toBe(1);
    expect(sink.exports).toHaveLength(2);
  });

  it('drops the spans past its queue size and says so once', async () => {
    const lines: string[] = [];
    cleanUps.push(diagnostics.captureForTesting((line) => lines.push(line)));
    const sink = recordingExporter();
    const processor = new InvocationSpanProcessor(sink.exporter, { maxQueueSize: 3, maxExportBatchSize: 3 });
    const slow = recordingExporter(false);
    const waiting = new InvocationSpanProcessor(slow.exporter, { maxQueueSize: 2, maxExportBatchSize: 5 });

    for (let i = 0; i < 5; i += 1) waiting.onEnd(endedSpan());
    for (let i = 0; i < 5; i += 1) processor.onEnd(endedSpan());
    await processor.forceFlush();

    expect(waiting.droppedSpans).toBe(3);
    expect(processor.droppedSpans).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      '[LOOKOUT_EXPORT_FAILED] More than 2 ended spans were waiting for export or being exported',
    );
  });

  it('never rejects a flush during shutdown, even when the exporter fails to shut down', async () => {
    const processor = new InvocationSpanProcessor({
      export: (_spans, callback) => callback({ code: ExportResultCode.SUCCESS }),
      shutdown: () => Promise.reject(new Error('socket already closed')),
    });

    const shutDown = processor.shutdown();
    const flushed = processor.forceFlush();

    await expect(shutDown).rejects.toThrow('socket already closed');
    await expect(flushed).resolves.toBeUndefined();
  });

  it('exports what it kept at shutdown, shuts the exporter down once, and keeps nothing after', async () => {
    const sink = recordingExporter();
    const processor = new InvocationSpanProcessor(sink.exporter);
    const kept = endedSpan();

    processor.onEnd(kept);
    await Promise.all([processor.shutdown(), processor.shutdown()]);
    processor.onEnd(endedSpan());
    await processor.forceFlush();

    expect(sink.exports).toEqual([[kept]]);
    expect(sink.shutDown()).toBe(1);
  });
});

describe("the batch span processor's bounds from the environment", () => {
  it('reads OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE and OTEL_BSP_SCHEDULE_DELAY', () => {
    const bounds = getBatchBoundsFromEnv({
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: ' 10 ',
      OTEL_BSP_SCHEDULE_DELAY: '0',
      OTEL_BSP_EXPORT_TIMEOUT: '1000',
    });

    expect(bounds).toEqual({ maxQueueSize: 100, maxExportBatchSize: 10, scheduledDelayMillis: 0 });
  });

  it('leaves unset, empty and invalid variables out, and says once which one is invalid', () => {
    const lines: string[] = [];
    cleanUps.push(diagnostics.captureForTesting((line) => lines.push(line)));

    const first = getBatchBoundsFromEnv({ OTEL_BSP_MAX_QUEUE_SIZE: 'many', OTEL_BSP_SCHEDULE_DELAY: ' ' });
    const again = getBatchBoundsFromEnv({
      OTEL_BSP_MAX_QUEUE_SIZE: 'many',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '0',
    });

    expect(first).toEqual({});
    expect(again).toEqual({});
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('[LOOKOUT_ENV_INVALID] OTEL_BSP_MAX_QUEUE_SIZE="many" is not a whole number');
    expect(lines[1]).toContain('OTEL_BSP_MAX_EXPORT_BATCH_SIZE="0"');
  });

  // Node's timers hold at most 2^31 - 1 ms; past that a timer fires after 1 ms, with a warning on
  // the app's stderr: a delay meant as "almost never" would export at once, again and again.
  it('leaves out a schedule delay longer than a timer can wait, and says so', () => {
    const lines: string[] = [];
    cleanUps.push(diagnostics.captureForTesting((line) => lines.push(line)));

    const bounds = getBatchBoundsFromEnv({ OTEL_BSP_SCHEDULE_DELAY: '99999999999' });
    const longest = getBatchBoundsFromEnv({ OTEL_BSP_SCHEDULE_DELAY: '2147483647' });

    expect(bounds).toEqual({});
    expect(longest).toEqual({ scheduledDelayMillis: 2_147_483_647 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      'OTEL_BSP_SCHEDULE_DELAY="99999999999" is not a whole number from 0 to 2147483647',
    );
  });

  it('reads OTEL_BSP_EXPORT_TIMEOUT for servers, leaving out one longer than a timer can wait', () => {
    const lines: string[] = [];
    cleanUps.push(diagnostics.captureForTesting((line) => lines.push(line)));

    const set = getBatchExportTimeoutFromEnv({ OTEL_BSP_EXPORT_TIMEOUT: '1000' });
    const tooLong = getBatchExportTimeoutFromEnv({ OTEL_BSP_EXPORT_TIMEOUT: '99999999999' });

    expect(set).toBe(1000);
    expect(tooLong).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      'OTEL_BSP_EXPORT_TIMEOUT="99999999999" is not a whole number from 1 to 2147483647',
    );
  });
});
