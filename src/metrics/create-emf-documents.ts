import {
  EMF_LIMITS,
  type EmfUnit,
  isMetricValueAccepted,
  isTimestampAccepted,
  type StorageResolution,
} from './emf-limits.js';
import { METRIC_PROBLEMS, reportDroppedDocument, reportMetricProblem } from './report-metric-problem.js';

/** One metric of a group: a summed value or the samples collected since the last flush. */
export interface EmfMetricInput {
  readonly name: string;
  readonly unit: EmfUnit;
  readonly storageResolution: StorageResolution;
  /** A number (a sum), or samples written as EMF value arrays of at most 100 values each. */
  readonly value: number | readonly number[];
}

/** Metrics that share dimension values and dimension sets: they can share documents. */
export interface EmfGroupInput {
  /** When the group's first value was recorded (ms since the epoch). */
  readonly timestamp: number;
  /** Dimension name -> value; every name used in `dimensionSets` must be here. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly dimensionSets: readonly (readonly string[])[];
  readonly metrics: readonly EmfMetricInput[];
}

interface MetricSlice {
  readonly metric: EmfMetricInput;
  readonly value: number | readonly number[];
}

/** Whether CloudWatch takes the value; one it would reject is reported (counted) and dropped. */
function isWritable(metric: EmfMetricInput, value: number): boolean {
  if (Number.isFinite(value) && isMetricValueAccepted(value)) return true;
  reportMetricProblem(
    METRIC_PROBLEMS.value,
    `value of "${metric.name.slice(0, 60)}"`,
    value,
    'is not a finite number between 2^-360 and 2^360 in magnitude (or 0); CloudWatch would reject the document',
  );
  return false;
}

// Splits every metric's values into slices of at most 100 (EMF limit on a value array). A sum
// is one slice. A value CloudWatch would reject (a non-finite one, or a sum grown past 2^360)
// is dropped here with a counted diagnostic, so no document can carry it or a `null`.
function sliceMetric(metric: EmfMetricInput): MetricSlice[] {
  if (typeof metric.value === 'number')
    return isWritable(metric, metric.value) ? [{ metric, value: metric.value }] : [];
  const values = metric.value.filter((value) => isWritable(metric, value));
  const slices: MetricSlice[] = [];
  for (let start = 0; start < values.length; start += EMF_LIMITS.maxValuesPerMetric) {
    const chunk = values.slice(start, start + EMF_LIMITS.maxValuesPerMetric);
    slices.push({ metric, value: chunk.length === 1 ? (chunk[0] as number) : chunk });
  }
  return slices;
}

function serialize(
  namespace: string,
  timestamp: number,
  group: EmfGroupInput,
  slices: readonly MetricSlice[],
): string {
  // Root members: `_aws` first, then the dimension values, then the metric values. Names were
  // validated on the way in, and a metric name never equals a dimension name (the recorder
  // rejects that), so no member overwrites another.
  const document: Record<string, unknown> = {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          // An empty list of sets would fail the specification; one empty set means "no dimensions".
          Dimensions: group.dimensionSets.length > 0 ? group.dimensionSets : [[]],
          Metrics: slices.map(({ metric }) =>
            metric.storageResolution === 1
              ? { Name: metric.name, Unit: metric.unit, StorageResolution: 1 }
              : { Name: metric.name, Unit: metric.unit },
          ),
        },
      ],
    },
  };
  for (const set of group.dimensionSets) {
    for (const name of set) document[name] = group.dimensions[name];
  }
  for (const { metric, value } of slices) document[metric.name] = value;
  return JSON.stringify(document);
}

// A document over the byte budget is split in two by metrics (or, for one metric, by values)
// until each half fits; in practice only pathological names and dimension values get here.
function serializeWithinBudget(
  namespace: string,
  timestamp: number,
  group: EmfGroupInput,
  slices: readonly MetricSlice[],
  out: string[],
): void {
  const text = serialize(namespace, timestamp, group, slices);
  if (Buffer.byteLength(text) <= EMF_LIMITS.maxDocumentBytes) {
    out.push(text);
    return;
  }
  if (slices.length > 1) {
    const half = Math.ceil(slices.length / 2);
    serializeWithinBudget(namespace, timestamp, group, slices.slice(0, half), out);
    serializeWithinBudget(namespace, timestamp, group, slices.slice(half), out);
    return;
  }
  const only = slices[0];
  if (only !== undefined && Array.isArray(only.value) && only.value.length > 1) {
    const values = only.value as readonly number[];
    const half = Math.ceil(values.length / 2);
    serializeWithinBudget(namespace, timestamp, group, [{ ...only, value: values.slice(0, half) }], out);
    serializeWithinBudget(namespace, timestamp, group, [{ ...only, value: values.slice(half) }], out);
    return;
  }
  // One metric with one value still over budget: the validation limits make it impossible
  // (30 dimension values of 1 KiB and a 255-character name are far below it), but a document
  // CloudWatch would split is never written: it is dropped and counted.
  reportDroppedDocument(
    `an EMF document for "${only?.metric.name.slice(0, 60) ?? ''}"`,
    Buffer.byteLength(text),
    EMF_LIMITS.maxDocumentBytes,
  );
}

/**
 * Turns one group of metrics into EMF documents (JSON text, one per line), valid by
 * construction: at most 100 metrics per directive, at most 100 values per metric (more are
 * split across documents, each metric at most once per document), a timestamp inside the
 * window CloudWatch accepts (else `now`), and each document within the size budget.
 *
 * @example
 * createEmfDocuments('Lookout', {
 *   timestamp: Date.now(),
 *   dimensions: { Service: 'orders', Environment: 'prod' },
 *   dimensionSets: [['Service', 'Environment']],
 *   metrics: [{ name: 'RequestCount', unit: 'Count', storageResolution: 60, value: 3 }],
 * });
 */
export function createEmfDocuments(namespace: string, group: EmfGroupInput, now = Date.now()): string[] {
  const timestamp = isTimestampAccepted(group.timestamp, now) ? group.timestamp : Math.trunc(now);
  const queues = group.metrics.map(sliceMetric).filter((slices) => slices.length > 0);
  const documents: string[] = [];
  while (queues.length > 0) {
    const batch: MetricSlice[] = [];
    for (let index = 0; index < queues.length && batch.length < EMF_LIMITS.maxMetricsPerDirective; ) {
      const queue = queues[index] as MetricSlice[];
      batch.push(queue.shift() as MetricSlice);
      if (queue.length === 0) queues.splice(index, 1);
      else index++;
    }
    serializeWithinBudget(namespace, timestamp, group, batch, documents);
  }
  return documents;
}
