import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BATCH_LOG_RECORD_PROCESSOR_VARIABLES,
  type Config,
  loadOtlpTls,
  type OtlpTarget,
  readBatchBound,
} from '../../config/index.js';
import { describeError, diagnostics } from '../../diag/index.js';
import { ERROR_CODES } from '../../errors/index.js';
import { createExportAgent, exportInTheBackground } from '../../otlp/index.js';
import { createResourceAttributes } from '../../resource/create-resource-attributes.js';
import { getLookoutSdkIdentity } from '../../resource/lookout-sdk-identity.js';
import { getProcessEnv, LONGEST_TIMER_DELAY_MS, readEnv, withVariablesUnset } from '../../runtime/index.js';
import { VERSION } from '../../version.js';
import { setLogLineTap } from '../write-log-line.js';
import { BatchLogRecordProcessor } from './batch-log-record-processor.js';
import { lineToLogRecord } from './line-to-log-record.js';

type SdkLogs = typeof import('@opentelemetry/sdk-logs');
type LogRecordExporter = import('@opentelemetry/sdk-logs').LogRecordExporter;

/** The running logs export, as the logging part holds on to it. */
export interface OtlpLogsHandle {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * The batch bounds: OTEL_BLRP_* when set and valid, else the specification's defaults. Bounded
 * like the span queue (docs/design.md decision 4): a slow or absent collector drops records, it
 * never grows memory or holds a line. The SDK's processor (which Lookout's replaces) reads no variable itself
 * (OpenTelemetry's NodeSDK does, which Lookout does not use); `lookout dev` sets
 * OTEL_BLRP_SCHEDULE_DELAY.
 */
function getBatchBounds() {
  const env = getProcessEnv();
  const raw = BATCH_LOG_RECORD_PROCESSOR_VARIABLES.map((name) => readEnv(env, name));
  const [queue, batch, delay, timeout] = BATCH_LOG_RECORD_PROCESSOR_VARIABLES;
  return {
    maxQueueSize: readBatchBound(queue, raw[0], 1) ?? 2048,
    maxExportBatchSize: readBatchBound(batch, raw[1], 1) ?? 512,
    scheduledDelayMillis: readBatchBound(delay, raw[2], 0, LONGEST_TIMER_DELAY_MS) ?? 1000,
    exportTimeoutMillis: readBatchBound(timeout, raw[3], 1, LONGEST_TIMER_DELAY_MS) ?? 30_000,
  };
}

/** What the app installs for logs over OTLP, per protocol: optional peers of Lookout. */
const OTLP_LOGS_PACKAGES = {
  protobuf: ['@opentelemetry/sdk-logs', '@opentelemetry/exporter-logs-otlp-proto'],
  json: ['@opentelemetry/sdk-logs', '@opentelemetry/exporter-logs-otlp-http'],
} as const;

/**
 * Requires an optional peer by a name held in a variable, so that a bundler (the layer build,
 * an app's esbuild) leaves it to run time instead of failing when the app has not installed it.
 */
function requireOptionalPeer<T>(name: string): T {
  return require(name) as T;
}

function createExporter(target: OtlpTarget, onServer: boolean): LogRecordExporter {
  const tls = loadOtlpTls(target);
  const options = {
    url: target.url,
    headers: { ...target.headers },
    timeoutMillis: target.timeoutMs,
    // The CA and client certificate Lookout resolved (LOOKOUT_* before OTEL_*), read once, in
    // the agent whose sockets stop holding an ending process once its last flush gave up. On
    // servers they never hold it: the processor's flushes hold the process while they wait for
    // an export (the exit flush up to the shutdown timeout), and nothing else does
    // (batch-log-record-processor.ts).
    httpAgentOptions: (protocol: string) => createExportAgent(protocol, tls, !onServer),
  };
  const name = target.protocol === 'http/json' ? OTLP_LOGS_PACKAGES.json[1] : OTLP_LOGS_PACKAGES.protobuf[1];
  const { OTLPLogExporter } = requireOptionalPeer<
    | typeof import('@opentelemetry/exporter-logs-otlp-proto')
    | typeof import('@opentelemetry/exporter-logs-otlp-http')
  >(name);
  // Built with OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_LOGS_HEADERS unset: the exporter
  // would read them itself and merge them under Lookout's, sending an OTEL_ header
  // LOOKOUT_OTLP_HEADERS replaced, or one HTTP cannot carry that fails every export. The
  // certificate variables too: their files are read once, above. Its retries wait without
  // holding the process (src/otlp/background-retrying-transport.ts): a process that ends on its
  // own is held by its last flush up to the shutdown timeout, not through every retry.
  return exportInTheBackground(
    withVariablesUnset(target.exporterVariables, () => new OTLPLogExporter(options)),
  );
}

/**
 * Sends every line Lookout's loggers write (the exported `logger`, its children, the access-log
 * line, buffered lines when flushed) also as an OpenTelemetry log record to the collector's logs
 * pipeline, with the line's trace context, when `logs.exporter` (LOOKOUT_LOGS_EXPORTER) is
 * `otlp` (docs/decisions/0049-logs-over-otlp.md). The lines on stdout do not change. Loads the
 * logs SDK only then (docs/design.md decision 5); returns undefined and loads nothing otherwise.
 */
export function startOtlpLogs(config: Config): OtlpLogsHandle | undefined {
  if (!config.enabled || !config.logs.exporters.includes('otlp')) return undefined;
  let sdk: SdkLogs;
  let exporter: LogRecordExporter;
  try {
    sdk = requireOptionalPeer<SdkLogs>(OTLP_LOGS_PACKAGES.protobuf[0]);
    exporter = createExporter(config.logs.otlp, config.runtime.kind !== 'lambda');
  } catch (error) {
    // The logs SDK is an optional peer the app installs (docs/decisions/0049-logs-over-otlp.md).
    const missing = (error as { code?: unknown }).code === 'MODULE_NOT_FOUND';
    diagnostics.warn(
      ERROR_CODES.START_FAILED,
      missing
        ? `LOOKOUT_LOGS_EXPORTER=otlp needs the OpenTelemetry logs SDK in the app, so no log records are sent. Install it: npm install ${OTLP_LOGS_PACKAGES[config.logs.otlp.protocol === 'http/json' ? 'json' : 'protobuf'].join(' ')}`
        : `The OTLP log exporter failed to start: ${describeError(error)}`,
    );
    return undefined;
  }
  const resource = resourceFromAttributes(createResourceAttributes(config, getLookoutSdkIdentity()));
  const provider = new sdk.LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor(exporter, getBatchBounds())],
  });
  const otelLogger = provider.getLogger('lookout', VERSION);
  const json = config.logs.otlp.protocol === 'http/json';
  setLogLineTap((line) => {
    const record = lineToLogRecord(line, json);
    if (record === undefined) return;
    otelLogger.emit({
      ...(record.timestamp === undefined ? {} : { timestamp: record.timestamp }),
      severityNumber: record.severityNumber,
      severityText: record.severityText,
      body: record.body,
      attributes: record.attributes as import('@opentelemetry/api-logs').LogAttributes,
      ...(record.context === undefined ? {} : { context: record.context }),
    });
  });
  return {
    forceFlush: () => provider.forceFlush(),
    shutdown: async () => {
      setLogLineTap(undefined);
      await provider.shutdown();
    },
  };
}
