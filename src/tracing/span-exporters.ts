import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Config, OtlpTarget } from '../config/index.js';
import { createRefusalReportingAgentFactory } from './report-refused-connections.js';

/** Builds one span exporter from the configuration. */
export type SpanExporterFactory = (config: Config) => SpanExporter;

// Each factory loads its module only when called (DESIGN decision 5): an app that exports to
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
    return new OTLPTraceExporter(options);
  }
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(options);
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
  // OpenTelemetry metric exports are Lookout's own calls too (DESIGN decision 7).
  if (config.metrics.exporters.includes('otlp')) urls.push(config.metrics.otlp.url);
  if (config.logs.exporters.includes('otlp')) urls.push(config.logs.otlp.url);
  return urls;
}
