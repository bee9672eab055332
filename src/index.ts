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
} from './core.js';
export { getTracer, init, LookoutConfigError, LookoutError, shutdown, VERSION } from './core.js';
