// Flattens decoded OTLP requests into one plain record per span, per metric data point and per
// log record, each carrying its resource and scope, with attributes as plain objects. This is the
// shape a viewer lists and a test asserts on.
import type {
  OtlpAnyValue,
  OtlpExemplar,
  OtlpInstrumentationScope,
  OtlpKeyValue,
  OtlpLogsRequest,
  OtlpMetricsRequest,
  OtlpResource,
  OtlpTraceRequest,
} from './otlp-types.js';

/**
 * An AnyValue unwrapped to a plain value: strings, booleans, numbers (an `intValue` becomes a
 * number when it fits exactly, otherwise stays a decimal string), arrays, plain objects for key
 * value lists, `Uint8Array` for bytes, and `null` for an empty value.
 */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | Uint8Array
  | readonly AttributeValue[]
  | { readonly [key: string]: AttributeValue };

export type Attributes = Readonly<Record<string, AttributeValue>>;

/** Span kinds by their OTLP enum value. */
export const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
export type SpanKindName = (typeof SPAN_KINDS)[number];

/** Span status codes by their OTLP enum value. */
export const STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;
export type StatusCodeName = (typeof STATUS_CODES)[number];

/** Aggregation temporalities by their OTLP enum value. */
export const AGGREGATION_TEMPORALITIES = ['UNSPECIFIED', 'DELTA', 'CUMULATIVE'] as const;
export type AggregationTemporalityName = (typeof AGGREGATION_TEMPORALITIES)[number];

export interface FlatScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: Attributes;
}

export interface FlatSpanEvent {
  readonly name: string;
  readonly timeUnixNano: bigint;
  readonly attributes: Attributes;
}

export interface FlatSpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string;
  readonly flags: number;
  readonly attributes: Attributes;
}

/** One span, with its resource and scope. */
export interface FlatSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly traceState: string;
  readonly flags: number;
  readonly name: string;
  /** The kind's name; an enum value outside the known ones reads `UNSPECIFIED`. */
  readonly kind: SpanKindName;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  /** `end - start` in milliseconds (fractional). */
  readonly durationMs: number;
  readonly attributes: Attributes;
  readonly events: readonly FlatSpanEvent[];
  readonly links: readonly FlatSpanLink[];
  readonly status: { readonly code: StatusCodeName; readonly message: string };
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
  readonly resource: Attributes;
  readonly scope: FlatScope;
}

export interface FlatExemplar {
  readonly value: number | undefined;
  readonly timeUnixNano: bigint;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly filteredAttributes: Attributes;
}

interface FlatPointBase {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly attributes: Attributes;
  readonly startTimeUnixNano: bigint;
  readonly timeUnixNano: bigint;
  readonly flags: number;
  readonly resource: Attributes;
  readonly scope: FlatScope;
}

/** A gauge or sum data point. */
export interface FlatNumberPoint extends FlatPointBase {
  readonly type: 'gauge' | 'sum';
  /** The value as a number (an `asInt` above 2^53 loses precision here; see `valueInt`). */
  readonly value: number | undefined;
  /** The exact value when the point carries `asInt`. */
  readonly valueInt: bigint | undefined;
  /** For sums; `UNSPECIFIED` for gauges. */
  readonly aggregationTemporality: AggregationTemporalityName;
  /** For sums; false for gauges. */
  readonly isMonotonic: boolean;
  readonly exemplars: readonly FlatExemplar[];
}

export interface FlatHistogramPoint extends FlatPointBase {
  readonly type: 'histogram';
  readonly aggregationTemporality: AggregationTemporalityName;
  readonly count: number;
  readonly sum: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly bucketCounts: readonly number[];
  readonly explicitBounds: readonly number[];
  readonly exemplars: readonly FlatExemplar[];
}

export interface FlatExponentialHistogramPoint extends FlatPointBase {
  readonly type: 'exponentialHistogram';
  readonly aggregationTemporality: AggregationTemporalityName;
  readonly count: number;
  readonly sum: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly scale: number;
  readonly zeroCount: number;
  readonly zeroThreshold: number;
  readonly positive: { readonly offset: number; readonly bucketCounts: readonly number[] };
  readonly negative: { readonly offset: number; readonly bucketCounts: readonly number[] };
  readonly exemplars: readonly FlatExemplar[];
}

export interface FlatSummaryPoint extends FlatPointBase {
  readonly type: 'summary';
  readonly count: number;
  readonly sum: number;
  readonly quantileValues: readonly { readonly quantile: number; readonly value: number }[];
}

/** One metric data point, discriminated by `type`. */
export type FlatMetricPoint =
  | FlatNumberPoint
  | FlatHistogramPoint
  | FlatExponentialHistogramPoint
  | FlatSummaryPoint;

