// Turns stored metric points into the series the metrics page draws: request rate, latency
// p50/p99, Error/Fault counts and one series per custom metric, in time buckets. EMF request
// metrics (RequestCount, Invocations, Latency, Error, Fault) are used when present; otherwise
// the OpenTelemetry HTTP server duration histogram stands in (count, status, buckets).
import type { ViewerHistogram, ViewerMetricPoint } from './viewer-records.js';

export interface SeriesPoint {
  readonly t: number;
  readonly value: number;
}

export interface LatencyPoint {
  readonly t: number;
  readonly p50: number;
  readonly p99: number;
}

export interface ErrorPoint {
  readonly t: number;
  readonly error: number;
  readonly fault: number;
}

export interface CustomSeries {
  readonly name: string;
  readonly unit: string;
  readonly source: 'emf' | 'otlp';
  /** How values in one bucket are combined. */
  readonly aggregation: 'sum' | 'avg';
  readonly points: SeriesPoint[];
}

export interface MetricsSummary {
  readonly bucketMs: number;
  /** Where the request series came from. */
  readonly requestSource: 'emf' | 'otlp' | 'none';
  readonly requests: SeriesPoint[];
  /** Latency in milliseconds. */
  readonly latency: LatencyPoint[];
  readonly errors: ErrorPoint[];
  readonly custom: CustomSeries[];
}

const EMF_REQUEST_METRICS = new Set(['RequestCount', 'Invocations', 'Latency', 'Error', 'Fault']);
const OTLP_DURATION_METRICS = new Set(['http.server.request.duration', 'http.server.duration']);
const BUCKET_SIZES_MS = [1000, 5000, 10_000, 15_000, 30_000, 60_000, 300_000, 900_000, 3_600_000];
const MAX_BUCKETS = 60;
const MAX_CUSTOM_SERIES = 24;

function chooseBucket(points: readonly ViewerMetricPoint[]): { bucketMs: number; from: number; to: number } {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const point of points) {
    from = Math.min(from, point.timeMs);
    to = Math.max(to, point.timeMs);
  }
  if (!Number.isFinite(from)) return { bucketMs: BUCKET_SIZES_MS[0] ?? 1000, from: 0, to: -1 };
  const range = to - from;
  const widest = BUCKET_SIZES_MS.at(-1) ?? 3_600_000;
  // Points more than 60 hours apart (an EMF Timestamp written in seconds or microseconds, a
  // clock far off) get buckets wide enough to stay within MAX_BUCKETS, in whole hours: one
  // bucket per hour would be millions of buckets, a response of tens of megabytes or more
  // than an array can hold.
  const bucketMs =
    BUCKET_SIZES_MS.find((size) => range / size < MAX_BUCKETS) ??
    Math.ceil(range / (MAX_BUCKETS - 1) / widest) * widest;
  return { bucketMs, from: Math.floor(from / bucketMs) * bucketMs, to };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

/** A percentile from histogram buckets, interpolated linearly inside the bucket it falls in. */
export function histogramPercentile(histogram: ViewerHistogram, p: number): number {
  const total = histogram.counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return 0;
  const target = (p / 100) * total;
  let seen = 0;
  for (let i = 0; i < histogram.counts.length; i += 1) {
    const count = histogram.counts[i] ?? 0;
    if (count > 0 && seen + count >= target) {
      const lower = i === 0 ? 0 : (histogram.bounds[i - 1] ?? 0);
      const upper = histogram.bounds[i] ?? lower;
      return lower + (upper - lower) * ((target - seen) / count);
    }
    seen += count;
  }
  return histogram.bounds.at(-1) ?? 0;
}

/** Per-stream state to turn cumulative OTLP values into deltas. */
class Deltas {
  #previous = new Map<string, { values: readonly number[]; histogram: ViewerHistogram | undefined }>();

  of(point: ViewerMetricPoint): { values: number[]; histogram: ViewerHistogram | undefined } {
    if (point.temporality !== 'CUMULATIVE') return { values: [...point.values], histogram: point.histogram };
    const key = `${point.name}\u0000${point.service ?? ''}\u0000${JSON.stringify(point.dimensions)}`;
    const previous = this.#previous.get(key);
    this.#previous.set(key, { values: point.values, histogram: point.histogram });
    const reset =
      previous === undefined ||
      (point.histogram !== undefined && point.histogram.count < (previous.histogram?.count ?? 0)) ||
      (point.values[0] ?? 0) < (previous.values[0] ?? 0);
    if (reset) return { values: [...point.values], histogram: point.histogram };
    const values = point.values.map((value, i) => value - (previous.values[i] ?? 0));
    const histogram =
      point.histogram === undefined
        ? undefined
        : {
            ...point.histogram,
            count: point.histogram.count - (previous.histogram?.count ?? 0),
            sum:
              point.histogram.sum === undefined
                ? undefined
                : point.histogram.sum - (previous.histogram?.sum ?? 0),
            counts: point.histogram.counts.map((count, i) => count - (previous.histogram?.counts[i] ?? 0)),
          };
    return { values, histogram };
  }
}

interface Bucket {
  requests: number;
  error: number;
  fault: number;
  latencies: number[];
  histogram: { bounds: readonly number[]; counts: number[] } | undefined;
}

function statusOf(point: ViewerMetricPoint): number | undefined {
  const raw = point.dimensions['http.response.status_code'] ?? point.dimensions['http.status_code'];
  const status = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(status) ? status : undefined;
}

