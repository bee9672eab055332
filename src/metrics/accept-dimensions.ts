import { describeError } from '../diag/index.js';
import { checkDimensionName, checkDimensionValue } from '../emf/emf-limits.js';
import { METRIC_PROBLEMS, type MetricProblem, reportMetricProblem } from './report-metric-problem.js';

/** Why a dimension name that is valid EMF still cannot be used where it is given. */
export interface NameClash {
  readonly cause: MetricProblem;
  readonly reason: string;
}

/**
 * The dimension check both EMF writers run, Lookout's own (metric-recorder.ts) and the one
 * through Powertools (lookout-metrics.ts), so that a dimension is accepted or dropped the same
 * way whichever writes it (docs/decisions/0053-own-emf-writer.md): the name valid EMF, then not
 * taken (`clashOf`: a metric's name, or one Lookout adds itself), then the value valid EMF.
 * The first problem is reported, once per cause, and the dimension is not used.
 */
export function acceptDimension(
  name: unknown,
  value: unknown,
  clashOf?: (name: string) => NameClash | undefined,
): name is string {
  const nameProblem = checkDimensionName(name);
  if (nameProblem !== undefined) {
    reportMetricProblem(METRIC_PROBLEMS.dimension, 'dimension name', name, nameProblem);
    return false;
  }
  const clash = clashOf?.(name as string);
  if (clash !== undefined) {
    reportMetricProblem(clash.cause, 'dimension name', name, clash.reason);
    return false;
  }
  const valueProblem = checkDimensionValue(value);
  if (valueProblem !== undefined) {
    reportMetricProblem(
      METRIC_PROBLEMS.dimension,
      `value of dimension "${name as string}"`,
      value,
      valueProblem,
    );
    return false;
  }
  return true;
}

/**
 * The entries of a set of dimensions, or undefined (reported) when it is not an object or its
 * keys cannot be listed (a proxy whose trap throws): the app passes it, typed or not. An entry
 * whose getter throws is left out, reported.
 */
export function dimensionEntries(dimensions: unknown): Array<[string, unknown]> | undefined {
  if (dimensions === null || typeof dimensions !== 'object') {
    reportMetricProblem(METRIC_PROBLEMS.dimension, 'dimensions', dimensions, 'are not an object of strings');
    return undefined;
  }
  try {
    return Object.entries(dimensions);
  } catch {
    // Read again key by key, off the common path, to keep what can be read.
    return readableEntries(dimensions);
  }
}

function readableEntries(dimensions: object): Array<[string, unknown]> | undefined {
  let keys: string[];
  try {
    keys = Object.keys(dimensions);
  } catch (error) {
    reportMetricProblem(
      METRIC_PROBLEMS.dimension,
      'dimensions',
      dimensions,
      `could not be read (${describeError(error)})`,
    );
    return undefined;
  }
  const entries: Array<[string, unknown]> = [];
  for (const key of keys) {
    try {
      entries.push([key, (dimensions as Record<string, unknown>)[key]]);
    } catch (error) {
      reportMetricProblem(
        METRIC_PROBLEMS.dimension,
        `value of dimension "${key.slice(0, 60)}"`,
        undefined,
        `could not be read (${describeError(error)})`,
      );
    }
  }
  return entries;
}
