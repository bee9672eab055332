export { getTracer } from './get-tracer.js';
export { setInvocationContext } from './invocation-context.js';
export type { ExportCounters } from './reporting-span-exporter.js';
export type { SpanExporterFactory } from './span-exporters.js';
export { registerSpanExporterFactory } from './span-exporters.js';
export type { TracingHandle } from './start-tracing.js';
export { startTracing } from './start-tracing.js';
export { registerXRaySpanExporter } from './xray/register-xray-span-exporter.js';
export { fromXRayTraceId, toXRayTraceId } from './xray-trace-id.js';
