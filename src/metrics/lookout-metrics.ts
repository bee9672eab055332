import { MetricResolution, Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { readPowertoolsBoolean } from '../config/index.js';
import { describeError, diagnostics } from '../diag/index.js';
import {
  checkMetadataKey,
  checkMetricName,
  checkMetricValue,
  EMF_LIMITS,
  isEmfUnit,
  isTimestampAccepted,
  type StorageResolution,
} from '../emf/emf-limits.js';
import { METRIC_NAMES } from '../emf/metric-names.js';
import { ERROR_CODES } from '../errors/index.js';
import { getLoggingRuntime } from '../logging/logging-runtime.js';
import { getProcessEnv, noteTelemetry } from '../runtime/index.js';
import { acceptDimension, dimensionEntries, type NameClash } from './accept-dimensions.js';
import { fitEmfDocument, type SerializedEmf } from './fit-emf-document.js';
import {
  getMetricsConsole,
  getMetricsNamespace,
  guardEnvironmentReading,
  type MetricsConsole,
  replaceConsoleSetup,
  setMetricsDisabled,
  setMetricsNamespace,
} from './internals/powertools-metrics-internals.js';
import { METRIC_PROBLEMS, reportMetricProblem } from './report-metric-problem.js';
import { RUNTIME_METRICS } from './runtime-metric-names.js';
import { writeToStdout } from './write-to-stdout.js';

type PowertoolsUnit = (typeof MetricUnit)[keyof typeof MetricUnit];
type PowertoolsResolution = (typeof MetricResolution)[keyof typeof MetricResolution];
type MetricsOptions = NonNullable<ConstructorParameters<typeof Metrics>[0]>;
// Powertools' logger interface, taken from its options (its commons package is not a direct
// dependency of Lookout).
type GenericLogger = NonNullable<MetricsOptions['logger']>;

/** How `init()` configures the shared `metrics` instance. */
export interface MetricsSettings {
  readonly namespace: string;
  readonly defaultDimensions: Readonly<Record<string, string>>;
  readonly disabled: boolean;
  readonly defaultResolution: StorageResolution;
}

// Powertools' warnings (an empty publish, an overwritten dimension) go to Lookout's
// diagnostics instead of the app's stdout, once per kind of message: the variable parts
// (quoted names, numbers) are left out of the key so the once-set stays small.
function onceKey(content: unknown[]): string {
  const text = content.map((part) => (typeof part === 'string' ? part : describeError(part))).join(' ');
  return `powertools-metrics:${text.replace(/"[^"]*"|'[^']*'|\d+/g, '_').slice(0, 80)}`;
}

function joinContent(content: unknown[]): string {
  return content
    .map((part) => (typeof part === 'string' ? part : describeError(part)))
    .join(' ')
    .slice(0, 500);
}

const POWERTOOLS_LOGGER: GenericLogger = {
  debug: () => {},
  info: () => {},
  warn: (...content: unknown[]) =>
    diagnostics.warnOnce(
      onceKey(content),
      ERROR_CODES.METRIC_INVALID,
      `Powertools Metrics: ${joinContent(content)}`,
    ),
  error: (...content: unknown[]) =>
    diagnostics.errorOnce(
      onceKey(content),
      ERROR_CODES.METRIC_INVALID,
      `Powertools Metrics: ${joinContent(content)}`,
    ),
};

/**
 * Per-instance state kept outside the class: Powertools' constructor calls the overridden
 * methods below before a subclass's own fields (or `#private` methods) exist, so everything
 * they use lives at module level.
 */
interface InstanceState {
  defaultResolution: StorageResolution;
  /** The default dimensions, mirrored: Powertools keeps its own copy hard-private. */
  defaults: Record<string, string>;
  /** Keys used as dimensions or metadata since the last publish: a metric must not reuse one. */
  readonly usedKeys: Set<string>;
  /**
   * Metric names stored since the last publish (a dimension must not reuse one), each with the
   * resolution its values are stored at.
   */
  readonly metricNames: Map<string, StorageResolution>;
  /** The timestamp the app set for the buffer, kept across a publish of its metrics alone. */
  timestamp: number | undefined;
  /** Whether the app asked to be thrown at on an empty publish (setThrowOnEmptyMetrics). */
  throwOnEmpty: boolean;
  /** Inside `addMetric` of a buffering instance: a publish now is Powertools' own, at a limit. */
  adding: boolean;
  /** Whether such a publish happened during the current `addMetric`. */
  publishedAtLimit: boolean;
  /** A `singleMetric()` instance, which publishes each metric, dimensions and all. */
  single: boolean;
}

const STATES = new WeakMap<object, InstanceState>();

function stateOf(instance: object): InstanceState {
  let state = STATES.get(instance);
  if (state === undefined) {
    state = {
      defaultResolution: MetricResolution.Standard,
      defaults: {},
      usedKeys: new Set(),
      metricNames: new Map(),
      timestamp: undefined,
      throwOnEmpty: false,
      adding: false,
      publishedAtLimit: false,
      single: false,
    };
    STATES.set(instance, state);
  }
  return state;
}

/**
 * Stands in for the `Console` Powertools writes documents with: the same line (a `Console`
 * prints a lone string as is, then a newline) through Lookout's EMF writer, which can put the
 * delivery's documents into one write, and skips the `Console`'s formatting per document.
 */
const EMF_CONSOLE: MetricsConsole = Object.freeze({
  log: (line: string) => writeToStdout(`${line}\n`),
});

/** A timestamp as the app gave it, in milliseconds; a Date (or a proxy) that cannot be read is NaN. */
function toMilliseconds(timestamp: unknown): unknown {
  try {
    return timestamp instanceof Date ? timestamp.getTime() : timestamp;
  } catch {
    return Number.NaN;
  }
}

/** The dimension sets of a directive, each once: the same keys in any order are one set. */
function distinctSets(sets: readonly (readonly string[])[]): readonly (readonly string[])[] {
  if (sets.length < 2) return sets;
  const seen = new Set<string>();
  const distinct = sets.filter((set) => {
    const key = JSON.stringify([...set].sort());
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return distinct.length === sets.length ? sets : distinct;
}

/**
 * The document with its dimension sets as CloudWatch must read them:
 * - one empty set where Powertools wrote none: with no default and no added dimensions it
 *   writes `"Dimensions": []`, which the EMF specification refuses (at least one set; `[[]]` is
 *   how metrics without dimensions are written), losing the document's metrics;
 * - each set once. Powertools writes one set per `addDimensions()` call, so a set added per
 *   request (many requests share a server's buffer) or twice in one invocation is written many
 *   times, and CloudWatch extracts the document's metrics once per set it lists: every value
 *   was counted as many times over, under the one dimension value the document holds.
 */
function withDimensionSets(document: SerializedEmf): SerializedEmf {
  const directives = document._aws.CloudWatchMetrics;
  const fixed = directives.map((directive) => {
    if (directive.Dimensions.length === 0) return { ...directive, Dimensions: [[]] };
    const sets = distinctSets(directive.Dimensions);
    return sets === directive.Dimensions ? directive : { ...directive, Dimensions: sets };
  });
  if (fixed.every((directive, index) => directive === directives[index])) return document;
  return { ...document, _aws: { ...document._aws, CloudWatchMetrics: fixed } };
}

/**
 * The names of the metrics Lookout writes itself. The app's `metrics` share Lookout's namespace
 * and its `Service` and `Environment` dimensions, so a metric of the app's named `Error` or
 * `Latency` is the same CloudWatch series as Lookout's: the app's own errors would be counted
 * in the HTTP error rate, its database timings in the request latency percentiles, and the
 * alarms on them would fire (or not) on a mix. It is written, and said once.
 */
const LOOKOUT_METRIC_NAMES: ReadonlySet<string> = new Set<string>([
  ...Object.values(METRIC_NAMES),
  ...Object.values(RUNTIME_METRICS).map((metric) => metric.name),
]);

function reportSharedName(name: string): void {
  diagnostics.warnOnce(
    'metrics:shared-name',
    ERROR_CODES.METRIC_NAME_SHARED,
    `The metric "${name}" added to \`metrics\` has the name of one of Lookout's own: in the same namespace and with the same dimensions, CloudWatch keeps the app's values and Lookout's as one series, which Lookout's alarms and dashboards read. It was written; give it a name of its own. Further such metrics are counted, not reported.`,
  );
}

const METRIC_NAME_CLASH: NameClash = {
  cause: METRIC_PROBLEMS.collision,
  reason: 'is already used as a metric name',
};

function acceptDimensionOf(instance: Metrics, name: unknown, value: unknown): name is string {
  return acceptDimension(name, value, (candidate) =>
    stateOf(instance).metricNames.has(candidate) ? METRIC_NAME_CLASH : undefined,
  );
}

function acceptDimensions(instance: Metrics, dimensions: unknown): Record<string, string> | undefined {
  const entries = dimensionEntries(dimensions);
  if (entries === undefined) return undefined;
  const accepted: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (acceptDimensionOf(instance, name, value)) accepted[name] = value as string;
  }
  return accepted;
}

function resetKeys(state: InstanceState): void {
  state.metricNames.clear();
  state.timestamp = undefined;
  state.usedKeys.clear();
  for (const name of Object.keys(state.defaults)) state.usedKeys.add(name);
}

/**
 * A Powertools `Metrics` that never throws into the app (docs/design.md decision 4). Powertools throws
 * on some invalid input (an empty name, an unknown unit, too many dimensions, a unit changed
 * between two values of one metric, a metric named like a dimension) and silently writes
 * `null` for NaN or ±Infinity. Every public method that accepts input is overridden to
 * validate it first — an invalid value is dropped with one `LOOKOUT_METRIC_INVALID`
 * diagnostic per cause — and to catch anything Powertools still throws. Everything else is
 * Powertools' own behaviour: buffering, the 100-metric and 100-value auto-publish, writing to
 * stdout through its own `Console` (never the global console Lambda patches).
 *
 * The one exception is `setThrowOnEmptyMetrics(true)`: an app that asks to be thrown at on an
 * empty publish gets exactly that.
 *
 * @example
 * import { metrics, MetricUnit } from 'lookout';
 * metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);
 */
export class LookoutMetrics extends Metrics {
  constructor(options: MetricsOptions = {}) {
    super({ logger: POWERTOOLS_LOGGER, ...options });
    stateOf(this).single = options.singleMetric === true;
  }

  /**
   * Adds a metric value to the buffer. Invalid input is dropped with one diagnostic; the
   * resolution defaults to high when `metrics.highResolution` is on.
   */
  override addMetric(
    name: string,
    unit: PowertoolsUnit,
    value: number,
    resolution?: PowertoolsResolution,
  ): this {
    const state = stateOf(this);
    const nameProblem = checkMetricName(name);
    if (nameProblem !== undefined) {
      reportMetricProblem(METRIC_PROBLEMS.name, 'metric name', name, nameProblem);
      return this;
    }
    const label = `"${name.slice(0, 60)}"`;
    if (!isEmfUnit(unit)) {
      reportMetricProblem(METRIC_PROBLEMS.unit, `unit of ${label}`, unit, 'is not an EMF unit');
      return this;
    }
    const valueProblem = checkMetricValue(value);
    if (valueProblem !== undefined) {
      reportMetricProblem(METRIC_PROBLEMS.value, `value of ${label}`, value, valueProblem);
      return this;
    }
    const effective = resolution ?? state.defaultResolution;
    if (effective !== MetricResolution.Standard && effective !== MetricResolution.High) {
      reportMetricProblem(METRIC_PROBLEMS.resolution, `resolution of ${label}`, resolution, 'is not 1 or 60');
      return this;
    }
    if (state.usedKeys.has(name)) {
      reportMetricProblem(
        METRIC_PROBLEMS.collision,
        'metric name',
        name,
        'is already a dimension or metadata key',
      );
      return this;
    }
    try {
      // A document declares one StorageResolution per metric name: the values buffered under
      // the other resolution are written first, or the new ones would be stored at theirs.
      const buffered = state.metricNames.get(name);
      if (buffered !== undefined && buffered !== effective) this.#publishMetricsOnly();
      // Powertools publishes before storing when the buffer holds 100 metrics, and after when
      // this metric reaches 100 values: only then is the name no longer buffered.
      const fullBefore = state.metricNames.size >= EMF_LIMITS.maxMetricsPerDirective;
      state.adding = !state.single;
      state.publishedAtLimit = false;
      try {
        super.addMetric(name, unit, value, effective);
      } finally {
        state.adding = false;
      }
      if (fullBefore || !state.publishedAtLimit) state.metricNames.set(name, effective);
      noteTelemetry();
      if (LOOKOUT_METRIC_NAMES.has(name)) reportSharedName(name);
    } catch (error) {
      // Powertools keeps metrics in a plain object, where a name every object inherits
      // (`constructor`, `toString`) reads as a metric already stored, with no unit: say so
      // rather than pass on its "already added with unit undefined".
      const reason =
        name in Object.prototype
          ? 'cannot be buffered by Powertools Metrics (every JavaScript object has a member of that name)'
          : `was rejected (${describeError(error)})`;
      reportMetricProblem(METRIC_PROBLEMS.rejected, 'metric', name, reason);
    }
    return this;
  }

  /** Adds a dimension to the metrics buffered now; an invalid one is dropped with one diagnostic. */
  override addDimension(name: string, value: string): this {
    if (!acceptDimensionOf(this, name, value)) return this;
    try {
      super.addDimension(name, value);
      stateOf(this).usedKeys.add(name);
    } catch (error) {
      reportMetricProblem(
        METRIC_PROBLEMS.dimensionCount,
        'dimension',
        name,
        `was rejected (${describeError(error)})`,
      );
    }
    return this;
  }

  /** Adds a dimension set; invalid entries are dropped, a set over the limit is dropped whole. */
  override addDimensions(dimensions: Record<string, string>): this {
    const accepted = acceptDimensions(this, dimensions);
    if (accepted === undefined) return this;
    try {
      super.addDimensions(accepted);
      for (const name of Object.keys(accepted)) stateOf(this).usedKeys.add(name);
    } catch (error) {
      const count = Object.keys(accepted).length;
      reportMetricProblem(
        METRIC_PROBLEMS.dimensionCount,
        'dimension set of size',
        count,
        `was rejected (${describeError(error)})`,
      );
    }
    return this;
  }

  /** Merges default dimensions; invalid entries are dropped, a set over the limit is dropped whole. */
  override setDefaultDimensions(dimensions: Record<string, string>): this {
    // Also called from Powertools' constructor, before this class's own fields exist.
    const accepted = acceptDimensions(this, dimensions);
    if (accepted === undefined) return this;
    try {
      super.setDefaultDimensions(accepted);
      const state = stateOf(this);
      state.defaults = { ...state.defaults, ...accepted };
      for (const name of Object.keys(accepted)) state.usedKeys.add(name);
    } catch (error) {
      const count = Object.keys(accepted).length;
      reportMetricProblem(
        METRIC_PROBLEMS.dimensionCount,
        'default dimensions, count',
        count,
        `were rejected (${describeError(error)})`,
      );
    }
    return this;
  }

  /** Removes every default dimension. */
  override clearDefaultDimensions(): void {
    super.clearDefaultDimensions();
    const state = stateOf(this);
    for (const name of Object.keys(state.defaults)) state.usedKeys.delete(name);
    state.defaults = {};
  }

  /**
   * Adds metadata (written in the document, not a dimension), redacted like a log entry; a
   * reserved or clashing key is dropped.
   */
  override addMetadata(key: string, value: string): this {
    const problem =
      checkMetadataKey(key) ??
      (stateOf(this).metricNames.has(key) ? 'is already used as a metric name' : undefined);
    if (problem !== undefined) {
      reportMetricProblem(METRIC_PROBLEMS.name, 'metadata key', key, problem);
      return this;
    }
    // Metadata leaves the process in the EMF document, a log line like any other: redacted by
    // the logging policy (a sensitive key censors the value, the value rules apply).
    const redacted: Record<string, unknown> = {};
    getLoggingRuntime().policy.putEntry(redacted, key, value);
    for (const [writtenKey, writtenValue] of Object.entries(redacted)) {
      super.addMetadata(writtenKey, writtenValue as string);
      stateOf(this).usedKeys.add(writtenKey);
    }
    return this;
  }

  /** Sets the timestamp of the next document; one outside CloudWatch's window is dropped. */
  override setTimestamp(timestamp: number | Date): this {
    const ms = toMilliseconds(timestamp);
    if (typeof ms !== 'number' || !isTimestampAccepted(ms, Date.now())) {
      reportMetricProblem(
        METRIC_PROBLEMS.timestamp,
        'timestamp',
        ms,
        'is not an integer between 14 days before and 2 hours after now',
      );
      return this;
    }
    super.setTimestamp(ms);
    stateOf(this).timestamp = ms;
    return this;
  }

  /**
   * Writes the buffered metrics to stdout as EMF and clears the buffer. A document over the
   * size of one CloudWatch Logs event is split (metadata that alone is too big is dropped, with
   * one diagnostic), so no metric is lost to a line the log pipeline would cut. Never throws.
   */
  override publishStoredMetrics(): this {
    const hadMetrics = this.hasStoredMetrics();
    if (stateOf(this).adding && hadMetrics) {
      stateOf(this).publishedAtLimit = true;
      // Powertools' own publish inside addMetric, at 100 metrics or at 100 values of one: the
      // values that follow belong to the same invocation or flush, so the dimensions, metadata
      // and timestamp stay for them (Powertools clears them, and wrote the rest without).
      try {
        this.#publishMetricsOnly();
      } catch (error) {
        reportMetricProblem(
          METRIC_PROBLEMS.rejected,
          'metrics',
          'buffer',
          `could not be published (${describeError(error)})`,
        );
      }
      return this;
    }
    try {
      // Powertools' own path when there is nothing to write: its empty-buffer warning, and the
      // throw the app asked for with setThrowOnEmptyMetrics(true).
      if (!hadMetrics || this.isDisabled()) super.publishStoredMetrics();
      else this.#publishFitted();
    } catch (error) {
      if (!hadMetrics && stateOf(this).throwOnEmpty) throw error;
      reportMetricProblem(
        METRIC_PROBLEMS.rejected,
        'metrics',
        'buffer',
        `could not be published (${describeError(error)})`,
      );
    } finally {
      resetKeys(stateOf(this));
    }
    return this;
  }

  /**
   * Writes the metrics buffered now and clears them, keeping the dimensions, metadata and
   * timestamp for the values still to come: they belong to the same invocation or flush.
   */
  #publishMetricsOnly(): void {
    const state = stateOf(this);
    try {
      if (!this.isDisabled() && this.hasStoredMetrics()) {
        const document = withDimensionSets(this.serializeMetrics() as unknown as SerializedEmf);
        const console = getMetricsConsole(this);
        for (const text of fitEmfDocument(document)) console.log(text);
      }
    } finally {
      this.clearMetrics();
      state.metricNames.clear();
      // Powertools clears the timestamp with the metrics.
      if (state.timestamp !== undefined) super.setTimestamp(state.timestamp);
    }
  }

  #publishFitted(): void {
    try {
      const document = withDimensionSets(this.serializeMetrics() as unknown as SerializedEmf);
      const console = getMetricsConsole(this);
      for (const text of fitEmfDocument(document)) console.log(text);
    } finally {
      this.clearMetrics();
      this.clearDimensions();
      this.clearMetadata();
    }
  }

  /**
   * Ends the buffer at one of Lookout's flushes (end of invocation, server timer, shutdown):
   * publishes what it holds or, when it holds no metric, drops the dimensions, metadata and
   * timestamp set since the last publish. Powertools clears those only when something publishes; skipping the
   * empty publish (and its warning) kept them, so one invocation's `Tenant` or request id was
   * written with the next invocation's metrics, and on a server an `addDimensions()` per
   * request grew the buffer until a metric came, in a document too large to write. Never throws.
   * @internal
   */
  publishOrDiscard(): void {
    if (this.hasStoredMetrics()) {
      this.publishStoredMetrics();
      return;
    }
    // The timestamp too, which Powertools clears with the metrics: one set for an invocation
    // that added no metric would otherwise date the next invocation's metrics.
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    resetKeys(stateOf(this));
  }

  /** Makes an empty publish throw (or not), as Powertools does; Lookout remembers the choice. */
  override setThrowOnEmptyMetrics(enabled: boolean): this {
    super.setThrowOnEmptyMetrics(enabled);
    stateOf(this).throwOnEmpty = enabled;
    return this;
  }

  /** @deprecated Use `setThrowOnEmptyMetrics(true)`, as in Powertools. */
  override throwOnEmptyMetrics(): void {
    this.setThrowOnEmptyMetrics(true);
  }

  /** Emits the `ColdStart` metric the Powertools way (Lookout emits its own on Lambda). Never throws. */
  override captureColdStartMetric(functionName?: string): void {
    try {
      super.captureColdStartMetric(functionName);
    } catch (error) {
      reportMetricProblem(
        METRIC_PROBLEMS.rejected,
        'ColdStart metric',
        functionName,
        `was rejected (${describeError(error)})`,
      );
    }
  }

  /** A `LookoutMetrics` that writes each metric at once, with this instance's namespace and default dimensions. */
  override singleMetric(): LookoutMetrics {
    const namespace = getMetricsNamespace(this);
    const single = new LookoutMetrics({ ...(namespace ? { namespace } : {}), singleMetric: true });
    single.clearDefaultDimensions();
    single.setDefaultDimensions({ ...stateOf(this).defaults });
    stateOf(single).defaultResolution = stateOf(this).defaultResolution;
    setMetricsDisabled(single, this.isDisabled());
    return single;
  }

  /**
   * Applies `init()`'s configuration. The binding users imported before `init()` stays the
   * same object, configured from here on.
   * @internal
   */
  configure(settings: MetricsSettings): void {
    stateOf(this).defaultResolution = settings.defaultResolution;
    setMetricsNamespace(this, settings.namespace);
    this.clearDefaultDimensions();
    this.setDefaultDimensions({ ...settings.defaultDimensions });
    setMetricsDisabled(this, settings.disabled);
  }
}

