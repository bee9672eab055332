// `lookout/cdk`: CDK v2 constructs for what Lookout emits. aws-cdk-lib and constructs are
// optional peer dependencies; nothing outside src/cdk imports them.
export type { AlarmDefault, AlarmId, AlarmSettings, AlarmSeverity, AlarmTuning } from './alarm-defaults.js';
export { ALARM_DEFAULTS, ALARM_SEVERITIES, resolveAlarmSettings } from './alarm-defaults.js';
export type { AlertOptions, AlertTopicsProps } from './alert-topics.js';
export { AlertTopics } from './alert-topics.js';
export type { ApiAlarms, ApiOptions, ObservedApi } from './api-alarms.js';
export type { AuditMetricSource, AuditMetrics } from './audit-metrics.js';
export { AUDIT_METRIC_SOURCES, defaultAuditLogNamespace } from './audit-metrics.js';
export type { CostBudgetOptions } from './cost-budget.js';
export type { ErrorStoreAlarmId, ErrorStoreOptions, ErrorStoreProps } from './error-store.js';
export { ErrorStore } from './error-store.js';
export type { ErrorStoreQueryId } from './error-store-queries.js';
export { ERROR_STORE_QUERIES } from './error-store-queries.js';
export type { FunctionAlarms, FunctionOptions } from './function-alarms.js';
export type { InsightsQuery, InsightsQueryId, InsightsVisualization } from './insights-queries.js';
export { INSIGHTS_QUERIES, USER_ID_PLACEHOLDER } from './insights-queries.js';
export type { LookoutChecksProps } from './lookout-checks.js';
export { LookoutChecks } from './lookout-checks.js';
export type { LookoutLayerProps } from './lookout-layer.js';
export { LOOKOUT_EXEC_WRAPPER, LookoutLayer } from './lookout-layer.js';
export type { MetricIdentity } from './metric-identity.js';
export { DASHBOARD_QUERIES } from './observability-dashboard.js';
export type {
  AddFunctionOptions,
  ServiceLogGroupOptions,
  ServiceObservabilityProps,
  ServicePlatform,
} from './service-observability.js';
export { SERVICE_PLATFORMS, ServiceObservability } from './service-observability.js';
export { suppressLookoutCheck } from './suppress-lookout-check.js';
