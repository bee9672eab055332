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
 * The entries of a set of dimensions, or undefined (reported) when it is not an object: the app
 * passes it, typed or not.
 */
export function dimensionEntries(dimensions: unknown): Array<[string, unknown]> | undefined {
  if (dimensions === null || typeof dimensions !== 'object') {
    reportMetricProblem(METRIC_PROBLEMS.dimension, 'dimensions', dimensions, 'are not an object of strings');
    return undefined;
  }
  return Object.entries(dimensions);
}
