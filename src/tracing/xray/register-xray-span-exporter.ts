import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../../config/index.js';
import { diagnostics } from '../../diag/index.js';
import { ERROR_CODES } from '../../errors/index.js';
import { getSpanExporterFactory, registerSpanExporterFactory } from '../span-exporters.js';

/** The name of the exporter in `tracing.exporter` / `OTEL_TRACES_EXPORTER`. */
export const XRAY_EXPORTER_NAME = 'xray';

function reportTruncated(): void {
  diagnostics.warnOnce(
    'xray:truncated',
    ERROR_CODES.XRAY_DOCUMENT_TRUNCATED,
    'A span was too large for one X-Ray datagram (64,000 bytes); its values were shortened and marked "…[truncated by lookout]". Further cases are counted, not reported.',
  );
}

function createLazily(config: Config): SpanExporter {
  // Required only when `xray` is selected (docs/design.md decision 5): apps exporting OTLP never
  // load the X-Ray mapping, and in the CommonJS build never compile it either: the build turns
  // this require() into one of dist/cjs/lazy/xray-span-exporter.js
  // (docs/decisions/0074-xray-exporter-loaded-when-chosen.md).
  const { createXRaySpanExporter } =
    require('./create-xray-span-exporter.js') as typeof import('./create-xray-span-exporter.js');
  return createXRaySpanExporter(config, reportTruncated);
}

/**
 * Registers the `xray` span exporter through the exporter seam, unless something else was
 * registered under that name first (a user's own factory wins).
 */
export function registerXRaySpanExporter(): void {
  if (getSpanExporterFactory(XRAY_EXPORTER_NAME) === undefined)
    registerSpanExporterFactory(XRAY_EXPORTER_NAME, createLazily);
}
