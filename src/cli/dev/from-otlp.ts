// OTLP records (flattened by src/cli/otlp) to the viewer's records.
import type { FlatLogRecord, FlatMetricPoint, FlatSpan } from '../otlp/index.js';
import { normalizeTraceId } from './normalize-trace-id.js';
import { toJsonObject, toJsonValue } from './to-json-value.js';
import type { ViewerLog, ViewerMetricPoint, ViewerSpan } from './viewer-records.js';

const nanosToMs = (nanos: bigint): number => Number(nanos / 1000n) / 1000;

function serviceOf(resource: Readonly<Record<string, unknown>>): string | undefined {
  const name = resource['service.name'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * A viewer span from a flattened OTLP span; undefined when its trace id is unusable.
 *
 * @example
 * flattenSpans(decodeTraceRequest(body)).map(spanFromOtlp);
 */
export function spanFromOtlp(span: FlatSpan): ViewerSpan | undefined {
  const traceId = normalizeTraceId(span.traceId);
  if (traceId === undefined || span.spanId === '') return undefined;
  return {
    traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    service: serviceOf(span.resource),
    startMs: nanosToMs(span.startTimeUnixNano),
    durationMs: Math.max(0, span.durationMs),
    startNs: span.startTimeUnixNano.toString(),
    endNs: (span.endTimeUnixNano > span.startTimeUnixNano
      ? span.endTimeUnixNano
      : span.startTimeUnixNano
    ).toString(),
    status: span.status.code,
    statusMessage: span.status.message,
    attributes: toJsonObject(span.attributes),
    events: span.events.map((event) => ({
      name: event.name,
      timeMs: nanosToMs(event.timeUnixNano),
      attributes: toJsonObject(event.attributes),
    })),
    source: 'otlp',
  };
}

/** OTLP severity numbers 1–24 in six ranges of four. */
const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

function levelOf(record: FlatLogRecord): string | undefined {
  if (record.severityText !== '') return record.severityText.toUpperCase();
  if (record.severityNumber < 1) return undefined;
  return SEVERITY_NAMES[Math.min(5, Math.floor((record.severityNumber - 1) / 4))];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * A viewer log line from a flattened OTLP log record.
 *
 * @example
 * flattenLogs(decodeLogsRequest(body)).map((record) => logFromOtlp(record, nextSeq()));
 */
export function logFromOtlp(record: FlatLogRecord, seq: number): ViewerLog {
  const body = record.body;
  const time = record.timeUnixNano > 0n ? record.timeUnixNano : record.observedTimeUnixNano;
  return {
    seq,
    timeMs: time > 0n ? nanosToMs(time) : Date.now(),
    level: levelOf(record),
    message: typeof body === 'string' ? body : JSON.stringify(toJsonValue(body)),
    service: serviceOf(record.resource),
    traceId: normalizeTraceId(record.traceId),
    spanId: record.spanId,
    requestId: text(record.attributes.request_id) ?? text(record.attributes['http.request.id']),
    source: 'otlp',
    fields: toJsonObject(record.attributes),
  };
}

function dimensionsOf(attributes: Readonly<Record<string, unknown>>): Record<string, string> {
  const dimensions: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    dimensions[key] = typeof value === 'string' ? value : JSON.stringify(toJsonValue(value));
  }
  return dimensions;
}

/**
 * A viewer metric point from a flattened OTLP data point. Exponential histograms and summaries
 * keep their count and sum only (no chart reads their buckets).
 *
 * @example
 * flattenMetrics(decodeMetricsRequest(body)).map((point) => metricFromOtlp(point, nextSeq()));
 */
export function metricFromOtlp(point: FlatMetricPoint, seq: number): ViewerMetricPoint {
  const base = {
    seq,
    timeMs: point.timeUnixNano > 0n ? nanosToMs(point.timeUnixNano) : Date.now(),
    name: point.name,
    unit: point.unit,
    source: 'otlp' as const,
    dimensions: dimensionsOf(point.attributes),
    type: point.type,
    service: serviceOf(point.resource),
  };
  switch (point.type) {
    case 'gauge':
    case 'sum':
      return {
        ...base,
        values: point.value === undefined ? [] : [point.value],
        temporality: point.type === 'sum' ? point.aggregationTemporality : undefined,
        histogram: undefined,
      };
    case 'histogram':
      return {
        ...base,
        values: [],
        temporality: point.aggregationTemporality,
        histogram: {
          count: point.count,
          sum: point.sum,
          bounds: point.explicitBounds,
          counts: point.bucketCounts,
        },
      };
    case 'exponentialHistogram':
      return {
        ...base,
        values: [],
        temporality: point.aggregationTemporality,
        histogram: { count: point.count, sum: point.sum, bounds: [], counts: [point.count] },
      };
    default:
      return {
        ...base,
        values: [],
        temporality: 'CUMULATIVE',
        histogram: { count: point.count, sum: point.sum, bounds: [], counts: [point.count] },
      };
  }
}
