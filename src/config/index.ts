export type { ContribInstrumentation, ContribInstrumentationName } from './contrib-instrumentations.js';
export { CONTRIB_INSTRUMENTATION_NAMES, CONTRIB_INSTRUMENTATIONS } from './contrib-instrumentations.js';
export { getConfig, getConfigGeneration, resetConfigForTesting, setConfig } from './current-config.js';
export { isDevelopmentEnvironment } from './is-development-environment.js';
export { createPathMatcher } from './is-excluded-path.js';
export type { OtlpTlsOptions } from './load-otlp-tls.js';
export { loadOtlpTls } from './load-otlp-tls.js';
export type {
  BuiltInInstrumentationName,
  EsmLoaderMode,
  HttpOptions,
  InstrumentationName,
  LambdaOptions,
  LambdaTraceContext,
  LogCorrelationTarget,
  LoggingOptions,
  LogLevelName,
  LogsExporterName,
  LogsOptions,
  LookoutOptions,
  MetricsExporterName,
  MetricsOptions,
  OtlpOptions,
  OtlpProtocol,
  PropagatorName,
  RedactionOptions,
  RedactionRuleName,
  SamplerName,
  TracesExporterName,
  TracingOptions,
  XRayOptions,
} from './options.js';
export {
  AUTO_INSTRUMENTATIONS,
  BUILT_IN_INSTRUMENTATION_NAMES,
  ESM_LOADER_MODES,
  INSTRUMENTATION_NAMES,
  LAMBDA_TRACE_CONTEXTS,
  LOG_CORRELATION_TARGETS,
  LOG_LEVEL_NAMES,
  LOGS_EXPORTER_NAMES,
  METRICS_EXPORTER_NAMES,
  OTLP_PROTOCOLS,
  PROPAGATOR_NAMES,
  REDACTION_RULE_NAMES,
  SAMPLER_NAMES,
  TRACES_EXPORTER_NAMES,
} from './options.js';
export { describeAccepted, isStringList, parseEnvValue, validateOptionValue } from './parse-setting.js';
export { readBatchBound } from './read-batch-bound.js';
export { readPowertoolsBoolean } from './read-powertools-boolean.js';
export type {
  Config,
  ConfigWarning,
  OtlpTarget,
  OtlpTlsFiles,
  ResolveConfigInput,
  ResolvedConfig,
  ServiceIdentity,
  SettingFile,
} from './resolve-config.js';
export { resolveConfig, resolveServiceIdentity } from './resolve-config.js';
export type { LambdaSettings } from './resolve-lambda-options.js';
export { resolveLambdaOptions } from './resolve-lambda-options.js';
export type { LogBufferLevel, LogBufferOptions } from './resolve-log-buffer.js';
export { LOG_BUFFER_LEVELS } from './resolve-log-buffer.js';
export type { LoggingConfig, RedactionPatternSource } from './resolve-logging-config.js';
export { LOG_LEVEL_ORDER } from './resolve-logging-config.js';
export type { TracesExporterDecision, TracesExporterFacts } from './resolve-traces-exporters.js';
export { resolveTracesExporters } from './resolve-traces-exporters.js';
export type { XRaySamplingConfig } from './resolve-xray-sampling.js';
export { resolveXRaySampling, XRAY_SAMPLING_DEFAULTS } from './resolve-xray-sampling.js';
export type { DefaultContext, Setting, SettingType, StandardVariable } from './setting.js';
export { SETTINGS } from './settings/index.js';
export type { PlatformVariable } from './settings/platform.js';
export {
  BATCH_LOG_RECORD_PROCESSOR_VARIABLES,
  BATCH_SPAN_PROCESSOR_VARIABLES,
  PLATFORM_VARIABLES,
  SPAN_LIMIT_VARIABLES,
} from './settings/platform.js';
