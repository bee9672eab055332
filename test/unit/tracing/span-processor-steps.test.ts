import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode } from '@opentelemetry/core';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { InvocationSpanProcessor } from '../../../src/tracing/invocation-span-processor.js';
import { ServerSpanProcessor } from '../../../src/tracing/server-span-processor.js';
import { endedSpan, recordingExporter } from './span-processor-fakes.js';

// What both of Lookout's span processors do the same way, through the steps they share
// (src/tracing/span-processor-steps.ts).
const PROCESSORS: Array<[string, (exporter: SpanExporter) => SpanProcessor]> = [
  ['ServerSpanProcessor', (exporter) => new ServerSpanProcessor(exporter)],
  ['InvocationSpanProcessor', (exporter) => new InvocationSpanProcessor(exporter)],
];

const cleanUps: Array<() => void> = [];
afterEach(() => {
  for (const cleanUp of cleanUps.splice(0)) cleanUp();
});

describe.each(PROCESSORS)('%s', (_name, createProcessor) => {
  it('exports with tracing suppressed, so the export makes no spans', async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    cleanUps.push(() => context.disable());
    const sink = recordingExporter();
    const processor = createProcessor(sink.exporter);

    processor.onEnd(endedSpan());
    await processor.forceFlush();

    expect(sink.suppressed).toEqual([true]);
  });

  it('waits for resource attributes still being read before exporting', async () => {
    let resolveAttributes = () => {};
    const attributes = new Promise<void>((resolve) => {
      resolveAttributes = resolve;
    });
    const resource = { asyncAttributesPending: true, waitForAsyncAttributes: () => attributes };
    const sink = recordingExporter();
    const processor = createProcessor(sink.exporter);

    processor.onEnd(endedSpan(true, resource));
    const flushed = processor.forceFlush();
    const exportedBefore = sink.exports.length;
    resolveAttributes();
    await flushed;

    expect(exportedBefore).toBe(0);
    expect(sink.exports).toHaveLength(1);
  });

  it('resolves its flush when the exporter throws or fails', async () => {
    const throwing = createProcessor({
      export: () => {
        throw new Error('boom');
      },
      shutdown: async () => {},
    });
    const failing = createProcessor({
      export: (_spans, callback) => callback({ code: ExportResultCode.FAILED, error: new Error('EACCES') }),
      shutdown: async () => {},
    });

    throwing.onEnd(endedSpan());
    failing.onEnd(endedSpan());

    await expect(throwing.forceFlush()).resolves.toBeUndefined();
    await expect(failing.forceFlush()).resolves.toBeUndefined();
  });

  it('ignores spans that were not sampled', async () => {
    const sink = recordingExporter();
    const processor = createProcessor(sink.exporter);

    processor.onEnd(endedSpan(false));
    await processor.forceFlush();

    expect(sink.exports).toEqual([]);
  });
});
