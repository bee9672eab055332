import { BackgroundRetryingTransport, type ExporterTransport } from './background-retrying-transport.js';

// The one place Lookout reaches inside OpenTelemetry's OTLP exporters
// (docs/decisions/0054-other-dependency-internals.md): `createOtlpHttpExportDelegate` builds its
// HTTP transport inside a retrying one and exports neither, so the retrying transport is
// replaced in the delegate's `_transport`, around the HTTP transport it holds in its own. The
// OTLP exporters of every signal (OTLPExporterBase) keep that delegate in `_delegate`.
// Contract test: test/unit/internals/otlp-export-delegate-internals.test.ts.

interface DelegateInternals {
  _transport?: unknown;
}

/**
 * Makes the delegate's retries wait without holding the process (background-retrying-transport.ts).
 * A delegate of another shape (an OpenTelemetry upgrade) is left as it is: its retries then hold
 * the process, as they did before. Returns whether the retries were replaced.
 *
 * @example
 * retryInTheBackground(createOtlpHttpExportDelegate(options, serializer, type, helper, undefined));
 */
export function retryInTheBackground(delegate: unknown): boolean {
  const internals = delegate as DelegateInternals | null;
  const http = (internals?._transport as { _transport?: Partial<ExporterTransport> } | undefined)?._transport;
  if (typeof http?.send !== 'function' || typeof http.shutdown !== 'function') return false;
  (internals as DelegateInternals)._transport = new BackgroundRetryingTransport(http as ExporterTransport);
  return true;
}

/**
 * The same for an OTLP exporter OpenTelemetry built whole (the metrics and logs exporters, the
 * OTLP/JSON span exporter): its delegate's retries wait without holding the process. Returns
 * the exporter, changed or (another shape) as it was.
 *
 * @example
 * const exporter = exportInTheBackground(new OTLPMetricExporter(options));
 */
export function exportInTheBackground<T>(exporter: T): T {
  retryInTheBackground((exporter as { _delegate?: unknown } | null)?._delegate);
  return exporter;
}
