import { diagnostics } from '../diag/index.js';
import { describeValue, ERROR_CODES } from '../errors/index.js';

/**
 * Why a metric value was dropped. Each cause is reported once per process (and counted every
 * time), so a hot loop with a bad value produces one line on stderr, not thousands.
 */
export const METRIC_PROBLEMS = {
  name: 'name',
  unit: 'unit',
  value: 'value',
  resolution: 'resolution',
  dimension: 'dimension',
  dimensionCount: 'dimension-count',
  collision: 'collision',
  unitMismatch: 'unit-mismatch',
  timestamp: 'timestamp',
  statusCode: 'status-code',
  duration: 'duration',
  rejected: 'rejected',
  documentSize: 'document-size',
} as const;
export type MetricProblem = (typeof METRIC_PROBLEMS)[keyof typeof METRIC_PROBLEMS];

/**
 * Reports a dropped metric value once per cause (DESIGN decision 4: nothing thrown into the
 * app, one clear diagnostic).
 */
export function reportMetricProblem(
  cause: MetricProblem,
  subject: string,
  received: unknown,
  reason: string,
): void {
  diagnostics.warnOnce(
    `metrics:${cause}`,
    ERROR_CODES.METRIC_INVALID,
    `Dropped a metric value: ${subject} ${describeValue(received)} ${reason}. Further values dropped for this reason are counted, not reported.`,
  );
}

/**
 * Reports a whole EMF document (or part of one) that was not written because it could not be
 * brought under the event size limit. Counted every time, reported once.
 */
export function reportDroppedDocument(what: string, bytes: number, limit: number): void {
  diagnostics.warnOnce(
    `metrics:${METRIC_PROBLEMS.documentSize}`,
    ERROR_CODES.METRIC_INVALID,
    `Dropped ${what}: ${bytes} bytes, over the ${limit}-byte limit of one CloudWatch Logs event, even alone. Further documents dropped for this reason are counted, not reported.`,
  );
}

/** Reports, once, that the cap on distinct dimension sets was reached. */
export function reportMetricsLimit(maxGroups: number): void {
  diagnostics.warnOnce(
    'metrics:limit',
    ERROR_CODES.METRICS_LIMIT,
    `More than ${maxGroups} distinct dimension sets were recorded within one flush interval; values for new ones are dropped until the next flush. Dimensions must have bounded values (route templates, not raw paths).`,
  );
}
