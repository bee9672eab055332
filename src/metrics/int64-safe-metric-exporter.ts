import { ValueType } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type {
  AggregationOption,
  AggregationTemporality,
  InstrumentType,
  MetricData,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { fitAttributes, isOutOfRange } from '../tracing/otlp/int64-safe-span-exporter.js';

// An instrument declared as an integer (`valueType: ValueType.INT`) has its points written as
// OTLP `asInt`, an int64, whatever the value (2^70 from a 64-bit count read with parseInt):
// OTLP/JSON then writes a number a collector refuses with the whole request, every metric in it
// lost, and protobuf one that wraps around (0 for 2^70), a wrong value on a dashboard. Such a
// metric is sent as a double, which keeps the number. Over OTLP/JSON an integer attribute of a
// point past int64 is an `intValue` the collector refuses too: it is sent as its decimal text, as
// for spans (the protobuf serializer writes it as a double).
//
// NaN and ±Infinity (a ratio over a zero count) are doubles OTLP carries, but JSON.stringify writes
// them as `null`, which the collector refuses for a double with the whole request; a cumulative
// sum that once took a NaN keeps it, so every later export would be lost too. Over OTLP/JSON such
// a value (a point's, or a histogram's sum, min or max) is written as the protobuf JSON mapping
// writes it: the string "NaN", "Infinity" or "-Infinity", which the collector reads as the double.

function isNonFinite(value: unknown): value is number {
  return typeof value === 'number' && !Number.isFinite(value);
}

/** The point's value with its non-finite numbers as their JSON-mapping text; the same value when it has none. */
function fitJsonValue(value: unknown): unknown {
  if (isNonFinite(value)) return String(value);
  if (value === null || typeof value !== 'object') return value;
  const histogram = value as { sum?: unknown; min?: unknown; max?: unknown };
  if (!isNonFinite(histogram.sum) && !isNonFinite(histogram.min) && !isNonFinite(histogram.max)) return value;
  const copy: Record<string, unknown> = { ...histogram };
  for (const key of ['sum', 'min', 'max'] as const) if (isNonFinite(copy[key])) copy[key] = String(copy[key]);
  return copy;
}

function fitMetric(metric: MetricData, json: boolean): MetricData {
  const integers = metric.descriptor.valueType === ValueType.INT;
  let pastInt64 = false;
  let points: unknown[] | undefined;
  const given = metric.dataPoints as ReadonlyArray<{
    value: unknown;
    attributes: MetricData['dataPoints'][number]['attributes'];
  }>;
  given.forEach((point, index) => {
    // NaN too: an `asInt` cannot hold it (the SDK drops it from an integer instrument today).
    if (integers && isOutOfRange(point.value)) pastInt64 = true;
    if (!json) return;
    const attributes = fitAttributes(point.attributes);
    const value = fitJsonValue(point.value);
    if (attributes === point.attributes && value === point.value) return;
    points ??= [...given];
    points[index] = { ...point, attributes, value };
  });
  if (!pastInt64 && points === undefined) return metric;
  return {
    ...metric,
    ...(pastInt64 ? { descriptor: { ...metric.descriptor, valueType: ValueType.DOUBLE } } : {}),
    ...(points === undefined ? {} : { dataPoints: points }),
  } as MetricData;
}

/**
 * The metrics with every integer past the int64 range sent as OTLP can carry it; the same
 * object when there is none (the usual case: one pass over the points of an export).
 *
 * @example
 * withInt64Metrics(resourceMetrics, false); // a counter of ValueType.INT at 2^70 -> its descriptor says DOUBLE
 */
export function withInt64Metrics(metrics: ResourceMetrics, json: boolean): ResourceMetrics {
  let scopes: ResourceMetrics['scopeMetrics'] | undefined;
  metrics.scopeMetrics.forEach((scope, scopeIndex) => {
    let fitted: MetricData[] | undefined;
    scope.metrics.forEach((metric, index) => {
      const fit = fitMetric(metric, json);
      if (fit === metric) return;
      fitted ??= [...scope.metrics];
      fitted[index] = fit;
    });
    if (fitted === undefined) return;
    scopes ??= [...metrics.scopeMetrics];
    scopes[scopeIndex] = { ...scope, metrics: fitted };
  });
  return scopes === undefined ? metrics : { ...metrics, scopeMetrics: scopes };
}

/** Hands metrics to an OTLP metric exporter with their integers past int64 as it can send them. */
export class Int64SafeMetricExporter implements PushMetricExporter {
  readonly #inner: PushMetricExporter;
  readonly #json: boolean;
  // The reader asks the exporter these (the temporality OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE chose).
  selectAggregationTemporality?: (instrumentType: InstrumentType) => AggregationTemporality;
  selectAggregation?: (instrumentType: InstrumentType) => AggregationOption;

  constructor(inner: PushMetricExporter, json: boolean) {
    this.#inner = inner;
    this.#json = json;
    if (inner.selectAggregationTemporality !== undefined)
      this.selectAggregationTemporality = inner.selectAggregationTemporality.bind(inner);
    if (inner.selectAggregation !== undefined) this.selectAggregation = inner.selectAggregation.bind(inner);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.#inner.export(withInt64Metrics(metrics, this.#json), resultCallback);
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
}