/** One log record, with its resource and scope. */
export interface FlatLogRecord {
  readonly timeUnixNano: bigint;
  readonly observedTimeUnixNano: bigint;
  readonly severityNumber: number;
  readonly severityText: string;
  /** The body unwrapped; null when the record has none. */
  readonly body: AttributeValue;
  readonly attributes: Attributes;
  readonly eventName: string;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly flags: number;
  readonly droppedAttributesCount: number;
  readonly resource: Attributes;
  readonly scope: FlatScope;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/**
 * Unwraps an OTLP AnyValue into a plain value.
 *
 * @example
 * unwrapAnyValue({ intValue: '42' }); // 42
 * unwrapAnyValue({ arrayValue: { values: [{ stringValue: 'a' }] } }); // ['a']
 */
export function unwrapAnyValue(value: OtlpAnyValue): AttributeValue {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) {
    const exact = BigInt(value.intValue);
    return exact <= MAX_SAFE && exact >= MIN_SAFE ? Number(exact) : value.intValue;
  }
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) return value.arrayValue.values.map(unwrapAnyValue);
  if ('kvlistValue' in value) return toAttributes(value.kvlistValue.values);
  if ('bytesValue' in value) return new Uint8Array(Buffer.from(value.bytesValue, 'base64'));
  return null;
}

/**
 * Turns a KeyValue list into a plain object (a later duplicate key wins). Keys are own
 * properties of a null-prototype object, so `__proto__` or `constructor` are plain keys.
 *
 * @example
 * toAttributes([{ key: 'http.route', value: { stringValue: '/orders/:id' } }]); // { 'http.route': '/orders/:id' }
 */
export function toAttributes(keyValues: readonly OtlpKeyValue[]): Attributes {
  const attributes: Record<string, AttributeValue> = Object.create(null);
  for (const { key, value } of keyValues) attributes[key] = unwrapAnyValue(value);
  return attributes;
}

function flattenScope(scope: OtlpInstrumentationScope): FlatScope {
  return { name: scope.name, version: scope.version, attributes: toAttributes(scope.attributes) };
}

function flattenResource(resource: OtlpResource): Attributes {
  return toAttributes(resource.attributes);
}

const orUndefined = (id: string): string | undefined => (id === '' ? undefined : id);

function enumName<T extends readonly string[]>(names: T, value: number): T[number] {
  return names[value] ?? (names[0] as T[number]);
}

/**
 * One record per span in a decoded trace request, in the order they arrived.
 *
 * @example
 * const spans = flattenSpans(decodeTraceRequest(body));
 * const server = spans.find((span) => span.kind === 'SERVER');
 */
export function flattenSpans(request: OtlpTraceRequest): FlatSpan[] {
  const spans: FlatSpan[] = [];
  for (const resourceSpans of request.resourceSpans) {
    const resource = flattenResource(resourceSpans.resource);
    for (const scopeSpans of resourceSpans.scopeSpans) {
      const scope = flattenScope(scopeSpans.scope);
      for (const span of scopeSpans.spans) {
        const startTimeUnixNano = BigInt(span.startTimeUnixNano);
        const endTimeUnixNano = BigInt(span.endTimeUnixNano);
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: orUndefined(span.parentSpanId),
          traceState: span.traceState,
          flags: span.flags,
          name: span.name,
          kind: enumName(SPAN_KINDS, span.kind),
          startTimeUnixNano,
          endTimeUnixNano,
          durationMs: Number(endTimeUnixNano - startTimeUnixNano) / 1e6,
          attributes: toAttributes(span.attributes),
          events: span.events.map((event) => ({
            name: event.name,
            timeUnixNano: BigInt(event.timeUnixNano),
            attributes: toAttributes(event.attributes),
          })),
          links: span.links.map((link) => ({
            traceId: link.traceId,
            spanId: link.spanId,
            traceState: link.traceState,
            flags: link.flags,
            attributes: toAttributes(link.attributes),
          })),
          status: { code: enumName(STATUS_CODES, span.status.code), message: span.status.message },
          droppedAttributesCount: span.droppedAttributesCount,
          droppedEventsCount: span.droppedEventsCount,
          droppedLinksCount: span.droppedLinksCount,
          resource,
          scope,
        });
      }
    }
  }
  return spans;
}

function numberOf(point: { readonly asDouble?: number; readonly asInt?: string }): {
  value: number | undefined;
  valueInt: bigint | undefined;
} {
  if (point.asInt !== undefined) {
    const valueInt = BigInt(point.asInt);
    return { value: Number(valueInt), valueInt };
  }
  return { value: point.asDouble, valueInt: undefined };
}

function flattenExemplars(exemplars: readonly OtlpExemplar[]): FlatExemplar[] {
  return exemplars.map((exemplar) => ({
    value: numberOf(exemplar).value,
    timeUnixNano: BigInt(exemplar.timeUnixNano),
    traceId: orUndefined(exemplar.traceId),
    spanId: orUndefined(exemplar.spanId),
    filteredAttributes: toAttributes(exemplar.filteredAttributes),
  }));
}

const toCounts = (counts: readonly string[]): number[] => counts.map(Number);

/**
 * One record per metric data point in a decoded metrics request; `type` tells gauges, sums,
 * histograms, exponential histograms and summaries apart.
 *
 * @example
 * const points = flattenMetrics(decodeMetricsRequest(body));
 * const requests = points.filter((point) => point.name === 'http.server.request.duration');
 */
