// opentelemetry/proto/metrics/v1/metrics.proto and collector/metrics/v1/metrics_service.proto.
// Fields removed from the protocol (int_gauge, labels, ...) are skipped like unknown fields.
import { INSTRUMENTATION_SCOPE, KEY_VALUE, RESOURCE } from './common-schema.js';
import {
  type Decoded,
  defineEnum,
  defineMessage,
  field,
  oneOf,
  optional,
  repeated,
} from './message-schema.js';

export const AGGREGATION_TEMPORALITY = defineEnum('AggregationTemporality', 'AGGREGATION_TEMPORALITY_', [
  'UNSPECIFIED',
  'DELTA',
  'CUMULATIVE',
] as const);

/** A value is `asDouble` or `asInt`, or neither. */
export const EXEMPLAR = defineMessage('Exemplar', {
  filteredAttributes: repeated(7, () => KEY_VALUE),
  timeUnixNano: field(2, 'fixed64'),
  asDouble: oneOf('value', 3, 'double'),
  asInt: oneOf('value', 6, 'sfixed64'),
  spanId: field(4, 'id'),
  traceId: field(5, 'id'),
});
export type OtlpExemplar = Decoded<typeof EXEMPLAR>;

export const NUMBER_DATA_POINT = defineMessage('NumberDataPoint', {
  attributes: repeated(7, () => KEY_VALUE),
  startTimeUnixNano: field(2, 'fixed64'),
  timeUnixNano: field(3, 'fixed64'),
  asDouble: oneOf('value', 4, 'double'),
  asInt: oneOf('value', 6, 'sfixed64'),
  exemplars: repeated(5, () => EXEMPLAR),
  flags: field(8, 'uint32'),
});
export type OtlpNumberDataPoint = Decoded<typeof NUMBER_DATA_POINT>;

export const HISTOGRAM_DATA_POINT = defineMessage('HistogramDataPoint', {
  attributes: repeated(9, () => KEY_VALUE),
  startTimeUnixNano: field(2, 'fixed64'),
  timeUnixNano: field(3, 'fixed64'),
  count: field(4, 'fixed64'),
  sum: optional(5, 'double'),
  bucketCounts: repeated(6, 'fixed64'),
  explicitBounds: repeated(7, 'double'),
  exemplars: repeated(8, () => EXEMPLAR),
  flags: field(10, 'uint32'),
  min: optional(11, 'double'),
  max: optional(12, 'double'),
});
export type OtlpHistogramDataPoint = Decoded<typeof HISTOGRAM_DATA_POINT>;

export const EXPONENTIAL_BUCKETS = defineMessage('Buckets', {
  offset: field(1, 'sint32'),
  bucketCounts: repeated(2, 'uint64'),
});
export type OtlpExponentialBuckets = Decoded<typeof EXPONENTIAL_BUCKETS>;

export const EXPONENTIAL_HISTOGRAM_DATA_POINT = defineMessage('ExponentialHistogramDataPoint', {
  attributes: repeated(1, () => KEY_VALUE),
  startTimeUnixNano: field(2, 'fixed64'),
  timeUnixNano: field(3, 'fixed64'),
  count: field(4, 'fixed64'),
  sum: optional(5, 'double'),
  scale: field(6, 'sint32'),
  zeroCount: field(7, 'fixed64'),
  positive: field(8, () => EXPONENTIAL_BUCKETS),
  negative: field(9, () => EXPONENTIAL_BUCKETS),
  flags: field(10, 'uint32'),
  exemplars: repeated(11, () => EXEMPLAR),
  min: optional(12, 'double'),
  max: optional(13, 'double'),
  zeroThreshold: field(14, 'double'),
});
export type OtlpExponentialHistogramDataPoint = Decoded<typeof EXPONENTIAL_HISTOGRAM_DATA_POINT>;

