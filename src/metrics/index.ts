export type { EmfUnit, StorageResolution } from '../emf/emf-limits.js';
export {
  checkDimensionName,
  checkDimensionValue,
  checkMetricName,
  checkMetricValue,
  checkNamespace,
  EMF_LIMITS,
  EMF_UNITS,
  STORAGE_RESOLUTIONS,
} from '../emf/emf-limits.js';
export type {
  DimensionName,
  LookoutMetricDefinition,
  LookoutMetricName,
  LookoutMetricUnit,
  MetricAggregation,
} from '../emf/metric-names.js';
export {
  DEFAULT_INVOCATION_OPERATION,
  DEFAULT_METRICS_NAMESPACE,
  DIMENSION_NAMES,
  LOOKOUT_METRIC_UNITS,
  LOOKOUT_METRICS,
  METRIC_AGGREGATIONS,
  METRIC_NAMES,
  OTHER_METHOD,
  UNMATCHED_ROUTE,
} from '../emf/metric-names.js';
export type { EmfGroupInput, EmfMetricInput } from './create-emf-documents.js';
export { createEmfDocuments } from './create-emf-documents.js';
export type { MetricsSettings } from './lookout-metrics.js';
export { LookoutMetrics, MetricResolution, MetricUnit, metrics } from './lookout-metrics.js';
export type {
  AddOutcome,
  GroupDescription,
  MetricAggregatorOptions,
  SeriesDefinition,
} from './metric-aggregator.js';
export { MetricAggregator } from './metric-aggregator.js';
export type { InvocationRecord, MetricRecorderOptions, RequestRecord } from './metric-recorder.js';
export { MetricRecorder, toDimensionValue } from './metric-recorder.js';
export {
  countMetric,
  flushInvocationMetrics,
  noteInvocationStart,
  recordAndFlushInvocation,
  recordInvocation,
  recordRequest,
} from './record-metrics.js';
export type { GcType } from './runtime-metric-names.js';
export { GC_TYPE_DIMENSION, GC_TYPES, RUNTIME_METRICS } from './runtime-metric-names.js';
export type { RuntimeSample } from './runtime-metrics-collector.js';
export { RuntimeMetricsCollector } from './runtime-metrics-collector.js';
export type { MetricsHandle } from './start-metrics.js';
export { MAX_DIMENSION_SETS, startMetrics } from './start-metrics.js';
export type { EmfWriter } from './write-to-stdout.js';
export { writeToStdout } from './write-to-stdout.js';
