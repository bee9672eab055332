import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../../config/index.js';
import { getSpanExporterFactory, registerSpanExporterFactory } from '../span-exporters.js';

/** The name of the exporter in `tracing.exporter` / `OTEL_TRACES_EXPORTER`. */
export const XRAY_EXPORTER_NAME = 'xray';

function createLazily(config: Config): SpanExporter {
  // Required only when `xray` is selected (DESIGN decision 5): apps exporting OTLP never load
  // the X-Ray mapping.
  const { createXRaySpanExporter } =
    require('./create-xray-span-exporter.js') as typeof import('./create-xray-span-exporter.js');
  return createXRaySpanExporter(config);
}

/**
 * Registers the `xray` span exporter through the exporter seam, unless something else was
 * registered under that name first (a user's own factory wins).
 */
export function registerXRaySpanExporter(): void {
  if (getSpanExporterFactory(XRAY_EXPORTER_NAME) === undefined)
    registerSpanExporterFactory(XRAY_EXPORTER_NAME, createLazily);
}
