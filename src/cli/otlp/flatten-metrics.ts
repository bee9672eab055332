// Flattens decoded metrics requests into one plain record per data point, carrying its metric,
// resource and scope, with attributes as plain objects.

import type { OtlpKeyValue } from './common-schema.js';
import {
  type Attributes,
  enumName,
  type FlatScope,
  flattenResource,
  flattenScope,
  orUndefined,
  toAttributes,
} from './flatten-values.js';
import { AGGREGATION_TEMPORALITY, type OtlpExemplar, type OtlpMetricsRequest } from './metrics-schema.js';

/** Aggregation temporalities by their OTLP enum value. */
export const AGGREGATION_TEMPORALITIES = AGGREGATION_TEMPORALITY.names;
export type AggregationTemporalityName = (typeof AGGREGATION_TEMPORALITIES)[number];

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
