import { ExportResultCode, globalErrorHandler } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import { bridgeOtelDiagnostics } from '../../../src/tracing/bridge-otel-diagnostics.js';
import { ReportingSpanExporter } from '../../../src/tracing/reporting-span-exporter.js';

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const failing: SpanExporter = {
  export: (_spans, callback) => callback({ code: ExportResultCode.FAILED, error: new Error('send EACCES') }),
  shutdown: async () => {},
};

describe('reporting export failures', () => {
  it('reports a failure once, even when the batch processor passes it to the global error handler too', async () => {
    // Prepare
    const lines: string[] = [];
    restore = diagnostics.captureForTesting((line) => lines.push(line));
    bridgeOtelDiagnostics('warn');
    const counters = { exportedSpans: 0, failedSpans: 0, failedExports: 0 };
    const exporter = new ReportingSpanExporter(
      failing,
      'xray',
      () => 'the X-Ray daemon at 127.0.0.1:2000',
      counters,
    );

    // Act: what BatchSpanProcessor does with a failed export on its timer.
    for (let i = 0; i < 3; i += 1) {
      const result = await new Promise<{ error?: Error }>((resolve) =>
        exporter.export([{} as ReadableSpan], resolve),
      );
      globalErrorHandler(result.error as Error);
    }

    // Assess
    expect(counters).toEqual({ exportedSpans: 0, failedSpans: 3, failedExports: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      '[LOOKOUT_EXPORT_FAILED] Span export (xray) to the X-Ray daemon at 127.0.0.1:2000 failed',
    );
  });

  it('still reports errors the global handler gets from elsewhere', () => {
    const lines: string[] = [];
    restore = diagnostics.captureForTesting((line) => lines.push(line));
    bridgeOtelDiagnostics('warn');

    globalErrorHandler(new Error('something else'));

    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('something else');
  });
});
