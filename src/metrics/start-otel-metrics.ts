import { metrics as otelMetricsApi } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { type Config, loadOtlpTls, type OtlpTarget } from '../config/index.js';
import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { exportInTheBackground } from '../otlp/index.js';
import { createResourceAttributes } from '../resource/create-resource-attributes.js';
import { getLookoutSdkIdentity } from '../resource/lookout-sdk-identity.js';
import { withVariablesUnset } from '../runtime/index.js';
import { createRefusalReportingAgentFactory } from '../tracing/report-refused-connections.js';
import { createPeriodicMetricReader } from './create-periodic-metric-reader.js';
import { Int64SafeMetricExporter } from './int64-safe-metric-exporter.js';

type SdkMetrics = typeof import('@opentelemetry/sdk-metrics');
type PushMetricExporter = import('@opentelemetry/sdk-metrics').PushMetricExporter;

/** The running OpenTelemetry metrics SDK, as the metrics part holds on to it. */
export interface OtelMetricsHandle {
  /** Names of the exporters actually running. */
  readonly exporters: readonly string[];
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

// Loaded only when an exporter is configured (docs/design.md decision 5): an app that keeps the
// default `none` never parses or evaluates the OpenTelemetry metrics SDK.
function createOtlpMetricExporter(target: OtlpTarget, onServer: boolean): PushMetricExporter {
  const options = {
    url: target.url,
    headers: { ...target.headers },
    timeoutMillis: target.timeoutMs,
    // On servers the reader's flushes hold the process while they wait for an export (the exit
    // flush up to the shutdown timeout), and nothing else does: an export the interval started
    // before the app ended no longer keeps it up until the request's own timeout
    // (create-periodic-metric-reader.ts).
    httpAgentOptions: createRefusalReportingAgentFactory(
      target.url,
      'metrics',
      loadOtlpTls(target),
      !onServer,
    ),
  };
  const { OTLPMetricExporter } =
    target.protocol === 'http/json'
      ? (require('@opentelemetry/exporter-metrics-otlp-http') as typeof import('@opentelemetry/exporter-metrics-otlp-http'))
      : (require('@opentelemetry/exporter-metrics-otlp-proto') as typeof import('@opentelemetry/exporter-metrics-otlp-proto'));
  // The exporter would read OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_METRICS_HEADERS itself
  // and merge them under Lookout's: an OTEL_ header LOOKOUT_OTLP_HEADERS replaced would still be
  // sent, and one HTTP cannot carry (which Lookout left out with a warning) would fail every
  // export. Built with them (and the certificate variables, whose files Lookout read) unset, it
  // sends exactly the headers Lookout resolved. Its retries wait without holding the process
  // (src/otlp/background-retrying-transport.ts): a process that ends on its own is held by its
  // last flush up to the shutdown timeout, not through every retry to a collector that is down.
  // Integers past int64 are sent as doubles (int64-safe-metric-exporter.ts).
  return new Int64SafeMetricExporter(
    exportInTheBackground(
      withVariablesUnset(target.exporterVariables, () => new OTLPMetricExporter(options)),
    ),
    target.protocol === 'http/json',
  );
}

function createExporter(name: string, config: Config, sdk: SdkMetrics): PushMetricExporter | undefined {
  if (name === 'otlp') return createOtlpMetricExporter(config.metrics.otlp, config.runtime.kind !== 'lambda');
  if (name === 'console') return new sdk.ConsoleMetricExporter();
  return undefined;
}

/**
 * Starts the OpenTelemetry metrics SDK when `metrics.exporter` (OTEL_METRICS_EXPORTER) names
 * an exporter: a MeterProvider with one periodic reader per exporter (create-periodic-metric-reader.ts), registered
 * as the global provider so `metrics.getMeter()` from `@opentelemetry/api` records into it.
 * Returns undefined (and loads nothing) when no exporter is configured. Failures are reported
 * once and leave the Meter API a no-op (docs/design.md decision 4).
 */
export function startOtelMetrics(config: Config): OtelMetricsHandle | undefined {
  const names = config.metrics.exporters.filter((name) => name !== 'none');
  if (names.length === 0) return undefined;

  const sdk = require('@opentelemetry/sdk-metrics') as SdkMetrics;

  const interval = config.metrics.exportIntervalMs;
  const readers = [];
  const running: string[] = [];
  for (const name of names) {
    try {
      const exporter = createExporter(name, config, sdk);
      if (exporter === undefined) continue;
      readers.push(
        createPeriodicMetricReader(sdk, {
          exporter,
          exportIntervalMillis: interval,
          exportTimeoutMillis: config.metrics.exportTimeoutMs,
        }),
      );
      running.push(name);
    } catch (error) {
      diagnostics.warn(
        ERROR_CODES.START_FAILED,
        `The "${name}" metric exporter failed to start: ${describeError(error)}`,
      );
    }
  }
  if (readers.length === 0) return undefined;

  const resource = resourceFromAttributes(createResourceAttributes(config, getLookoutSdkIdentity()));
  const provider = new sdk.MeterProvider({ resource, readers });
  if (!otelMetricsApi.setGlobalMeterProvider(provider)) {
    diagnostics.warn(
      ERROR_CODES.START_FAILED,
      "Another OpenTelemetry MeterProvider is already registered; Lookout's metric exporters are not used.",
    );
    void provider.shutdown().catch(() => {});
    return undefined;
  }
  return {
    exporters: running,
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
