// Decoded OTLP requests, shaped like OTLP/JSON (opentelemetry-proto v1): camelCase field names,
// trace and span ids as lowercase hex, 64-bit integers as decimal strings, enums as integers,
// bytes as base64. Both decoders (protobuf and JSON) fill every scalar field with its proto3
// default, so the two encodings of one request decode to equal objects.

/** The three OTLP signals, named as in their OTLP/HTTP paths (`/v1/<signal>`). */
export const OTLP_SIGNALS = ['traces', 'metrics', 'logs'] as const;
export type OtlpSignal = (typeof OTLP_SIGNALS)[number];

/** `AnyValue`: exactly one of the fields, or none (an empty value). */
export type OtlpAnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number }
  | { readonly arrayValue: { readonly values: readonly OtlpAnyValue[] } }
  | { readonly kvlistValue: { readonly values: readonly OtlpKeyValue[] } }
  | { readonly bytesValue: string }
  | Readonly<Record<string, never>>;

export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}

export interface OtlpResource {
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
}

export interface OtlpInstrumentationScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
}

// ---------------------------------------------------------------------------------------------
// Traces (opentelemetry/proto/trace/v1/trace.proto)

export interface OtlpSpanEvent {
  readonly timeUnixNano: string;
  readonly name: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
}

export interface OtlpSpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
  readonly flags: number;
}

export interface OtlpStatus {
  readonly message: string;
  /** 0 unset, 1 ok, 2 error. */
  readonly code: number;
}

export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly flags: number;
  readonly name: string;
  /** 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
  readonly events: readonly OtlpSpanEvent[];
  readonly droppedEventsCount: number;
  readonly links: readonly OtlpSpanLink[];
  readonly droppedLinksCount: number;
  readonly status: OtlpStatus;
}

export interface OtlpScopeSpans {
  readonly scope: OtlpInstrumentationScope;
  readonly spans: readonly OtlpSpan[];
  readonly schemaUrl: string;
}

export interface OtlpResourceSpans {
  readonly resource: OtlpResource;
  readonly scopeSpans: readonly OtlpScopeSpans[];
  readonly schemaUrl: string;
}

/** `ExportTraceServiceRequest`. */
export interface OtlpTraceRequest {
  readonly resourceSpans: readonly OtlpResourceSpans[];
}

// ---------------------------------------------------------------------------------------------
// Metrics (opentelemetry/proto/metrics/v1/metrics.proto)

export interface OtlpExemplar {
  readonly filteredAttributes: readonly OtlpKeyValue[];
  readonly timeUnixNano: string;
  readonly asDouble?: number;
  readonly asInt?: string;
  readonly spanId: string;
  readonly traceId: string;
}

export interface OtlpNumberDataPoint {
  readonly attributes: readonly OtlpKeyValue[];
  readonly startTimeUnixNano: string;
  readonly timeUnixNano: string;
  readonly asDouble?: number;
  readonly asInt?: string;
  readonly exemplars: readonly OtlpExemplar[];
  readonly flags: number;
}

export interface OtlpHistogramDataPoint {
  readonly attributes: readonly OtlpKeyValue[];
  readonly startTimeUnixNano: string;
  readonly timeUnixNano: string;
  readonly count: string;
  readonly sum?: number;
  readonly bucketCounts: readonly string[];
  readonly explicitBounds: readonly number[];
  readonly exemplars: readonly OtlpExemplar[];
  readonly flags: number;
  readonly min?: number;
  readonly max?: number;
}

export interface OtlpExponentialBuckets {
  readonly offset: number;
  readonly bucketCounts: readonly string[];
}

export interface OtlpExponentialHistogramDataPoint {
  readonly attributes: readonly OtlpKeyValue[];
  readonly startTimeUnixNano: string;
  readonly timeUnixNano: string;
  readonly count: string;
  readonly sum?: number;
  readonly scale: number;
  readonly zeroCount: string;
  readonly positive: OtlpExponentialBuckets;
  readonly negative: OtlpExponentialBuckets;
  readonly flags: number;
  readonly exemplars: readonly OtlpExemplar[];
  readonly min?: number;
  readonly max?: number;
  readonly zeroThreshold: number;
}

export interface OtlpValueAtQuantile {
  readonly quantile: number;
  readonly value: number;
}

export interface OtlpSummaryDataPoint {
  readonly attributes: readonly OtlpKeyValue[];
  readonly startTimeUnixNano: string;
  readonly timeUnixNano: string;
  readonly count: string;
  readonly sum: number;
  readonly quantileValues: readonly OtlpValueAtQuantile[];
  readonly flags: number;
}

export interface OtlpGauge {
  readonly dataPoints: readonly OtlpNumberDataPoint[];
}

export interface OtlpSum {
  readonly dataPoints: readonly OtlpNumberDataPoint[];
  /** 0 unspecified, 1 delta, 2 cumulative. */
  readonly aggregationTemporality: number;
  readonly isMonotonic: boolean;
}

export interface OtlpHistogram {
  readonly dataPoints: readonly OtlpHistogramDataPoint[];
  readonly aggregationTemporality: number;
}

export interface OtlpExponentialHistogram {
  readonly dataPoints: readonly OtlpExponentialHistogramDataPoint[];
  readonly aggregationTemporality: number;
}

export interface OtlpSummary {
  readonly dataPoints: readonly OtlpSummaryDataPoint[];
}

/** A metric: its descriptor and at most one of the data fields. */
export interface OtlpMetric {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly metadata: readonly OtlpKeyValue[];
  readonly gauge?: OtlpGauge;
  readonly sum?: OtlpSum;
  readonly histogram?: OtlpHistogram;
  readonly exponentialHistogram?: OtlpExponentialHistogram;
  readonly summary?: OtlpSummary;
}

export interface OtlpScopeMetrics {
  readonly scope: OtlpInstrumentationScope;
  readonly metrics: readonly OtlpMetric[];
  readonly schemaUrl: string;
}

export interface OtlpResourceMetrics {
  readonly resource: OtlpResource;
  readonly scopeMetrics: readonly OtlpScopeMetrics[];
  readonly schemaUrl: string;
}

/** `ExportMetricsServiceRequest`. */
export interface OtlpMetricsRequest {
  readonly resourceMetrics: readonly OtlpResourceMetrics[];
}

// ---------------------------------------------------------------------------------------------
// Logs (opentelemetry/proto/logs/v1/logs.proto)

export interface OtlpLogRecord {
  readonly timeUnixNano: string;
  readonly observedTimeUnixNano: string;
  /** 0 unspecified, 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal. */
  readonly severityNumber: number;
  readonly severityText: string;
  /** Absent when the record has no body. */
  readonly body?: OtlpAnyValue;
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
  readonly flags: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly eventName: string;
}

export interface OtlpScopeLogs {
  readonly scope: OtlpInstrumentationScope;
  readonly logRecords: readonly OtlpLogRecord[];
  readonly schemaUrl: string;
}

export interface OtlpResourceLogs {
  readonly resource: OtlpResource;
  readonly scopeLogs: readonly OtlpScopeLogs[];
  readonly schemaUrl: string;
}

/** `ExportLogsServiceRequest`. */
export interface OtlpLogsRequest {
  readonly resourceLogs: readonly OtlpResourceLogs[];
}

/** The decoded request type of each signal. */
export interface OtlpRequestBySignal {
  readonly traces: OtlpTraceRequest;
  readonly metrics: OtlpMetricsRequest;
  readonly logs: OtlpLogsRequest;
}
