import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describeError, diagnostics, markReported } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';

/** Running totals of what an exporter did; read by `getTelemetryStats()`. */
export interface ExportCounters {
  exportedSpans: number;
  failedSpans: number;
  failedExports: number;
}

/**
 * Wraps an exporter so that failures are counted every time and reported once, naming the
 * destination (docs/design.md decision 4), and so that an exporter that throws cannot break the
 * batch processor.
 */
export class ReportingSpanExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #name: string;
  readonly #describeDestination: () => string;
  #destination: string | undefined;
  readonly #counters: ExportCounters;

  /**
   * `describeDestination` is called at the first failure only: naming an endpoint runs the
   * redaction policy over it, work no start-up needs.
   */
  constructor(
    inner: SpanExporter,
    name: string,
    describeDestination: () => string,
    counters: ExportCounters,
  ) {
    this.#inner = inner;
    this.#name = name;
    this.#describeDestination = describeDestination;
    this.#counters = counters;
  }

  get #where(): string {
    this.#destination ??= this.#describeDestination();
    return this.#destination;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const done = (result: ExportResult): void => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.#counters.exportedSpans += spans.length;
        resultCallback(result);
        return;
      }
      // The batch processor hands the error on to OpenTelemetry's global error handler; giving
      // it a marked error object lets that handler count it without reporting it twice.
      const error = result.error ?? new Error(`span export to ${this.#where} failed`);
      this.#recordFailure(spans.length, error);
      markReported(error);
      resultCallback({ code: result.code, error });
    };
    try {
      this.#inner.export(spans, done);
    } catch (error) {
      done({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  #recordFailure(spanCount: number, error: unknown): void {
    this.#counters.failedSpans += spanCount;
    this.#counters.failedExports += 1;
    diagnostics.errorOnce(
      `export:traces:${this.#name}`,
      ERROR_CODES.EXPORT_FAILED,
      `Span export (${this.#name}) to ${this.#where} failed: ${describeError(error ?? 'unknown error')}. ` +
        'The app is unaffected; further failures are counted, not reported.',
    );
  }

  async shutdown(): Promise<void> {
    await this.#inner.shutdown();
  }

  async forceFlush(): Promise<void> {
    await this.#inner.forceFlush?.();
  }
}
