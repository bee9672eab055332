import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { LazySpanExporter } from '../../../src/tracing/lazy-span-exporter.js';

function exportThrough(exporter: SpanExporter): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export([] as ReadableSpan[], resolve));
}

describe('the lazily made span exporter', () => {
  it('makes the exporter at the first export, once, and not for a flush or a shutdown before it', async () => {
    // Prepare
    let made = 0;
    const lazy = new LazySpanExporter(() => {
      made += 1;
      return { export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }), shutdown: async () => {} };
    });

    // Act
    await lazy.forceFlush();
    const madeBeforeExport = made;
    const results = [await exportThrough(lazy), await exportThrough(lazy)];
    await lazy.shutdown();

    // Assess
    expect(madeBeforeExport).toBe(0);
    expect(made).toBe(1);
    expect(results.map((result) => result.code)).toEqual([
      ExportResultCode.SUCCESS,
      ExportResultCode.SUCCESS,
    ]);
  });

  it('fails an export whose exporter cannot be made, and tries again at the next', async () => {
    let attempts = 0;
    const lazy = new LazySpanExporter(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('no exporter yet');
      return { export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }), shutdown: async () => {} };
    });

    const first = await exportThrough(lazy);
    const second = await exportThrough(lazy);

    expect(first).toMatchObject({ code: ExportResultCode.FAILED, error: new Error('no exporter yet') });
    expect(second.code).toBe(ExportResultCode.SUCCESS);
  });
});