/**
 * The series of the metrics page from the points held now.
 *
 * @example
 * summarizeMetrics(store.metrics.toArray());
 */
export function summarizeMetrics(points: readonly ViewerMetricPoint[]): MetricsSummary {
  const { bucketMs, from, to } = chooseBucket(points);
  // The bound holds even where the range overflows a double (NaN gives no buckets).
  const count = to < from ? 0 : Math.min(MAX_BUCKETS + 1, Math.floor((to - from) / bucketMs) + 1);
  const bucketIndex = (timeMs: number) => Math.floor((timeMs - from) / bucketMs);
  const buckets: Bucket[] = Array.from({ length: count }, () => ({
    requests: 0,
    error: 0,
    fault: 0,
    latencies: [],
    histogram: undefined,
  }));
  const hasEmf = points.some((point) => point.source === 'emf' && EMF_REQUEST_METRICS.has(point.name));
  const hasOtlp = points.some((point) => point.source === 'otlp' && OTLP_DURATION_METRICS.has(point.name));
  const requestSource = hasEmf ? 'emf' : hasOtlp ? 'otlp' : 'none';
  const custom = new Map<string, CustomSeries & { sums: Map<number, { total: number; n: number }> }>();
  const deltas = new Deltas();

  for (const point of points) {
    const bucket = buckets[bucketIndex(point.timeMs)];
    if (bucket === undefined) continue;
    const isRequestMetric =
      point.source === 'emf' ? EMF_REQUEST_METRICS.has(point.name) : OTLP_DURATION_METRICS.has(point.name);
    const delta = deltas.of(point);
    if (isRequestMetric) {
      if (point.source !== requestSource) continue;
      if (point.source === 'emf') addEmf(bucket, point.name, delta.values);
      else addOtlpDuration(bucket, point, delta.histogram);
      continue;
    }
    const key = `${point.source}\u0000${point.name}`;
    let series = custom.get(key);
    if (series === undefined) {
      if (custom.size >= MAX_CUSTOM_SERIES) continue;
      const aggregation =
        point.source === 'emf'
          ? point.unit === 'Count'
            ? 'sum'
            : 'avg'
          : point.type === 'sum'
            ? 'sum'
            : 'avg';
      series = {
        name: point.name,
        unit: point.unit,
        source: point.source,
        aggregation,
        points: [],
        sums: new Map(),
      };
      custom.set(key, series);
    }
    const index = bucketIndex(point.timeMs);
    const slot = series.sums.get(index) ?? { total: 0, n: 0 };
    if (delta.histogram !== undefined) {
      if (delta.histogram.count > 0 && delta.histogram.sum !== undefined) {
        slot.total += delta.histogram.sum;
        slot.n += delta.histogram.count;
      }
    } else {
      for (const value of delta.values) {
        slot.total += value;
        slot.n += 1;
      }
    }
    series.sums.set(index, slot);
  }

  const t = (index: number) => from + index * bucketMs;
  return {
    bucketMs,
    requestSource,
    requests: buckets.map((bucket, i) => ({ t: t(i), value: bucket.requests })),
    latency: buckets.flatMap((bucket, i) => latencyOf(bucket, t(i))),
    errors: buckets.map((bucket, i) => ({ t: t(i), error: bucket.error, fault: bucket.fault })),
    custom: [...custom.values()]
      .map(({ sums, ...series }) => ({
        ...series,
        points: [...sums.entries()]
          .sort(([a], [b]) => a - b)
          .map(([index, { total, n }]) => ({
            t: t(index),
            value: series.aggregation === 'sum' ? total : n === 0 ? 0 : total / n,
          })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function addEmf(bucket: Bucket, name: string, values: readonly number[]): void {
  const total = values.reduce((sum, value) => sum + value, 0);
  if (name === 'RequestCount' || name === 'Invocations') bucket.requests += total;
  else if (name === 'Error') bucket.error += total;
  else if (name === 'Fault') bucket.fault += total;
  else if (name === 'Latency') bucket.latencies.push(...values);
}

function addOtlpDuration(
  bucket: Bucket,
  point: ViewerMetricPoint,
  histogram: ViewerHistogram | undefined,
): void {
  if (histogram === undefined || histogram.count <= 0) return;
  bucket.requests += histogram.count;
  const status = statusOf(point);
  if (status !== undefined && status >= 500) bucket.fault += histogram.count;
  else if (status !== undefined && status >= 400) bucket.error += histogram.count;
  // Seconds (current conventions) or milliseconds (`http.server.duration`, older ones).
  const scale = point.unit === 's' ? 1000 : 1;
  const bounds = histogram.bounds.map((bound) => bound * scale);
  if (bucket.histogram === undefined || bucket.histogram.bounds.length !== bounds.length) {
    if (bucket.histogram !== undefined) return;
    bucket.histogram = { bounds, counts: histogram.counts.map((value) => value) };
    return;
  }
  const merged = bucket.histogram;
  histogram.counts.forEach((value, i) => {
    merged.counts[i] = (merged.counts[i] ?? 0) + value;
  });
}

function latencyOf(bucket: Bucket, t: number): LatencyPoint[] {
  if (bucket.latencies.length > 0) {
    const sorted = [...bucket.latencies].sort((a, b) => a - b);
    return [{ t, p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
  }
  if (bucket.histogram !== undefined) {
    const histogram = { count: 0, sum: undefined, ...bucket.histogram };
    return [{ t, p50: histogramPercentile(histogram, 50), p99: histogramPercentile(histogram, 99) }];
  }
  return [];
}
