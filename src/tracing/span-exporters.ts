import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { type Config, loadOtlpTls, type OtlpTarget } from '../config/index.js';
import { exportInTheBackground, retryInTheBackground } from '../otlp/index.js';
import { withVariablesUnset } from '../runtime/index.js';
import { encodeTraceRequest } from './otlp/encode-trace-request.js';
import { Int64SafeSpanExporter } from './otlp/int64-safe-span-exporter.js';
import { readTraceExportResponse } from './otlp/read-trace-response.js';
import { createRefusalReportingAgentFactory } from './report-refused-connections.js';

/** Builds one span exporter from the configuration. */
export type SpanExporterFactory = (config: Config) => SpanExporter;

// Each factory loads its module only when called (docs/design.md decision 5): an app that exports to
// the console never loads the OTLP stack. `require` here is bundled by the build as a lazily
// initialised module, so it costs parsing but no evaluation until the factory runs.
function createOtlpSpanExporter(target: OtlpTarget, onServer: boolean): SpanExporter {
  const options = {
    url: target.url,
    headers: { ...target.headers },
    timeoutMillis: target.timeoutMs,
    // On servers the span processor's flushes hold the process while they wait for an export
    // (the exit flush up to the shutdown timeout), and nothing else does: an export in
    // progress when the app ends no longer keeps it up until the request's own timeout
    // (docs/decisions/0077-server-span-processor.md).
    httpAgentOptions: createRefusalReportingAgentFactory(target.url, 'spans', loadOtlpTls(target), !onServer),
  };
  if (target.protocol === 'http/json') {
    const { OTLPTraceExporter } =
      require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    // Built with OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_TRACES_HEADERS and the certificate
    // variables unset, so that it sends only the headers Lookout resolved and reads no file
    // again, as the protobuf delegate below does; its retries leave the process free to exit, as
    // the delegate's below do.
    return new Int64SafeSpanExporter(
      exportInTheBackground(
        withVariablesUnset(target.exporterVariables, () => new OTLPTraceExporter(options)),
      ),
    );
  }
  // http/protobuf: the export delegate of OpenTelemetry's OTLP exporters (transport, retries,
  // timeouts, compression, headers and endpoint from the OTEL_EXPORTER_OTLP_* variables), with
  // Lookout's encoder in place of the transformer's (docs/decisions/0066-own-otlp-span-encoder.md).
  const { OTLPExporterBase } =
    require('@opentelemetry/otlp-exporter-base') as typeof import('@opentelemetry/otlp-exporter-base');
  const { convertLegacyHttpOptions, createOtlpHttpExportDelegate } =
    require('@opentelemetry/otlp-exporter-base/node-http') as typeof import('@opentelemetry/otlp-exporter-base/node-http');
  const required = { 'Content-Type': 'application/x-protobuf' };
  // With the certificate variables unset: it would read their files again (and warn again
  // about one it cannot read) for an agent factory Lookout's replaces.
  const converted = withVariablesUnset(target.exporterVariables, () =>
    convertLegacyHttpOptions(options, 'TRACES', 'v1/traces', required),
  );
  // The delegate would also merge OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_TRACES_HEADERS,
  // read by itself, under Lookout's. Lookout has resolved those variables already, LOOKOUT_* ones
  // first and headers HTTP cannot carry left out (one of them would fail every request): only its
  // headers are sent. A copy per export request, not per span.
  const headers = { ...target.headers, ...required };
  const delegate = createOtlpHttpExportDelegate(
    { ...converted, headers: async () => ({ ...headers }) },
    { serializeRequest: encodeTraceRequest, deserializeResponse: readTraceExportResponse },
    // The component type and item count the exporter's self-observability metrics use, as
    // OpenTelemetry's own OTLP/HTTP span exporter names them.
    'otlp_http_span_exporter',
    { name: 'span', countItems: (spans: ReadableSpan[]) => spans.length },
    undefined,
  );
  // Retries that leave a process free to exit once its flush has given up (LOOKOUT_SHUTDOWN_TIMEOUT_MS).
  retryInTheBackground(delegate);
  return new OTLPExporterBase<ReadableSpan[]>(delegate);
}

const FACTORIES = new Map<string, SpanExporterFactory>([
  ['otlp', (config) => createOtlpSpanExporter(config.tracing.otlp, config.runtime.kind !== 'lambda')],
  [
    'console',
    () => {
      const { ConsoleSpanExporter } =
        require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
      return new ConsoleSpanExporter();
    },
  ],
]);

/**
 * Adds a named exporter: the seam through which the X-Ray exporter plugs in. Registering a
 * name that exists replaces it.
 */
export function registerSpanExporterFactory(name: string, factory: SpanExporterFactory): void {
  FACTORIES.set(name, factory);
}

/** The factory for a name, or undefined when nothing is registered under it. */
export function getSpanExporterFactory(name: string): SpanExporterFactory | undefined {
  return FACTORIES.get(name);
}

/** The endpoints exporters send to, so the instrumentations can ignore Lookout's own calls. */
export function getExporterUrls(config: Config): string[] {
  const urls = config.tracing.exporters.includes('otlp') ? [config.tracing.otlp.url] : [];
  // OpenTelemetry metric exports are Lookout's own calls too (docs/design.md decision 7).
  if (config.metrics.exporters.includes('otlp')) urls.push(config.metrics.otlp.url);
  if (config.logs.exporters.includes('otlp')) urls.push(config.logs.otlp.url);
  return urls;
}
