import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { LazySpanExporter } from '../../../src/tracing/lazy-span-exporter.js';

function exportOnce(exporter: SpanExporter, spans: ReadableSpan[] = []): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

describe('the lazy span exporter', () => {
  it('creates the exporter at the first export, once', async () => {
    // Prepare
    let created = 0;
    const exported: number[] = [];
    const lazy = new LazySpanExporter(() => {
      created += 1;
      return {
        export: (spans, done) => {
          exported.push(spans.length);
          done({ code: ExportResultCode.SUCCESS });
        },
        shutdown: async () => {},
      };
    });

    // Act
    const before = created;
    const first = await exportOnce(lazy, [{} as ReadableSpan]);
    const second = await exportOnce(lazy, [{} as ReadableSpan, {} as ReadableSpan]);

    // Assess
    expect(before).toBe(0);
    expect(created).toBe(1);
    expect([first.code, second.code]).toEqual([ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);
    expect(exported).toEqual([1, 2]);
  });

  it('fails every export, without throwing, when the exporter cannot be created', async () => {
    let attempts = 0;
    const lazy = new LazySpanExporter(() => {
      attempts += 1;
      throw new Error('no such module');
    });

    const results = [await exportOnce(lazy), await exportOnce(lazy)];

    expect(results.map((result) => result.code)).toEqual([ExportResultCode.FAILED, ExportResultCode.FAILED]);
    expect(results[0]?.error?.message).toBe('no such module');
    expect(attempts).toBe(1);
  });

  it('shuts down without creating anything when nothing was exported', async () => {
    let created = 0;
    const lazy = new LazySpanExporter(() => {
      created += 1;
      throw new Error('unused');
    });

    await lazy.shutdown();

    expect(created).toBe(0);
  });
});
