import { EMF_LIMITS } from './emf-limits.js';
import { reportDroppedDocument } from './report-metric-problem.js';

interface MetricDefinition {
  readonly Name: string;
}

interface MetricDirective {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly MetricDefinition[];
}

/** An EMF document as Powertools serialises it: one directive, members at the root. */
export interface SerializedEmf {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: readonly MetricDirective[] };
  readonly [member: string]: unknown;
}

type MetricValue = number | readonly number[];

const byteLength = (text: string): number => Buffer.byteLength(text);

/**
 * Brings one EMF document under the size of a CloudWatch Logs event: as it is when it fits,
 * otherwise split into documents that each carry the dimensions, the metadata and a share of
 * the metrics (one metric's values split in two when one metric alone is too big). Metadata
 * that alone keeps a document over the limit is dropped, then, if still over, the document;
 * each drop is reported once and counted (`LOOKOUT_METRIC_INVALID`). Every value the input
 * holds is in exactly one output document, unless dropped.
 *
 * @example
 * for (const line of fitEmfDocument(metrics.serializeMetrics())) process.stdout.write(`${line}\n`);
 */
export function fitEmfDocument(
  document: SerializedEmf,
  maxBytes: number = EMF_LIMITS.maxDocumentBytes,
): string[] {
  const whole = JSON.stringify(document);
  if (byteLength(whole) <= maxBytes) return [whole];
  const directive = document._aws.CloudWatchMetrics[0];
  if (directive === undefined || document._aws.CloudWatchMetrics.length !== 1) {
    reportDroppedDocument('an EMF document with other than one directive', byteLength(whole), maxBytes);
    return [];
  }
  const metricNames = new Set(directive.Metrics.map((definition) => definition.Name));
  const dimensionNames = new Set(directive.Dimensions.flat());
  const dimensions: Record<string, unknown> = {};
  let metadata: Record<string, unknown> = {};
  const values: Record<string, MetricValue> = {};
  for (const [key, value] of Object.entries(document)) {
    if (key === '_aws') continue;
    if (metricNames.has(key)) values[key] = value as MetricValue;
    else if (dimensionNames.has(key)) dimensions[key] = value;
    else metadata[key] = value;
  }

  const serialize = (definitions: readonly MetricDefinition[], slice: Record<string, MetricValue>) => {
    const out: Record<string, unknown> = {
      _aws: {
        Timestamp: document._aws.Timestamp,
        CloudWatchMetrics: [{ ...directive, Metrics: definitions }],
      },
      ...metadata,
      ...dimensions,
    };
    for (const definition of definitions) out[definition.Name] = slice[definition.Name];
    return JSON.stringify(out);
  };

  // Dimensions and metadata are repeated in every piece: when they alone (with the smallest
  // metric) do not fit, splitting cannot help, and metadata is what goes.
  const first = directive.Metrics[0];
  if (first === undefined) return [];
  const firstValue = values[first.Name];
  const smallest = { [first.Name]: Array.isArray(firstValue) ? (firstValue[0] ?? 0) : (firstValue ?? 0) };
  if (byteLength(serialize([first], smallest)) > maxBytes && Object.keys(metadata).length > 0) {
    reportDroppedDocument('the metadata of an EMF document', byteLength(JSON.stringify(metadata)), maxBytes);
    metadata = {};
  }

  const out: string[] = [];
  const place = (definitions: readonly MetricDefinition[], slice: Record<string, MetricValue>): void => {
    const text = serialize(definitions, slice);
    if (byteLength(text) <= maxBytes) {
      out.push(text);
      return;
    }
    if (definitions.length > 1) {
      const half = Math.ceil(definitions.length / 2);
      place(definitions.slice(0, half), slice);
      place(definitions.slice(half), slice);
      return;
    }
    const only = definitions[0] as MetricDefinition;
    const value = slice[only.Name];
    if (Array.isArray(value) && value.length > 1) {
      const half = Math.ceil(value.length / 2);
      place(definitions, { [only.Name]: value.slice(0, half) });
      place(definitions, { [only.Name]: value.slice(half) });
      return;
    }
    reportDroppedDocument(`an EMF document for "${only.Name.slice(0, 60)}"`, byteLength(text), maxBytes);
  };
  place(directive.Metrics, values);
  return out;
}
