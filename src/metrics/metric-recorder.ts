import { checkMetricName, checkMetricValue, EMF_LIMITS, type StorageResolution } from '../emf/emf-limits.js';
import {
  DEFAULT_INVOCATION_OPERATION,
  DIMENSION_NAMES,
  LOOKOUT_METRICS,
  METRIC_AGGREGATIONS,
  OTHER_METHOD,
  UNMATCHED_ROUTE,
} from '../emf/metric-names.js';
import { roundMs } from '../runtime/index.js';
import { acceptDimension, dimensionEntries, type NameClash } from './accept-dimensions.js';
import { createEmfDocuments, type EmfGroupInput } from './create-emf-documents.js';
import {
  type AddOutcome,
  type GroupDescription,
  MetricAggregator,
  type SeriesDefinition,
} from './metric-aggregator.js';
import { METRIC_PROBLEMS, reportMetricProblem, reportMetricsLimit } from './report-metric-problem.js';
import { GC_TYPE_DIMENSION, RUNTIME_METRICS } from './runtime-metric-names.js';
import type { RuntimeSample } from './runtime-metrics-collector.js';
import type { EmfWriter } from './write-to-stdout.js';

/**
 * One HTTP request, as an adapter (the Express `observe()` middleware) reports it when the
 * response has finished.
 */
export interface RequestRecord {
  /** The request method; anything outside the standard methods is recorded as `OTHER`. */
  readonly method: string;
  /**
   * The matched route template (`/orders/:id`), never the raw path; `undefined` when no route
   * matched, which records the shared `UNMATCHED` bucket (docs/design.md decision 6).
   */
  readonly route: string | undefined;
  /** The response status: 4xx counts as `Error`, 5xx as `Fault`. */
  readonly statusCode: number;
  /** Time from request received to response finished, in milliseconds. */
  readonly durationMs: number;
}

/** One Lambda invocation, as the Lambda wrapper reports it when the handler has settled. */
export interface InvocationRecord {
  /**
   * What was invoked, e.g. `GET /orders/{id}` for an API Gateway route.
   * @default "Invoke"
   */
  readonly operation?: string | undefined;
  /** Handler duration in milliseconds. */
  readonly durationMs: number;
  /**
   * Whether this invocation is the execution environment's cold start. The Lambda wrapper
   * owns that fact: it calls `takeColdStart()` once per invocation and passes the result here
   * and to the logger, so every part agrees and `ColdStart` is counted once per environment.
   */
  readonly coldStart: boolean;
  /** The handler threw (or returned a rejected promise): counted as `Fault`. */
  readonly failed?: boolean | undefined;
  /** The HTTP status of an API Gateway / ALB / function URL response, when there is one. */
  readonly statusCode?: number | undefined;
}

export interface MetricRecorderOptions {
  readonly namespace: string;
  /** Value of the `Service` dimension. */
  readonly service: string;
  /** Value of the `Environment` dimension. */
  readonly environment: string;
  readonly storageResolution: StorageResolution;
  /** Whether `recordRequest` records anything. */
  readonly requestMetrics: boolean;
  /** Cap on distinct dimension sets between two flushes. */
  readonly maxGroups: number;
  readonly write: EmfWriter;
  readonly now?: () => number;
}

// The standard methods (RFC 9110 plus PATCH); any other string could be attacker-chosen, so it
// shares one bucket instead of minting a series per request (docs/design.md decision 6).
const HTTP_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

// Route templates come from code, but a regular-expression route or a mistake could carry
// characters CloudWatch refuses; they are replaced rather than losing the request's counts.
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/g;
const HAS_NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;
const MAX_OPERATION_LENGTH = EMF_LIMITS.maxDimensionValueLength;

function toOperationPart(text: string): string {
  // The common case (a clean, short template) costs one regex test and no allocation.
  if (text.length <= MAX_OPERATION_LENGTH - 8 && !HAS_NOT_PRINTABLE_ASCII.test(text)) return text;
  const cleaned = text.replace(NOT_PRINTABLE_ASCII, '?');
  return cleaned.length > MAX_OPERATION_LENGTH - 8 ? cleaned.slice(0, MAX_OPERATION_LENGTH - 8) : cleaned;
}

/**
 * Makes any text a valid dimension value: characters CloudWatch refuses become `?`, the
 * length is capped, and an empty value becomes `unknown`. Used for configured values
 * (service name, environment) that must never make a whole document invalid.
 */
