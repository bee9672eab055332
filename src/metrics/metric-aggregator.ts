import type { EmfGroupInput } from './create-emf-documents.js';
import { EMF_LIMITS, type EmfUnit, type StorageResolution } from './emf-limits.js';
import type { MetricAggregation } from './metric-names.js';

/** What a series is: name, unit, resolution and how its values are aggregated. */
export interface SeriesDefinition {
  readonly name: string;
  readonly unit: EmfUnit;
  readonly storageResolution: StorageResolution;
  readonly aggregation: MetricAggregation;
}

/** Dimension values and the dimension sets a group is published under. */
export interface GroupDescription {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly dimensionSets: readonly (readonly string[])[];
}

/** `limit`: the group is new and the cap on groups is reached; nothing was recorded. */
export type AddOutcome = 'added' | 'limit' | 'unit-mismatch';

interface Series {
  readonly definition: SeriesDefinition;
  sum: number;
  values: number[];
}

interface Group {
  readonly timestamp: number;
  readonly description: GroupDescription;
  readonly series: Map<string, Series>;
}

export interface MetricAggregatorOptions {
  /** Most distinct groups (dimension sets) held between two flushes; bounds memory. */
  readonly maxGroups: number;
  /** Receives a group taken out because one of its sample series reached 100 values. */
  readonly onGroupFull: (group: EmfGroupInput) => void;
  readonly now?: () => number;
}

function toEmfGroup(group: Group): EmfGroupInput {
  const metrics = [];
  for (const { definition, sum, values } of group.series.values()) {
    metrics.push({
      name: definition.name,
      unit: definition.unit,
      storageResolution: definition.storageResolution,
      value: definition.aggregation === 'sum' ? sum : values,
    });
  }
  return {
    timestamp: group.timestamp,
    dimensions: group.description.dimensions,
    dimensionSets: group.description.dimensionSets,
    metrics,
  };
}

/**
 * In-memory aggregation for long-running servers (DESIGN decision 2: timed flushing outside
 * Lambda is what Lookout adds around Powertools). Values are kept per group (one set of
 * dimension values) and per series (one metric name in it): sums are added into one number,
 * samples are kept as they are. Memory is bounded on every axis: at most `maxGroups` groups,
 * at most 100 series per group and 100 samples per series — a group is handed to
 * `onGroupFull` the moment one of its sample series reaches 100 values, or before a 101st
 * series would be added.
 *
 * Single-threaded by construction: `drain()` swaps the whole map out in one step, so a timer
 * flush racing with traffic can neither lose a value nor write one twice.
 */
export class MetricAggregator {
  #groups = new Map<string, Group>();
  readonly #maxGroups: number;
  readonly #onGroupFull: (group: EmfGroupInput) => void;
  readonly #now: () => number;

  constructor(options: MetricAggregatorOptions) {
    this.#maxGroups = options.maxGroups;
    this.#onGroupFull = options.onGroupFull;
    this.#now = options.now ?? Date.now;
  }

  /** Groups held now. */
  get size(): number {
    return this.#groups.size;
  }

  /**
   * Records one value per definition into the group `key` (created from `describe()` when
   * new). `values[i]` belongs to `definitions[i]`; values must already be validated.
   */
  add(
    key: string,
    describe: () => GroupDescription,
    definitions: readonly SeriesDefinition[],
    values: readonly number[],
  ): AddOutcome {
    let group = this.#groups.get(key);
    if (group === undefined) {
      if (this.#groups.size >= this.#maxGroups) return 'limit';
      group = this.#createGroup(key, describe());
    }
    // Counting new series costs a lookup per definition; it only matters near the limit.
    if (group.series.size + definitions.length > EMF_LIMITS.maxMetricsPerDirective) {
      let newSeries = 0;
      for (const definition of definitions) if (!group.series.has(definition.name)) newSeries++;
      if (newSeries > 0 && group.series.size + newSeries > EMF_LIMITS.maxMetricsPerDirective) {
        this.#takeOut(key, group);
        group = this.#createGroup(key, group.description);
      }
    }

    let outcome: AddOutcome = 'added';
    let full = false;
    for (let index = 0; index < definitions.length; index++) {
      const definition = definitions[index] as SeriesDefinition;
      const value = values[index] as number;
      let series = group.series.get(definition.name);
      if (series === undefined) {
        series = { definition, sum: 0, values: [] };
        group.series.set(definition.name, series);
      } else if (
        series.definition.unit !== definition.unit ||
        series.definition.aggregation !== definition.aggregation
      ) {
        outcome = 'unit-mismatch';
        continue;
      }
      if (definition.aggregation === 'sum') {
        series.sum += value;
      } else {
        series.values.push(value);
        if (series.values.length >= EMF_LIMITS.maxValuesPerMetric) full = true;
      }
    }
    if (full) this.#takeOut(key, group);
    return outcome;
  }

  /** Takes every group out, leaving the aggregator empty. */
  drain(): EmfGroupInput[] {
    if (this.#groups.size === 0) return [];
    const groups = this.#groups;
    this.#groups = new Map();
    return [...groups.values()].filter((group) => group.series.size > 0).map(toEmfGroup);
  }

  #createGroup(key: string, description: GroupDescription): Group {
    const group: Group = { timestamp: Math.trunc(this.#now()), description, series: new Map() };
    this.#groups.set(key, group);
    return group;
  }

  #takeOut(key: string, group: Group): void {
    this.#groups.delete(key);
    if (group.series.size > 0) this.#onGroupFull(toEmfGroup(group));
  }
}
