import { BackgroundRetryingTransport, type ExporterTransport } from './background-retrying-transport.js';

// The one place Lookout reaches inside OpenTelemetry's OTLP export delegate
// (docs/decisions/0054-other-dependency-internals.md): `createOtlpHttpExportDelegate` builds its
// HTTP transport inside a retrying one and exports neither, so the retrying transport is
// replaced in the delegate's `_transport`, around the HTTP transport it holds in its own.
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
