import { context } from '@opentelemetry/api';
import { ExportResultCode, globalErrorHandler, suppressTracing } from '@opentelemetry/core';
import type { LogRecordExporter, LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { diagnostics } from '../../diag/index.js';
import { ERROR_CODES } from '../../errors/index.js';

/** The batch bounds, OTEL_BLRP_* as start-otlp-logs.ts reads them. */
export interface BatchLogRecordProcessorOptions {
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
}

/**
 * The log record processor logs over OTLP run with, in place of the logs SDK's
 * `BatchLogRecordProcessor` and batching as it does (a full batch at once, the rest
 * `scheduledDelayMillis` after the first record, one export at a time, each given up after
 * `exportTimeoutMillis`, records past `maxQueueSize` dropped), except that **nothing it runs
 * holds the process**: the SDK's processor raced each export against a timer that was not
 * unref'd (30 s by default), so an export its timer started before the app finished kept the
 * event loop alive that long, with the request's socket, and `beforeExit`, where the exit flush
 * starts, did not come. Here every timer is unref'd and on servers the exporter's sockets are
 * too (otlp/export-agent.ts); the exit flush and `shutdown()` hold the process while they wait,
 * up to the shutdown timeout (docs/decisions/0077-server-span-processor.md, the same rule for
 * spans). A flush waits for the export under way, whoever started it, then exports the rest;
 * two flushes at once both wait (the SDK's second one returned at once).
 */
export class BatchLogRecordProcessor implements LogRecordProcessor {
  readonly #exporter: LogRecordExporter;
  readonly #options: BatchLogRecordProcessorOptions;
  #records: SdkLogRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The export under way (the timer's or a full batch's), settled when it ends; never rejects. */
  #current: Promise<void> | undefined;
  #flushing: Promise<void> | undefined;
  #shutDown: Promise<void> | undefined;

  constructor(exporter: LogRecordExporter, options: BatchLogRecordProcessorOptions) {
    this.#exporter = exporter;
    this.#options = {
      ...options,
      maxExportBatchSize: Math.min(options.maxExportBatchSize, options.maxQueueSize),
    };
  }

  onEmit(record: SdkLogRecord): void {
    if (this.#shutDown !== undefined) return;
    if (this.#records.length >= this.#options.maxQueueSize) {
      diagnostics.warnOnce(
        'log-records-dropped',
        ERROR_CODES.EXPORT_FAILED,
        `More than ${this.#options.maxQueueSize} log records were waiting for export (OTEL_BLRP_MAX_QUEUE_SIZE); the records past it are dropped.`,
      );
      return;
    }
    this.#records.push(record);
    this.#schedule();
  }

  /** Exports every record kept, after the export under way; resolves when they have all ended. Never rejects. */
  forceFlush(): Promise<void> {
    if (this.#shutDown !== undefined) return this.#shutDown;
    return this.#flush();
  }

  shutdown(): Promise<void> {
    this.#shutDown ??= this.#flush().then(() => this.#exporter.shutdown());
    return this.#shutDown;
  }

  #flush(): Promise<void> {
    // A flush already running takes what was kept when it started and what came while it ran.
    this.#flushing ??= this.#flushAll().finally(() => {
      this.#flushing = undefined;
      this.#schedule();
    });
    return this.#flushing;
  }

  async #flushAll(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#current !== undefined) {
      // Hurry the export under way, then wait for it.
      await this.#exporter.forceFlush().catch(globalErrorHandler);
      await this.#current;
    }
    while (this.#records.length > 0) {
      const exported = this.#export(this.#takeBatch());
      await this.#exporter.forceFlush().catch(globalErrorHandler);
      await exported;
    }
  }

  /** Arms the timer, or exports a full batch, when no export or flush is under way. */
  #schedule(): void {
    if (this.#shutDown !== undefined || this.#flushing !== undefined || this.#current !== undefined) return;
    if (this.#records.length === 0) return;
    if (this.#records.length >= this.#options.maxExportBatchSize) {
      this.#exportOneBatch();
      return;
    }
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(this.#onTimer, this.#options.scheduledDelayMillis);
    this.#timer.unref();
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    if (this.#flushing === undefined && this.#current === undefined) this.#exportOneBatch();
  };

  #exportOneBatch(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#records.length === 0) return;
    const current = this.#export(this.#takeBatch()).then(() => {
      if (this.#current === current) this.#current = undefined;
      this.#schedule();
    });
    this.#current = current;
  }

  #takeBatch(): SdkLogRecord[] {
    const records = this.#records;
    if (records.length <= this.#options.maxExportBatchSize) {
      this.#records = [];
      return records;
    }
    return records.splice(0, this.#options.maxExportBatchSize);
  }

  /** One export: resolves when it ends, fails or times out (reported); never rejects. */
  async #export(records: SdkLogRecord[]): Promise<void> {
    try {
      const pending = records
        .filter((record) => record.resource.asyncAttributesPending)
        .map((record) => record.resource.waitForAsyncAttributes?.());
      if (pending.length > 0) await Promise.all(pending);
      await new Promise<void>((resolve, reject) => {
        // Unref'd: an export never holds the process; the exit flush holds it while it waits.
        const timer = setTimeout(reject, this.#options.exportTimeoutMillis, new Error('Timeout'));
        timer.unref();
        // Tracing suppressed, as the SDK does: the export's own requests are no spans
        // (docs/design.md decision 7).
        context.with(suppressTracing(context.active()), () =>
          this.#exporter.export(records, (result) => {
            clearTimeout(timer);
            if (result.code === ExportResultCode.SUCCESS) resolve();
            else reject(result.error ?? new Error('BatchLogRecordProcessor: log record export failed'));
          }),
        );
      });
    } catch (error) {
      globalErrorHandler(error as Error);
    }
  }
}
