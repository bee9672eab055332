import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * A span exporter made on its first export: an app that never finishes a span never loads the
 * exporter's modules, and one that does loads them after start-up, off the first request's
 * path, on the batch processor's timer (docs/design.md decision 5). A factory that throws fails that
 * export (and every later one), which the reporting exporter around this one counts and reports.
 */
export class LazySpanExporter implements SpanExporter {
  readonly #create: () => SpanExporter;
  #exporter: SpanExporter | undefined;
  #failure: Error | undefined;

  constructor(create: () => SpanExporter) {
    this.#create = create;
  }

  #get(): SpanExporter {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#exporter === undefined) {
      try {
        this.#exporter = this.#create();
      } catch (error) {
        this.#failure = error instanceof Error ? error : new Error(String(error));
        throw this.#failure;
      }
    }
    return this.#exporter;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let exporter: SpanExporter;
    try {
      exporter = this.#get();
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
      return;
    }
    exporter.export(spans, resultCallback);
  }

  async forceFlush(): Promise<void> {
    await this.#exporter?.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.#exporter?.shutdown();
  }
}