export function toDimensionValue(text: string): string {
  const cleaned = text.replace(NOT_PRINTABLE_ASCII, '?').slice(0, EMF_LIMITS.maxDimensionValueLength);
  return cleaned.trim() === '' ? 'unknown' : cleaned;
}

function normalizeMethod(method: unknown): string {
  if (typeof method !== 'string') return OTHER_METHOD;
  if (HTTP_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return HTTP_METHODS.has(upper) ? upper : OTHER_METHOD;
}

/**
 * A status a response can have: Node sends any integer from 100 to 999 (`res.status(999)`), and a
 * request answered with one was served, so it is counted (a Fault from 500 up, as its span is an
 * ERROR) rather than dropped with its RequestCount and Latency.
 */
function isStatusCode(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 999;
}

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

const { service, environment, operation } = DIMENSION_NAMES;

/** An invocation's EMF document, but for the timestamp and the four values. */
interface InvocationDocument {
  readonly head: string;
  /** From after the timestamp to the first value's key. */
  readonly middle: string;
  /** Between the values: a comma and the next value's key. */
  readonly separators: readonly [string, string, string];
}
const RESERVED_DIMENSIONS: ReadonlySet<string> = new Set([service, environment]);
const ADDED_BY_LOOKOUT: NameClash = {
  cause: METRIC_PROBLEMS.dimension,
  reason: 'is added by Lookout itself',
};
const EQUALS_METRIC_NAME: NameClash = { cause: METRIC_PROBLEMS.collision, reason: 'equals the metric name' };

/**
 * Lookout's own metrics (request, invocation, cold start, audit and security counts):
 * validated on the way in, aggregated in memory ({@link MetricAggregator}) and written as EMF
 * documents built by {@link createEmfDocuments} — valid by construction, split at the EMF
 * limits. Documents are written straight to stdout rather than through a Powertools `Metrics`
 * instance: Powertools keeps one buffer per invocation with one dimension set per document, so
 * publishing many aggregated dimension sets through it would mean one instance per set per
 * flush, fighting its own `service` default dimension, and it cannot write a summed count.
 * Powertools stays the engine of the user-facing `metrics` object (docs/design.md decision 2).
 *
 * No method throws: invalid input is dropped with one diagnostic per cause.
 */
export class MetricRecorder {
  readonly #options: MetricRecorderOptions;
  readonly #aggregator: MetricAggregator;
  readonly #request: readonly SeriesDefinition[];
  readonly #invocation: readonly SeriesDefinition[];
  readonly #coldStart: readonly SeriesDefinition[];
  readonly #coldStartGroup: GroupDescription;
  readonly #countDefinitions = new Map<string, readonly SeriesDefinition[]>();
  readonly #runtime: readonly SeriesDefinition[];
  readonly #gcDuration: readonly SeriesDefinition[];
  readonly #operations = new Map<string, Map<string, string>>();
  /** The fixed text of an invocation's document, per Operation (see `writeInvocation`). */
  readonly #invocationDocuments = new Map<string, InvocationDocument>();

  constructor(options: MetricRecorderOptions) {
    this.#options = options;
    this.#aggregator = new MetricAggregator({
      maxGroups: options.maxGroups,
      onGroupFull: (group) => this.#write([group]),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    const define = (metric: (typeof LOOKOUT_METRICS)[keyof typeof LOOKOUT_METRICS]): SeriesDefinition => ({
      name: metric.name,
      unit: metric.unit,
      aggregation: metric.aggregation,
      storageResolution: options.storageResolution,
    });
    // Latency last: when it fills up and the group is written, the counts go with it.
    this.#request = [
      LOOKOUT_METRICS.RequestCount,
      LOOKOUT_METRICS.Error,
      LOOKOUT_METRICS.Fault,
      LOOKOUT_METRICS.Latency,
    ].map(define);
    this.#invocation = [
      LOOKOUT_METRICS.Invocations,
      LOOKOUT_METRICS.Error,
      LOOKOUT_METRICS.Fault,
      LOOKOUT_METRICS.Latency,
    ].map(define);
    this.#coldStart = [define(LOOKOUT_METRICS.ColdStart)];
    const sampled = (metric: { name: string; unit: SeriesDefinition['unit'] }): SeriesDefinition => ({
      name: metric.name,
      unit: metric.unit,
      aggregation: METRIC_AGGREGATIONS.samples,
      storageResolution: options.storageResolution,
    });
    // The order of RUNTIME_VALUES below.
    this.#runtime = [
      RUNTIME_METRICS.eventLoopDelayP50,
      RUNTIME_METRICS.eventLoopDelayP99,
      RUNTIME_METRICS.eventLoopUtilization,
      RUNTIME_METRICS.heapUsed,
      RUNTIME_METRICS.heapLimit,
      RUNTIME_METRICS.memoryUsage,
      RUNTIME_METRICS.activeResources,
    ].map(sampled);
    this.#gcDuration = [sampled(RUNTIME_METRICS.gcDuration)];
    this.#coldStartGroup = {
      dimensions: { [service]: options.service, [environment]: options.environment },
      dimensionSets: LOOKOUT_METRICS.ColdStart.dimensionSets,
    };
  }

  /** Records one HTTP request: RequestCount, Error (4xx), Fault (5xx) and a Latency sample. */
  recordRequest(record: RequestRecord): void {
    if (!this.#options.requestMetrics) return;
    const { statusCode, durationMs } = record;
    if (!isStatusCode(statusCode)) {
      reportMetricProblem(
        METRIC_PROBLEMS.statusCode,
        'request status code',
        statusCode,
        'is not an HTTP status (100-999)',
      );
      return;
    }
    if (!isDuration(durationMs)) {
      reportMetricProblem(
        METRIC_PROBLEMS.duration,
        'request duration',
        durationMs,
        'is not a finite number >= 0',
      );
      return;
    }
    const name = this.#operationOf(normalizeMethod(record.method), record.route);
    const error = statusCode >= 400 && statusCode < 500 ? 1 : 0;
    const fault = statusCode >= 500 ? 1 : 0;
    this.#settle(
      this.#aggregator.add(name, () => this.#describeOperation(name), this.#request, [
        1,
        error,
        fault,
        roundMs(durationMs),
      ]),
    );
  }

  // The Operation string per method and route is built once and reused: the aggregator's map
  // then hashes a string it has seen before instead of a fresh concatenation per request.
  // Bounded like the groups themselves; past the bound, strings are built per call.
  #operationOf(method: string, route: string | undefined): string {
    const matched = typeof route === 'string' && route !== '';
    const routeKey = matched ? route : '';
    let byMethod = this.#operations.get(routeKey);
    let name = byMethod?.get(method);
    if (name !== undefined) return name;
    name = `${method} ${matched ? toOperationPart(route) : UNMATCHED_ROUTE}`;
    if (byMethod === undefined && this.#operations.size < this.#options.maxGroups) {
      byMethod = new Map();
      this.#operations.set(routeKey, byMethod);
    }
    byMethod?.set(method, name);
    return name;
  }

  /** Records one Lambda invocation: Invocations, Error, Fault, Latency, and ColdStart when cold. */
  recordInvocation(record: InvocationRecord): void {
    const { durationMs, statusCode } = record;
    if (!isDuration(durationMs)) {
      reportMetricProblem(
        METRIC_PROBLEMS.duration,
        'invocation duration',
        durationMs,
        'is not a finite number >= 0',
      );
      return;
    }
    if (statusCode !== undefined && !isStatusCode(statusCode)) {
      reportMetricProblem(
        METRIC_PROBLEMS.statusCode,
        'invocation status code',
        statusCode,
        'is not an HTTP status (100-999)',
      );
      return;
    }
    const name = this.#invocationOperation(record.operation);
    const status = statusCode ?? 200;
    const error = status >= 400 && status < 500 ? 1 : 0;
    const fault = record.failed === true || status >= 500 ? 1 : 0;
    if (record.coldStart === true)
      this.#settle(
        this.#aggregator.add('\u0000cold-start', () => this.#coldStartGroup, this.#coldStart, [1]),
      );
    this.#settle(
      this.#aggregator.add(name, () => this.#describeOperation(name), this.#invocation, [
        1,
        error,
        fault,
        roundMs(durationMs),
      ]),
    );
  }

  /**
   * Records one Lambda invocation and writes everything aggregated, in one write: what
   * `recordInvocation(record)` then `flush()` write, byte for byte. The Lambda delivery calls it
   * once per invocation, when the aggregator usually holds nothing else; the invocation's
   * document is then written from its fixed text per Operation plus the timestamp and four
   * numbers, without the aggregator, the group objects and a `JSON.stringify` of the document
   * (docs/decisions/0014-lambda-delivery-after-the-response.md). Anything else (a cold start,
   * other groups waiting, an invalid record) takes the aggregator's path.
   */
  writeInvocation(record: InvocationRecord): void {
    const { durationMs, statusCode } = record;
    const latency = roundMs(durationMs);
    if (
      this.#aggregator.size > 0 ||
      record.coldStart === true ||
      !isDuration(durationMs) ||
      !Number.isFinite(latency) ||
      (statusCode !== undefined && !isStatusCode(statusCode))
    ) {
      this.recordInvocation(record);
      this.flush();
      return;
    }
    const name = this.#invocationOperation(record.operation);
    let document = this.#invocationDocuments.get(name);
    if (document === undefined) {
      document = this.#compileInvocationDocument(name);
      if (this.#invocationDocuments.size < this.#options.maxGroups)
        this.#invocationDocuments.set(name, document);
    }
    const status = statusCode ?? 200;
    const error = status >= 400 && status < 500 ? 1 : 0;
    const fault = record.failed === true || status >= 500 ? 1 : 0;
    const timestamp = Math.trunc((this.#options.now ?? Date.now)());
    const text = `${document.head}${timestamp}${document.middle}1${document.separators[0]}${error}${document.separators[1]}${fault}${document.separators[2]}${latency}}`;
    // Far below the EMF document limit unless the names are pathological; those are split by
    // the aggregator's path.
    if (
      text.length * 3 > EMF_LIMITS.maxDocumentBytes &&
      Buffer.byteLength(text) > EMF_LIMITS.maxDocumentBytes
    ) {
      this.recordInvocation(record);
      this.flush();
      return;
    }
    this.#options.write(`${text}\n`);
  }

  /** The Operation an invocation is recorded under. */
  #invocationOperation(operation: string | undefined): string {
    return typeof operation === 'string' && operation.trim() !== ''
      ? toOperationPart(operation)
      : DEFAULT_INVOCATION_OPERATION;
  }

  /**
   * The fixed parts of the document `createEmfDocuments` writes for one invocation of `name`:
   * `_aws` (the timestamp left out), the dimension values, and each metric's key.
   */
  #compileInvocationDocument(name: string): InvocationDocument {
    const description = this.#describeOperation(name);
    const definitions = this.#invocation;
    const metricDirectives = definitions.map((metric) =>
      metric.storageResolution === 1
        ? { Name: metric.name, Unit: metric.unit, StorageResolution: 1 }
        : { Name: metric.name, Unit: metric.unit },
    );
    const directive = `,"CloudWatchMetrics":[{"Namespace":${JSON.stringify(this.#options.namespace)},"Dimensions":${JSON.stringify(description.dimensionSets)},"Metrics":${JSON.stringify(metricDirectives)}}]}`;
    const values: Record<string, string> = {};
    for (const set of description.dimensionSets) {
      for (const dimension of set) values[dimension] = description.dimensions[dimension] as string;
    }
    const dimensions = JSON.stringify(values).slice(1, -1);
    const keyOf = (index: number) => `${JSON.stringify((definitions[index] as SeriesDefinition).name)}:`;
    return {
      head: '{"_aws":{"Timestamp":',
      middle: `${directive},${dimensions},${keyOf(0)}`,
      separators: [`,${keyOf(1)}`, `,${keyOf(2)}`, `,${keyOf(3)}`],
    };
  }

  /**
   * Adds `value` to the count `name` under Service, Environment and `dimensions` (at most 28
   * more, names and values validated; Service and Environment are added here, not passed).
   */
  count(name: string, dimensions: Readonly<Record<string, string>>, value: number): void {
    const nameProblem = checkMetricName(name);
    if (nameProblem !== undefined) {
      reportMetricProblem(METRIC_PROBLEMS.name, 'metric name', name, nameProblem);
      return;
    }
    const valueProblem = checkMetricValue(value);
    if (valueProblem !== undefined) {
      reportMetricProblem(METRIC_PROBLEMS.value, `value of "${name.slice(0, 60)}"`, value, valueProblem);
      return;
    }
    const entries = dimensionEntries(dimensions);
    if (entries === undefined) return;
    if (entries.length > EMF_LIMITS.maxDimensionsPerSet - RESERVED_DIMENSIONS.size) {
      reportMetricProblem(
        METRIC_PROBLEMS.dimensionCount,
        `dimensions of "${name.slice(0, 60)}"`,
        entries.length,
        `exceed ${EMF_LIMITS.maxDimensionsPerSet - RESERVED_DIMENSIONS.size} (30 per set, Service and Environment included)`,
      );
      return;
    }
    const clashOf = (key: string): NameClash | undefined =>
      RESERVED_DIMENSIONS.has(key) ? ADDED_BY_LOOKOUT : key === name ? EQUALS_METRIC_NAME : undefined;
    for (const [key, dimensionValue] of entries) {
      if (!acceptDimension(key, dimensionValue, clashOf)) return;
    }
    if (RESERVED_DIMENSIONS.has(name)) {
      reportMetricProblem(METRIC_PROBLEMS.collision, 'metric name', name, 'equals a dimension name');
      return;
    }
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // Count keys start with a character no Operation can hold, so they never meet one.
    const key = `\u0000${entries.map(([k, v]) => `${k}\u0001${v}`).join('\u0002')}`;
    let definitions = this.#countDefinitions.get(name);
    if (definitions === undefined) {
      definitions = [
        {
          name,
          unit: 'Count',
          aggregation: METRIC_AGGREGATIONS.sum,
          storageResolution: this.#options.storageResolution,
        },
      ];
      // Bounded: one entry per distinct name, and names past the group cap are never recorded.
      if (this.#countDefinitions.size < this.#options.maxGroups)
        this.#countDefinitions.set(name, definitions);
    }
    this.#settle(
      this.#aggregator.add(
        key,
        () => ({
          dimensions: {
            [service]: this.#options.service,
            [environment]: this.#options.environment,
            ...Object.fromEntries(entries),
          },
          dimensionSets: [[service, environment, ...entries.map(([k]) => k)]],
        }),
        definitions,
        [value],
      ),
    );
  }

  /**
   * Records one runtime window (docs/decisions/0047-runtime-metrics.md): each value a sample
   * under Service and Environment, GC pause time also by `v8js.gc.type`. A value that is not
   * a finite number >= 0 is dropped with one diagnostic.
   */
  recordRuntime(sample: RuntimeSample): void {
    const values: number[] = [
      sample.eventLoopDelayP50,
      sample.eventLoopDelayP99,
      sample.eventLoopUtilization,
      sample.heapUsed,
      sample.heapLimit,
      sample.memoryUsage,
      sample.activeResources,
    ];
    const invalid = values.find((value) => !isDuration(value));
    if (invalid !== undefined) {
      reportMetricProblem(METRIC_PROBLEMS.value, 'runtime sample', invalid, 'is not a finite number >= 0');
      return;
    }
    const dimensions = { [service]: this.#options.service, [environment]: this.#options.environment };
    this.#settle(
      this.#aggregator.add(
        '\u0000runtime',
        () => ({ dimensions, dimensionSets: [[service, environment]] }),
        this.#runtime,
        values,
      ),
    );
    for (const [type, seconds] of Object.entries(sample.gcDuration)) {
      if (!isDuration(seconds)) continue;
      this.#settle(
        this.#aggregator.add(
          `\u0000runtime-gc\u0001${type}`,
          () => ({
            dimensions: { ...dimensions, [GC_TYPE_DIMENSION]: type },
            dimensionSets: [[service, environment, GC_TYPE_DIMENSION]],
          }),
          this.#gcDuration,
          [seconds],
        ),
      );
    }
  }

  /** Writes everything aggregated so far, in one write. */
  flush(): void {
    const groups = this.#aggregator.drain();
    if (groups.length > 0) this.#write(groups);
  }

  #describeOperation(name: string): GroupDescription {
    return {
      dimensions: {
        [service]: this.#options.service,
        [environment]: this.#options.environment,
        [operation]: name,
      },
      dimensionSets: LOOKOUT_METRICS.RequestCount.dimensionSets,
    };
  }

  #settle(outcome: AddOutcome): void {
    if (outcome === 'limit') reportMetricsLimit(this.#options.maxGroups);
    else if (outcome === 'unit-mismatch')
      reportMetricProblem(
        METRIC_PROBLEMS.unitMismatch,
        'metric',
        'value',
        'was recorded with a different unit than earlier values of the same metric and dimensions',
      );
  }

  #write(groups: readonly EmfGroupInput[]): void {
    const now = (this.#options.now ?? Date.now)();
    let text = '';
    for (const group of groups) {
      for (const document of createEmfDocuments(this.#options.namespace, group, now)) text += `${document}\n`;
    }
    if (text !== '') this.#options.write(text);
  }
}
