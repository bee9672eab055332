import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { type Config, checkHttpHeader, type OtlpTarget } from '../config/index.js';
import { encodeTraceRequest } from './otlp/encode-trace-request.js';
import { Int64SafeSpanExporter } from './otlp/int64-safe-span-exporter.js';
import { readTraceExportResponse } from './otlp/read-trace-response.js';
import { createRefusalReportingAgentFactory } from './report-refused-connections.js';

/** Builds one span exporter from the configuration. */
export type SpanExporterFactory = (config: Config) => SpanExporter;

// Each factory loads its module only when called (docs/design.md decision 5): an app that exports to
// the console never loads the OTLP stack. `require` here is bundled by the build as a lazily
// initialised module, so it costs parsing but no evaluation until the factory runs.
function createOtlpSpanExporter(target: OtlpTarget): SpanExporter {
  const options = {
    url: target.url,
    headers: { ...target.headers },
    timeoutMillis: target.timeoutMs,
    httpAgentOptions: createRefusalReportingAgentFactory(target.url, 'spans'),
  };
  if (target.protocol === 'http/json') {
    const { OTLPTraceExporter } =
      require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    return new Int64SafeSpanExporter(new OTLPTraceExporter(options));
  }
  // http/protobuf: the export delegate of OpenTelemetry's OTLP exporters (transport, retries,
  // timeouts, compression, headers and endpoint from the OTEL_EXPORTER_OTLP_* variables), with
  // Lookout's encoder in place of the transformer's (docs/decisions/0066-own-otlp-span-encoder.md).
  const { OTLPExporterBase } =
    require('@opentelemetry/otlp-exporter-base') as typeof import('@opentelemetry/otlp-exporter-base');
  const { convertLegacyHttpOptions, createOtlpHttpExportDelegate } =
    require('@opentelemetry/otlp-exporter-base/node-http') as typeof import('@opentelemetry/otlp-exporter-base/node-http');
  const converted = convertLegacyHttpOptions(options, 'TRACES', 'v1/traces', {
    'Content-Type': 'application/x-protobuf',
  });
  const delegate = createOtlpHttpExportDelegate(
    { ...converted, headers: withoutUnsendableHeaders(converted.headers) },
    { serializeRequest: encodeTraceRequest, deserializeResponse: readTraceExportResponse },
    // The component type and item count the exporter's self-observability metrics use, as
    // OpenTelemetry's own OTLP/HTTP span exporter names them.
    'otlp_http_span_exporter',
    { name: 'span', countItems: (spans: ReadableSpan[]) => spans.length },
    undefined,
  );
  return new OTLPExporterBase<ReadableSpan[]>(delegate);
}

/**
 * The export delegate also reads OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_TRACES_HEADERS
 * itself, under the headers Lookout resolved. A header Node cannot send makes every request
 * throw, and every span would be lost: it is left out here. Configuration resolution has already
 * warned about it (src/config/check-http-header.ts). Runs once per export request, not per span.
 */
function withoutUnsendableHeaders(
  headers: () => Promise<Record<string, string>>,
): () => Promise<Record<string, string>> {
  return async () => {
    const all = await headers();
    for (const [name, value] of Object.entries(all))
      if (checkHttpHeader(name, value) !== undefined) delete all[name];
    return all;
  };
}

const FACTORIES = new Map<string, SpanExporterFactory>([
  ['otlp', (config) => createOtlpSpanExporter(config.tracing.otlp)],
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
