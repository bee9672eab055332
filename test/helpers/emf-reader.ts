// The EMF protocol peer: reads what a process wrote to stdout, picks out the CloudWatch EMF
// documents, validates each against the specification (emf-schema.json plus the rules JSON
// Schema cannot express, checked below) and sums the values per metric and dimension set, as
// CloudWatch would when it extracts the metrics.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

const schema: unknown = JSON.parse(readFileSync(new URL('./emf-schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true });
const validateSchema = ajv.compile(schema as object);

const MAX_VALUES_PER_METRIC = 100;
const MAX_DIMENSION_VALUE_LENGTH = 1024;
const MAX_TIMESTAMP_AGE_MS = 14 * 24 * 60 * 60 * 1000;
const MAX_TIMESTAMP_AHEAD_MS = 2 * 60 * 60 * 1000;
// One document is one CloudWatch Logs event: 256 KiB less the 26 bytes PutLogEvents counts per
// event, the size log shippers (the awslogs driver, the CloudWatch agent) still hold events to.
const MAX_EVENT_BYTES = 256 * 1024 - 26;
// CloudWatch rejects metric values other than 0 whose magnitude is outside 2^-360 .. 2^360
// (PutMetricData, MetricDatum.Value), so such a value would lose the whole document.
const MIN_VALUE_MAGNITUDE = 2 ** -360;
const MAX_VALUE_MAGNITUDE = 2 ** 360;

function isAcceptedValue(value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const magnitude = Math.abs(value);
  return magnitude === 0 || (magnitude >= MIN_VALUE_MAGNITUDE && magnitude <= MAX_VALUE_MAGNITUDE);
}

interface MetricDefinition {
  readonly Name: string;
  readonly Unit?: string;
  readonly StorageResolution?: number;
}

interface MetricDirective {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly MetricDefinition[];
}

/** A document that passed every check. */
export interface EmfDocument {
  readonly line: string;
  readonly timestamp: number;
  readonly directives: readonly MetricDirective[];
  readonly root: Readonly<Record<string, unknown>>;
}

/** A line that claims to be EMF (a JSON object with `_aws`, or text that mentions it) but is not valid. */
export interface InvalidEmfLine {
  readonly line: string;
  readonly errors: readonly string[];
}

export interface EmfReadResult {
  readonly documents: readonly EmfDocument[];
  readonly invalid: readonly InvalidEmfLine[];
  /** Lines that are not EMF at all (the app's own output), ignored. */
  readonly otherLines: number;
}

function checkBeyondSchema(root: Record<string, unknown>, now: number): string[] {
  const errors: string[] = [];
  const aws = root._aws as { Timestamp: number; CloudWatchMetrics: MetricDirective[] };
  if (aws.Timestamp < now - MAX_TIMESTAMP_AGE_MS || aws.Timestamp > now + MAX_TIMESTAMP_AHEAD_MS)
    errors.push(`Timestamp ${aws.Timestamp} is outside the accepted window`);
  for (const directive of aws.CloudWatchMetrics) {
    const dimensionKeys = new Set<string>();
    for (const set of directive.Dimensions) {
      for (const key of set) {
        dimensionKeys.add(key);
        const value = root[key];
        if (typeof value !== 'string') errors.push(`dimension "${key}" is not a string member of the root`);
        else if (value.trim() === '' || value.length > MAX_DIMENSION_VALUE_LENGTH)
          errors.push(`dimension "${key}" has an empty or over-long value`);
      }
    }
    if (directive.Metrics.length === 0) errors.push(`a directive in ${directive.Namespace} has no metrics`);
    const names = new Set<string>();
    for (const { Name } of directive.Metrics) {
      if (names.has(Name)) errors.push(`metric "${Name}" is defined twice in one directive`);
      names.add(Name);
      if (dimensionKeys.has(Name)) errors.push(`metric "${Name}" is also a dimension`);
      const value = root[Name];
      if (Array.isArray(value)) {
        if (value.length === 0 || value.length > MAX_VALUES_PER_METRIC)
          errors.push(`metric "${Name}" has ${value.length} values (1 to ${MAX_VALUES_PER_METRIC} allowed)`);
        if (!value.every((item) => typeof item === 'number' && Number.isFinite(item)))
          errors.push(`metric "${Name}" has a value that is not a finite number`);
        else if (!value.every(isAcceptedValue))
          errors.push(`metric "${Name}" has a value CloudWatch rejects (outside 2^-360 .. 2^360)`);
      } else if (typeof value !== 'number' || !Number.isFinite(value)) {
        errors.push(`metric "${Name}" is not a number member of the root`);
      } else if (!isAcceptedValue(value)) {
        errors.push(`metric "${Name}" is ${value}, which CloudWatch rejects (outside 2^-360 .. 2^360)`);
      }
    }
  }
  return errors;
}

/**
 * Validates one line as an EMF document. Returns the list of problems (empty when valid).
 *
 * @example
 * expect(validateEmfLine(line, Date.now())).toEqual([]);
 */
export function validateEmfLine(line: string, now = Date.now()): string[] {
  const bytes = Buffer.byteLength(line);
  if (bytes > MAX_EVENT_BYTES) return [`${bytes} bytes, over the ${MAX_EVENT_BYTES}-byte event limit`];
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return [`not JSON: ${(error as Error).message}`];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return ['not a JSON object'];
  if (!validateSchema(parsed)) {
    return (validateSchema.errors ?? []).map(
      (error) => `${error.instancePath || '/'} ${error.message ?? ''}`,
    );
  }
  return checkBeyondSchema(parsed as Record<string, unknown>, now);
}

/**
 * Reads stdout text: every line that is (or claims to be) an EMF document is validated;
 * other lines are counted and ignored.
 *
 * @example
 * const { documents, invalid } = readEmf(stdout);
 * expect(invalid).toEqual([]);
 */
export function readEmf(text: string, now = Date.now()): EmfReadResult {
  const documents: EmfDocument[] = [];
  const invalid: InvalidEmfLine[] = [];
  let otherLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    // A line that mentions `_aws` but does not parse is a corrupted document, not app output.
    if (!line.includes('"_aws"')) {
      otherLines++;
      continue;
    }
    const errors = validateEmfLine(line, now);
    if (errors.length > 0) {
      invalid.push({ line, errors });
      continue;
    }
    const root = JSON.parse(line) as Record<string, unknown>;
    const aws = root._aws as { Timestamp: number; CloudWatchMetrics: MetricDirective[] };
    documents.push({ line, timestamp: aws.Timestamp, directives: aws.CloudWatchMetrics, root });
  }
  return { documents, invalid, otherLines };
}

/** The sum of one metric under one dimension set, across documents. */
export interface MetricSum {
  readonly namespace: string;
  readonly name: string;
  readonly unit: string | undefined;
  /** Dimension name -> value, for the names of this dimension set. */
  readonly dimensions: Readonly<Record<string, string>>;
  sum: number;
  /** How many values were recorded (an array of 100 is 100 samples). */
  sampleCount: number;
  readonly values: number[];
}

function seriesKey(namespace: string, name: string, dimensions: Record<string, string>): string {
  const entries = Object.entries(dimensions).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([namespace, name, entries]);
}

/**
 * Sums every metric value per namespace, metric name and dimension set, the way CloudWatch
 * extracts them: a value published under two dimension sets counts once in each.
 *
 * @example
 * const sums = sumEmf(documents);
 * findSum(sums, 'RequestCount', { Service: 'api', Environment: 'test', Operation: 'GET /a' })?.sum;
 */
export function sumEmf(documents: readonly EmfDocument[]): Map<string, MetricSum> {
  const sums = new Map<string, MetricSum>();
  for (const document of documents) {
    for (const directive of document.directives) {
      for (const set of directive.Dimensions) {
        const dimensions: Record<string, string> = {};
        for (const key of set) dimensions[key] = document.root[key] as string;
        for (const metric of directive.Metrics) {
          const key = seriesKey(directive.Namespace, metric.Name, dimensions);
          let entry = sums.get(key);
          if (entry === undefined) {
            entry = {
              namespace: directive.Namespace,
              name: metric.Name,
              unit: metric.Unit,
              dimensions,
              sum: 0,
              sampleCount: 0,
              values: [],
            };
            sums.set(key, entry);
          }
          const raw = document.root[metric.Name];
          const values = Array.isArray(raw) ? (raw as number[]) : [raw as number];
          for (const value of values) {
            entry.sum += value;
            entry.sampleCount++;
            entry.values.push(value);
          }
        }
      }
    }
  }
  return sums;
}

/** The sum for exactly this metric and dimension set, if anything was recorded under it. */
export function findSum(
  sums: ReadonlyMap<string, MetricSum>,
  name: string,
  dimensions: Record<string, string>,
  namespace?: string,
): MetricSum | undefined {
  for (const entry of sums.values()) {
    if (entry.name !== name || (namespace !== undefined && entry.namespace !== namespace)) continue;
    const keys = Object.keys(entry.dimensions);
    if (keys.length !== Object.keys(dimensions).length) continue;
    if (keys.every((key) => entry.dimensions[key] === dimensions[key])) return entry;
  }
  return undefined;
}
