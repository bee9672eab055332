import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A failure rate in percent that reads 0 in a period with fewer than `minRequests` requests,
 * so that one failed request on a quiet night cannot be 100 % and page someone
 * (docs/decisions/0035-minimum-traffic-guard.md). A period without any request has no data
 * point at all, which the alarm treats as not breaching.
 *
 * CloudWatch metric math: `requests >= N` is evaluated per period; `IF` takes the rate where
 * it holds and 0 where it does not; a failure count missing in a period is read as 0.
 *
 * @example
 * guardedRate(fn.metricErrors(), fn.metricInvocations(), 20, 'Error rate (%)');
 * // IF(requests >= 20, 100 * failures / requests, 0)
 */
export function guardedRate(
  failures: cloudwatch.IMetric,
  requests: cloudwatch.IMetric,
  minRequests: number,
  label: string,
): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `IF(requests >= ${minRequests}, 100 * failures / requests, 0)`,
    usingMetrics: { failures, requests },
    label,
  });
}

/** The guard of a rate alarm's settings; every rate alarm has one. */
export function minRequestsOf(settings: { readonly id: string; readonly minRequests?: number }): number {
  if (settings.minRequests === undefined)
    throw new Error(`lookout/cdk: ${settings.id} is not a rate alarm (no minRequests)`);
  return settings.minRequests;
}
