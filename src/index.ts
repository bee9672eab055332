// Public API of `lookout`: re-exports only (STYLE.md), each name listed.
export type {
  InstrumentationName,
  LoggingOptions,
  LogLevelName,
  LookoutHandle,
  LookoutLogger,
  LookoutOptions,
  OtlpOptions,
  OtlpProtocol,
  PropagatorName,
  RedactionOptions,
  RedactionRuleName,
  SamplerName,
  TelemetryStats,
  TracesExporterName,
  TracingOptions,
} from './core.js';
export {
  getTracer,
  init,
  LookoutConfigError,
  LookoutError,
  logger,
  redact,
  shutdown,
  VERSION,
} from './core.js';
