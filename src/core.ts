// The core's one barrel. The public entry (index.ts) and the adapters (express/, lambda/,
// cli/, cdk/) import the core only through this file, which lets the build keep exactly one
// copy of the core's state for every entry point, in both the ESM and the CommonJS builds.

export type { Context, Span } from '@opentelemetry/api';
export type { AuditAction, AuditEntry, AuditInput, AuditQuery, AuditStatus } from './audit/index.js';
export {
  AUDIT_ACTIONS,
  AUDIT_QUERIES,
  AUDIT_STATUSES,
  isAuditAction,
  isRequestAudited,
  logAudit,
  OTHER_AUDIT_ACTION,
} from './audit/index.js';
export type {
  Config,
  EsmLoaderMode,
  HttpOptions,
  InstrumentationName,
  LambdaOptions,
  LambdaSettings,
  LambdaTraceContext,
  LogBufferOptions,
  LogCorrelationTarget,
  LoggingConfig,
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
} from './config/index.js';
export {
  createPathMatcher,
  getConfig,
  isDevelopmentEnvironment,
  isStringList,
  LAMBDA_TRACE_CONTEXTS,
  parseEnvValue,
  resolveConfig,
  resolveLambdaOptions,
  resolveServiceIdentity,
  SETTINGS,
} from './config/index.js';
export type { DiagLevel } from './diag/index.js';
export { describeError, diagnostics } from './diag/index.js';
export type { LookoutErrorCode } from './errors/index.js';
export { ERROR_CODES, LookoutConfigError, LookoutError } from './errors/index.js';
export type { RequestLike } from './http/index.js';
export {
  checkTrustedProxy,
  getClientIp,
  isValidRequestId,
  REQUEST_ID_HEADERS,
  resolveRequestId,
} from './http/index.js';
export type { LookoutHandle, Part, TelemetryStats } from './init.js';
export { flushExports, getLookout, init, shutdown } from './init.js';
export type { LoggingRuntime, RedactionPolicy, RequestContext, SpanCorrelation } from './logging/index.js';
export {
  captureLogLinesForTesting,
  createRedactionPolicy,
  formatIsoTimestamp,
  getLoggingRuntime,
  getRequestContext,
  getSpanCorrelation,
  holdLogLinesPerTurn,
  LookoutLogger,
  logger,
  putTraceCorrelation,
  redact,
  resetLoggingForTesting,
  runWithRequestContext,
  setInvocationRequestContext,
  setRequestContextValues,
  TRACE_KEYS,
  writeHeldLogLines,
  writeLogLine,
} from './logging/index.js';
export type {
  DimensionName,
  InvocationRecord,
  LookoutMetricDefinition,
  LookoutMetricName,
  LookoutMetricUnit,
  MetricAggregation,
  RequestRecord,
} from './metrics/index.js';
export {
  checkNamespace,
  countMetric,
  DEFAULT_INVOCATION_OPERATION,
  DEFAULT_METRICS_NAMESPACE,
  DIMENSION_NAMES,
  flushInvocationMetrics,
  GC_TYPE_DIMENSION,
  LOOKOUT_METRIC_UNITS,
  LOOKOUT_METRICS,
  LookoutMetrics,
  METRIC_AGGREGATIONS,
  METRIC_NAMES,
  MetricResolution,
  MetricUnit,
  metrics,
  noteInvocationStart,
  OTHER_METHOD,
  RUNTIME_METRICS,
  RuntimeMetricsCollector,
  recordAndFlushInvocation,
  recordInvocation,
  recordRequest,
  toDimensionValue,
  UNMATCHED_ROUTE,
} from './metrics/index.js';
export type { RuntimeInfo, RuntimeKind } from './runtime/index.js';
export {
  detectRuntime,
  getProcessEnv,
  heapSizeLimitBytes,
  installSignalHandlers,
  isColdStartPending,
  isThenable,
  LONGEST_TIMER_DELAY_MS,
  RUNTIME_KINDS,
  readEnv,
  readField,
  roundMs,
  takeColdStart,
  textOf,
  withDeadline,
} from './runtime/index.js';
export type { RequestObserver, ServerRequestRecord, TracedMethodDecorator } from './tracing/index.js';
export {
  CANONICAL_LAYOUT,
  endInvocationSpans,
  followServerRequests,
  fromXRayTraceId,
  getInvocationLinkLimit,
  getServerRequestRecord,
  getServerSpan,
  getTracer,
  hasCanonicalLayout,
  markStartedByRegister,
  RequestScopeContext,
  recordSpanFailure,
  recordThrownValue,
  registerSpanExporterFactory,
  routeTemplateOf,
  runInContext,
  setInvocationContext,
  setModuleSyntaxJudge,
  setServerRoute,
  startInvocationSpan,
  toXRayTraceId,
  traced,
  UNREADABLE_THROWN_VALUE,
  withActiveSpan,
} from './tracing/index.js';
export { VERSION } from './version.js';
