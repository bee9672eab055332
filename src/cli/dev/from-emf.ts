// CloudWatch Embedded Metric Format documents to viewer metric points: one point per metric
// of each directive, carrying the values of every dimension the directive names (a document
// publishing the same values under two dimension sets gives one point, not two, so sums are
// not doubled).
import type { ViewerMetricPoint } from './viewer-records.js';

interface EmfMetricDefinition {
  readonly Name?: unknown;
  readonly Unit?: unknown;
}

interface EmfDirective {
  readonly Namespace?: unknown;
  readonly Dimensions?: unknown;
  readonly Metrics?: unknown;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * EMF's own limits (CloudWatch's EMF specification; docs/design.md decision 6): 100 metrics
 * per document and 100 values per metric. Past them CloudWatch extracts nothing, and the viewer
 * keeps the first ones: without a bound, one line naming the same array under thousands of
 * metric definitions made a copy of it per definition, gigabytes from a line of 200 KB.
 */
const MAX_METRICS_PER_DOCUMENT = 100;
const MAX_VALUES_PER_METRIC = 100;

/** Whether a parsed JSON line is an EMF document (has `_aws.CloudWatchMetrics`). */
export function isEmfDocument(value: Record<string, unknown>): boolean {
  const aws = value._aws;
  return (
    aws !== null &&
    typeof aws === 'object' &&
    Array.isArray((aws as Record<string, unknown>).CloudWatchMetrics)
  );
}

/**
 * The metric points of one EMF document; malformed parts are skipped.
 *
 * @example
 * metricsFromEmf(JSON.parse(line), () => seq++);
 */
export function metricsFromEmf(
  document: Record<string, unknown>,
  nextSeq: () => number,
): ViewerMetricPoint[] {
  const aws = document._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown };
  const timeMs = finite(aws.Timestamp) ? aws.Timestamp : Date.now();
  const points: ViewerMetricPoint[] = [];
  for (const directive of Array.isArray(aws.CloudWatchMetrics)
    ? (aws.CloudWatchMetrics as EmfDirective[])
    : []) {
    const dimensions: Record<string, string> = {};
    const sets = Array.isArray(directive?.Dimensions) ? directive.Dimensions : [];
    for (const set of sets) {
      if (!Array.isArray(set)) continue;
      for (const key of set) {
        const value = typeof key === 'string' ? document[key] : undefined;
        if (typeof value === 'string') dimensions[key as string] = value;
      }
    }
    for (const metric of Array.isArray(directive?.Metrics)
      ? (directive.Metrics as EmfMetricDefinition[])
      : []) {
      if (points.length >= MAX_METRICS_PER_DOCUMENT) return points;
      if (typeof metric?.Name !== 'string') continue;
      const raw = document[metric.Name];
      const values = Array.isArray(raw)
        ? raw.slice(0, MAX_VALUES_PER_METRIC).filter(finite)
        : finite(raw)
          ? [raw]
          : [];
      if (values.length === 0) continue;
      points.push({
        seq: nextSeq(),
        timeMs,
        name: metric.Name,
        unit: typeof metric.Unit === 'string' ? metric.Unit : 'None',
        source: 'emf',
        dimensions,
        values,
        type: undefined,
        temporality: undefined,
        histogram: undefined,
        service: dimensions.Service ?? dimensions.service,
      });
    }
  }
  return points;
}