// Powertools' constructor parses POWERTOOLS_METRICS_DISABLED and throws when it is neither a
// boolean nor one of its extended spellings; for the shared instance that would mean a crash
// when the app imports 'lookout'. Lookout reads the variable itself (metrics.enabled), so the
// failure is reported once and construction goes on with Powertools' defaults.
guardEnvironmentReading(LookoutMetrics.prototype, (error) =>
  diagnostics.warnOnce(
    'powertools-metrics:env',
    ERROR_CODES.ENV_INVALID,
    `Powertools Metrics could not read its environment (${describeError(error)}); Lookout's metrics settings apply.`,
  ),
);

// Every instance writes its documents through EMF_CONSOLE (Lookout's stdout writer, never the
// console Lambda patches), except in Powertools' dev mode (POWERTOOLS_DEV), which prints through
// the global console on purpose, as Powertools does. Decided where Powertools decides it, so
// the constructor builds no `Console` of its own only to have it replaced
// (docs/decisions/0069-no-unused-powertools-consoles.md).
replaceConsoleSetup(LookoutMetrics.prototype, () =>
  readPowertoolsBoolean(getProcessEnv(), 'POWERTOOLS_DEV') === true ? globalThis.console : EMF_CONSOLE,
);

/**
 * The Powertools Metrics instance `init()` configures: namespace, `Service` and `Environment`
 * default dimensions, resolution, disabled. Importable before `init()` (it then behaves as a
 * default Powertools `Metrics`); on a server Lookout publishes what it buffers on the flush
 * timer and at shutdown, on Lambda at the end of every invocation.
 *
 * @example
 * import { metrics, MetricUnit } from 'lookout';
 * metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);
 */
export const metrics: LookoutMetrics = new LookoutMetrics();

export { MetricResolution, MetricUnit };
