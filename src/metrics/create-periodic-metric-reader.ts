import { context, diag } from '@opentelemetry/api';
import { ExportResultCode, globalErrorHandler, suppressTracing } from '@opentelemetry/core';
import type { MetricReader, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';

type SdkMetrics = typeof import('@opentelemetry/sdk-metrics');

/** The reader's interval and its exports' timeout, as OpenTelemetry's periodic reader takes them. */
export interface PeriodicMetricReaderOptions {
  readonly exporter: PushMetricExporter;
  readonly exportIntervalMillis: number;
  /** Never more than the interval (the configuration holds it there). */
  readonly exportTimeoutMillis: number;
}

/** Resolves with the export's outcome, or with undefined once `timeoutMs` has passed; the timer never holds the process. */
function exportWithTimeout(
  exporter: PushMetricExporter,
  metrics: ResourceMetrics,
  timeoutMs: number,
): Promise<{ code: ExportResultCode; error?: Error } | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs, undefined);
    timer.unref();
    const done = (result: { code: ExportResultCode; error?: Error }): void => {
      clearTimeout(timer);
      resolve(result);
    };
    // Tracing suppressed, as the SDK does: the export's own requests are no spans (docs/design.md
    // decision 7).
    context.with(suppressTracing(context.active()), () => exporter.export(metrics, done));
  });
}

/**
 * The reader the OpenTelemetry metrics SDK runs with, in place of its `PeriodicExportingMetricReader`
 * and doing what it does (collect and export every `exportIntervalMillis`, one export at a time,
 * each given up after `exportTimeoutMillis`; a flush waits for the export under way, then collects
 * and exports once more), except that **nothing it runs holds the process**: the SDK's reader
 * raced each export against a timer that was not unref'd, so an export the interval started
 * before the app finished kept the event loop alive up to its timeout (the OTLP timeout, 10 s by
 * default) and `beforeExit`, where the exit flush starts, did not come. Here that timer is
 * unref'd, and on servers the OTLP exporter's sockets are too (otlp/export-agent.ts); the exit
 * flush and `shutdown()` hold the process while they wait, up to the shutdown timeout
 * (docs/decisions/0077-server-span-processor.md, the same rule for spans). The SDK class is
 * extended here, when the SDK has been loaded (docs/design.md decision 5).
 *
 * @example
 * const reader = createPeriodicMetricReader(sdk, { exporter, exportIntervalMillis: 60_000, exportTimeoutMillis: 10_000 });
 */
export function createPeriodicMetricReader(
  sdk: SdkMetrics,
  options: PeriodicMetricReaderOptions,
): MetricReader {
  const { exporter, exportIntervalMillis, exportTimeoutMillis } = options;

  class PeriodicMetricReader extends sdk.MetricReader {
    #interval: NodeJS.Timeout | undefined;
    #ongoing: Promise<void> | undefined;

    constructor() {
      super({
        ...(exporter.selectAggregation === undefined
          ? {}
          : { aggregationSelector: exporter.selectAggregation.bind(exporter) }),
        ...(exporter.selectAggregationTemporality === undefined
          ? {}
          : { aggregationTemporalitySelector: exporter.selectAggregationTemporality.bind(exporter) }),
      });
    }

    protected override onInitialized(): void {
      this.#interval = setInterval(() => void this.#runOnce(), exportIntervalMillis);
      this.#interval.unref();
    }

    protected override async onForceFlush(): Promise<void> {
      await this.#awaitOngoing();
      // A run another caller started meanwhile is the fresh one; otherwise run one.
      if (this.#ongoing !== undefined) await this.#awaitOngoing();
      else await this.#runOnce();
      await exporter.forceFlush();
    }

    protected override async onShutdown(): Promise<void> {
      clearInterval(this.#interval);
      await this.onForceFlush();
      await exporter.shutdown();
    }

    async #awaitOngoing(): Promise<void> {
      try {
        await this.#ongoing;
      } catch {
        // Reported by the run that started it.
      }
    }

    async #runOnce(): Promise<void> {
      try {
        await this.#run();
      } catch (error) {
        globalErrorHandler(error as Error);
      }
    }

    async #run(): Promise<void> {
      if (this.#ongoing !== undefined) return;
      this.#ongoing = this.#collectAndExport();
      try {
        await this.#ongoing;
      } finally {
        this.#ongoing = undefined;
      }
    }

    async #collectAndExport(): Promise<void> {
      const { resourceMetrics, errors } = await this.collect({ timeoutMillis: exportTimeoutMillis });
      if (errors.length > 0)
        diag.error('PeriodicExportingMetricReader: metrics collection errors', ...errors);
      if (resourceMetrics.resource.asyncAttributesPending) {
        try {
          await resourceMetrics.resource.waitForAsyncAttributes?.();
        } catch (error) {
          globalErrorHandler(error as Error);
        }
      }
      if (resourceMetrics.scopeMetrics.length === 0) return;
      const result = await exportWithTimeout(exporter, resourceMetrics, exportTimeoutMillis);
      if (result === undefined) {
        // The SDK reader's words: Lookout's diagnostics report them as a failed export.
        diag.error(`PeriodicExportingMetricReader: metrics export timed out after ${exportTimeoutMillis}ms`);
        return;
      }
      if (result.code !== ExportResultCode.SUCCESS)
        throw new Error(`PeriodicExportingMetricReader: metrics export failed (error ${result.error})`);
    }
  }

  return new PeriodicMetricReader();
}
