export { createPathMatcher } from './is-excluded-path.js';
export type {
  InstrumentationName,
  LambdaOptions,
  LambdaTraceContext,
  LookoutOptions,
  OtlpOptions,
  OtlpProtocol,
  PropagatorName,
  SamplerName,
  TracesExporterName,
  TracingOptions,
} from './options.js';
export {
  INSTRUMENTATION_NAMES,
  LAMBDA_TRACE_CONTEXTS,
  OTLP_PROTOCOLS,
  PROPAGATOR_NAMES,
  SAMPLER_NAMES,
  TRACES_EXPORTER_NAMES,
} from './options.js';
export { describeAccepted, parseEnvValue, validateOptionValue } from './parse-setting.js';
export type {
  Config,
  ConfigWarning,
  OtlpTarget,
  ResolveConfigInput,
  ResolvedConfig,
} from './resolve-config.js';
export { resolveConfig } from './resolve-config.js';
export type { DefaultContext, Setting, SettingType, StandardVariable } from './setting.js';
export { SETTINGS } from './settings/index.js';
