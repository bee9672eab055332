import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * A span exporter made at its first export rather than at start-up: the OTLP exporter and its
 * protobuf encoding are a large share of what `init()` loads, and a Lambda function's init
 * phase is billed and waited for (DESIGN decision 5). On Lambda the first export runs after the
 * first invocation's response (docs/decisions/0010), so no caller waits for the load either.
 * A factory that throws fails that export (reported like any failed export) and is tried again
 * at the next one.
 *
 * @example
 * const exporter = new LazySpanExporter(() => new OTLPTraceExporter(options));
 */
export class LazySpanExporter implements SpanExporter {
  readonly #create: () => SpanExporter;
  #exporter: SpanExporter | undefined;

  constructor(create: () => SpanExporter) {
    this.#create = create;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      this.#exporter ??= this.#create();
    } catch (error) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
      return;
    }
    this.#exporter.export(spans, resultCallback);
  }

  async forceFlush(): Promise<void> {
    await this.#exporter?.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.#exporter?.shutdown();
  }
}
