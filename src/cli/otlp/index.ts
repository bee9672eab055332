// OTLP decoding for the `lookout` command (the local viewer) and the test peers. The core never
// imports this folder: an app's own process only ever encodes OTLP, through the OpenTelemetry SDK.

export {
  decodeLogsRequest,
  decodeMetricsRequest,
  decodeOtlpProtobuf,
  decodeTraceRequest,
} from './decode-otlp.js';
export type { DecodeLimits, ProtobufTag, WireType } from './decode-protobuf.js';
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_MESSAGES,
  OtlpDecodeError,
  ProtobufReader,
  WIRE_TYPES,
} from './decode-protobuf.js';
export type {
  AggregationTemporalityName,
  Attributes,
  AttributeValue,
  FlatExemplar,
  FlatExponentialHistogramPoint,
  FlatHistogramPoint,
  FlatLogRecord,
  FlatMetricPoint,
  FlatNumberPoint,
  FlatScope,
  FlatSpan,
  FlatSpanEvent,
  FlatSpanLink,
  FlatSummaryPoint,
  SpanKindName,
  StatusCodeName,
} from './flatten-otlp.js';
export {
  AGGREGATION_TEMPORALITIES,
  flattenLogs,
  flattenMetrics,
  flattenSpans,
  SPAN_KINDS,
  STATUS_CODES,
  toAttributes,
  unwrapAnyValue,
} from './flatten-otlp.js';
export type {
  OtlpAnyValue,
  OtlpExemplar,
  OtlpExponentialBuckets,
  OtlpExponentialHistogram,
  OtlpExponentialHistogramDataPoint,
  OtlpGauge,
  OtlpHistogram,
  OtlpHistogramDataPoint,
  OtlpInstrumentationScope,
  OtlpKeyValue,
  OtlpLogRecord,
  OtlpLogsRequest,
  OtlpMetric,
  OtlpMetricsRequest,
  OtlpNumberDataPoint,
  OtlpRequestBySignal,
  OtlpResource,
  OtlpResourceLogs,
  OtlpResourceMetrics,
  OtlpResourceSpans,
  OtlpScopeLogs,
  OtlpScopeMetrics,
  OtlpScopeSpans,
  OtlpSignal,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpSpanLink,
  OtlpStatus,
  OtlpSum,
  OtlpSummary,
  OtlpSummaryDataPoint,
  OtlpTraceRequest,
  OtlpValueAtQuantile,
} from './otlp-types.js';
export { OTLP_SIGNALS } from './otlp-types.js';
export { parseOtlpJson } from './parse-otlp-json.js';
