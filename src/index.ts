// Public API of `lookout`: re-exports only (STYLE.md), each name listed.
export type {
  InstrumentationName,
  LookoutHandle,
  LookoutOptions,
  OtlpOptions,
  OtlpProtocol,
  PropagatorName,
  SamplerName,
  TelemetryStats,
  TracesExporterName,
  TracingOptions,
  XRayOptions,
} from './core.js';
export { getTracer, init, LookoutConfigError, LookoutError, shutdown, VERSION } from './core.js';