export const VALUE_AT_QUANTILE = defineMessage('ValueAtQuantile', {
  quantile: field(1, 'double'),
  value: field(2, 'double'),
});
export type OtlpValueAtQuantile = Decoded<typeof VALUE_AT_QUANTILE>;

export const SUMMARY_DATA_POINT = defineMessage('SummaryDataPoint', {
  attributes: repeated(7, () => KEY_VALUE),
  startTimeUnixNano: field(2, 'fixed64'),
  timeUnixNano: field(3, 'fixed64'),
  count: field(4, 'fixed64'),
  sum: field(5, 'double'),
  quantileValues: repeated(6, () => VALUE_AT_QUANTILE),
  flags: field(8, 'uint32'),
});
export type OtlpSummaryDataPoint = Decoded<typeof SUMMARY_DATA_POINT>;

export const GAUGE = defineMessage('Gauge', {
  dataPoints: repeated(1, () => NUMBER_DATA_POINT),
});
export type OtlpGauge = Decoded<typeof GAUGE>;

/** `aggregationTemporality`: 0 unspecified, 1 delta, 2 cumulative. */
export const SUM = defineMessage('Sum', {
  dataPoints: repeated(1, () => NUMBER_DATA_POINT),
  aggregationTemporality: field(2, AGGREGATION_TEMPORALITY),
  isMonotonic: field(3, 'bool'),
});
export type OtlpSum = Decoded<typeof SUM>;

export const HISTOGRAM = defineMessage('Histogram', {
  dataPoints: repeated(1, () => HISTOGRAM_DATA_POINT),
  aggregationTemporality: field(2, AGGREGATION_TEMPORALITY),
});
export type OtlpHistogram = Decoded<typeof HISTOGRAM>;

export const EXPONENTIAL_HISTOGRAM = defineMessage('ExponentialHistogram', {
  dataPoints: repeated(1, () => EXPONENTIAL_HISTOGRAM_DATA_POINT),
  aggregationTemporality: field(2, AGGREGATION_TEMPORALITY),
});
export type OtlpExponentialHistogram = Decoded<typeof EXPONENTIAL_HISTOGRAM>;

export const SUMMARY = defineMessage('Summary', {
  dataPoints: repeated(1, () => SUMMARY_DATA_POINT),
});
export type OtlpSummary = Decoded<typeof SUMMARY>;

/** A metric: its descriptor and at most one of the data fields. */
export const METRIC = defineMessage('Metric', {
  name: field(1, 'string'),
  description: field(2, 'string'),
  unit: field(3, 'string'),
  metadata: repeated(12, () => KEY_VALUE),
  gauge: oneOf('data', 5, () => GAUGE),
  sum: oneOf('data', 7, () => SUM),
  histogram: oneOf('data', 9, () => HISTOGRAM),
  exponentialHistogram: oneOf('data', 10, () => EXPONENTIAL_HISTOGRAM),
  summary: oneOf('data', 11, () => SUMMARY),
});
export type OtlpMetric = Decoded<typeof METRIC>;

export const SCOPE_METRICS = defineMessage('ScopeMetrics', {
  scope: field(1, () => INSTRUMENTATION_SCOPE),
  metrics: repeated(2, () => METRIC),
  schemaUrl: field(3, 'string'),
});
export type OtlpScopeMetrics = Decoded<typeof SCOPE_METRICS>;

export const RESOURCE_METRICS = defineMessage('ResourceMetrics', {
  resource: field(1, () => RESOURCE),
  scopeMetrics: repeated(2, () => SCOPE_METRICS),
  schemaUrl: field(3, 'string'),
});
export type OtlpResourceMetrics = Decoded<typeof RESOURCE_METRICS>;

/** The body of `POST /v1/metrics`. */
export const EXPORT_METRICS_SERVICE_REQUEST = defineMessage('ExportMetricsServiceRequest', {
  resourceMetrics: repeated(1, () => RESOURCE_METRICS),
});
export type OtlpMetricsRequest = Decoded<typeof EXPORT_METRICS_SERVICE_REQUEST>;
