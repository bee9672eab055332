// OTLP decoding for the `lookout` command (the local viewer) and the test peers. The core never
// imports this folder: an app's own process only ever encodes OTLP, through the OpenTelemetry SDK.

export type { OtlpAnyValue, OtlpInstrumentationScope, OtlpKeyValue, OtlpResource } from './common-schema.js';
export {
  decodeLogsRequest,
  decodeMetricsRequest,
  decodeOtlpProtobuf,
  decodeTraceRequest,
} from './decode-otlp.js';
export type { FlatLogRecord } from './flatten-logs.js';
export { flattenLogs } from './flatten-logs.js';
export type {
  AggregationTemporalityName,
  FlatExemplar,
  FlatExponentialHistogramPoint,
  FlatHistogramPoint,
  FlatMetricPoint,
  FlatNumberPoint,
  FlatSummaryPoint,
} from './flatten-metrics.js';
export { AGGREGATION_TEMPORALITIES, flattenMetrics } from './flatten-metrics.js';
export type { FlatSpan, FlatSpanEvent, FlatSpanLink, SpanKindName, StatusCodeName } from './flatten-spans.js';
export { flattenSpans, SPAN_KINDS, STATUS_CODES } from './flatten-spans.js';
export type { Attributes, AttributeValue, FlatScope } from './flatten-values.js';
export { toAttributes, unwrapAnyValue } from './flatten-values.js';
export type { OtlpLogRecord, OtlpLogsRequest, OtlpResourceLogs, OtlpScopeLogs } from './logs-schema.js';
export type {
  OtlpExemplar,
  OtlpExponentialBuckets,
  OtlpExponentialHistogram,
  OtlpExponentialHistogramDataPoint,
  OtlpGauge,
  OtlpHistogram,
  OtlpHistogramDataPoint,
  OtlpMetric,
  OtlpMetricsRequest,
  OtlpNumberDataPoint,
  OtlpResourceMetrics,
  OtlpScopeMetrics,
  OtlpSum,
  OtlpSummary,
  OtlpSummaryDataPoint,
  OtlpValueAtQuantile,
} from './metrics-schema.js';
export type { DecodeLimits } from './otlp-decode-error.js';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_MESSAGES, OtlpDecodeError } from './otlp-decode-error.js';
export type { OtlpRequestBySignal, OtlpSignal } from './otlp-signals.js';
export { OTLP_SIGNALS } from './otlp-signals.js';
export { parseOtlpJson } from './parse-otlp-json.js';
export type { ProtobufTag, WireType } from './protobuf-reader.js';
export { ProtobufReader, WIRE_TYPES } from './protobuf-reader.js';
export type {
  OtlpResourceSpans,
  OtlpScopeSpans,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpSpanLink,
  OtlpStatus,
  OtlpTraceRequest,
} from './traces-schema.js';