export function flattenMetrics(request: OtlpMetricsRequest): FlatMetricPoint[] {
  const points: FlatMetricPoint[] = [];
  for (const resourceMetrics of request.resourceMetrics) {
    const resource = flattenResource(resourceMetrics.resource);
    for (const scopeMetrics of resourceMetrics.scopeMetrics) {
      const scope = flattenScope(scopeMetrics.scope);
      for (const metric of scopeMetrics.metrics) {
        const base = (point: {
          readonly attributes: readonly OtlpKeyValue[];
          readonly startTimeUnixNano: string;
          readonly timeUnixNano: string;
          readonly flags: number;
        }): FlatPointBase => ({
          name: metric.name,
          description: metric.description,
          unit: metric.unit,
          attributes: toAttributes(point.attributes),
          startTimeUnixNano: BigInt(point.startTimeUnixNano),
          timeUnixNano: BigInt(point.timeUnixNano),
          flags: point.flags,
          resource,
          scope,
        });
        if (metric.gauge !== undefined) {
          for (const point of metric.gauge.dataPoints) {
            points.push({
              ...base(point),
              type: 'gauge',
              ...numberOf(point),
              aggregationTemporality: 'UNSPECIFIED',
              isMonotonic: false,
              exemplars: flattenExemplars(point.exemplars),
            });
          }
        } else if (metric.sum !== undefined) {
          const aggregationTemporality = enumName(
            AGGREGATION_TEMPORALITIES,
            metric.sum.aggregationTemporality,
          );
          for (const point of metric.sum.dataPoints) {
            points.push({
              ...base(point),
              type: 'sum',
              ...numberOf(point),
              aggregationTemporality,
              isMonotonic: metric.sum.isMonotonic,
              exemplars: flattenExemplars(point.exemplars),
            });
          }
        } else if (metric.histogram !== undefined) {
          const aggregationTemporality = enumName(
            AGGREGATION_TEMPORALITIES,
            metric.histogram.aggregationTemporality,
          );
          for (const point of metric.histogram.dataPoints) {
            points.push({
              ...base(point),
              type: 'histogram',
              aggregationTemporality,
              count: Number(point.count),
              sum: point.sum,
              min: point.min,
              max: point.max,
              bucketCounts: toCounts(point.bucketCounts),
              explicitBounds: point.explicitBounds,
              exemplars: flattenExemplars(point.exemplars),
            });
          }
        } else if (metric.exponentialHistogram !== undefined) {
          const aggregationTemporality = enumName(
            AGGREGATION_TEMPORALITIES,
            metric.exponentialHistogram.aggregationTemporality,
          );
          for (const point of metric.exponentialHistogram.dataPoints) {
            points.push({
              ...base(point),
              type: 'exponentialHistogram',
              aggregationTemporality,
              count: Number(point.count),
              sum: point.sum,
              min: point.min,
              max: point.max,
              scale: point.scale,
              zeroCount: Number(point.zeroCount),
              zeroThreshold: point.zeroThreshold,
              positive: {
                offset: point.positive.offset,
                bucketCounts: toCounts(point.positive.bucketCounts),
              },
              negative: {
                offset: point.negative.offset,
                bucketCounts: toCounts(point.negative.bucketCounts),
              },
              exemplars: flattenExemplars(point.exemplars),
            });
          }
        } else if (metric.summary !== undefined) {
          for (const point of metric.summary.dataPoints) {
            points.push({
              ...base(point),
              type: 'summary',
              count: Number(point.count),
              sum: point.sum,
              quantileValues: point.quantileValues.map(({ quantile, value }) => ({ quantile, value })),
            });
          }
        }
      }
    }
  }
  return points;
}

/**
 * One record per log record in a decoded logs request.
 *
 * @example
 * const logs = flattenLogs(decodeLogsRequest(body));
 * const errors = logs.filter((record) => record.severityNumber >= 17);
 */
export function flattenLogs(request: OtlpLogsRequest): FlatLogRecord[] {
  const records: FlatLogRecord[] = [];
  for (const resourceLogs of request.resourceLogs) {
    const resource = flattenResource(resourceLogs.resource);
    for (const scopeLogs of resourceLogs.scopeLogs) {
      const scope = flattenScope(scopeLogs.scope);
      for (const record of scopeLogs.logRecords) {
        records.push({
          timeUnixNano: BigInt(record.timeUnixNano),
          observedTimeUnixNano: BigInt(record.observedTimeUnixNano),
          severityNumber: record.severityNumber,
          severityText: record.severityText,
          body: record.body === undefined ? null : unwrapAnyValue(record.body),
          attributes: toAttributes(record.attributes),
          eventName: record.eventName,
          traceId: orUndefined(record.traceId),
          spanId: orUndefined(record.spanId),
          flags: record.flags,
          droppedAttributesCount: record.droppedAttributesCount,
          resource,
          scope,
        });
      }
    }
  }
  return records;
}
