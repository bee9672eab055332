import { Token } from 'aws-cdk-lib';
import { checkNamespace, DEFAULT_METRICS_NAMESPACE, LookoutConfigError, toDimensionValue } from '../core.js';

/**
 * Where a service's Lookout metrics land: the namespace and the values of the `Service` and
 * `Environment` dimensions. They must equal what the running service is configured with
 * (`LOOKOUT_METRICS_NAMESPACE`, `LOOKOUT_SERVICE_NAME`, `LOOKOUT_ENVIRONMENT`), or the alarms
 * watch series nobody writes; ServiceObservability's `runtimeEnvironment` gives those values.
 */
export interface MetricIdentity {
  readonly namespace: string;
  readonly service: string;
  readonly environment: string;
}

// CDK's Metric refuses dimension values over 255 characters (CloudWatch itself takes 1024).
const MAX_VALUE_LENGTH = 255;
// Quotes and backslashes would need escaping inside the SEARCH and Metrics Insights strings
// the alarms and dashboards are built from; no sensible service name has them.
const UNQUOTABLE = /["'\\]/;

function checkDimensionValue(option: string, value: string): void {
  // A token (a CfnParameter, an SSM value) is known only at deploy time; its text here is a
  // placeholder, not the value CloudWatch will see.
  if (Token.isUnresolved(value)) return;
  const accepted = `printable ASCII without quotes or backslashes, 1 to ${MAX_VALUE_LENGTH} characters`;
  if (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH || UNQUOTABLE.test(value))
    throw new LookoutConfigError({ option, value, accepted });
  // The SDK rewrites values CloudWatch would refuse (non-ASCII becomes "?"); an alarm on the
  // unrewritten value would never see data, so such a value is refused here instead.
  if (toDimensionValue(value) !== value) throw new LookoutConfigError({ option, value, accepted });
}

/**
 * Checks and returns the metric identity of a service. Throws `LookoutConfigError` when a value
 * could not be written by the SDK as given.
 *
 * @example
 * resolveMetricIdentity({ serviceName: 'orders-api', environment: 'prod' }).namespace; // 'Lookout'
 */
export function resolveMetricIdentity(props: {
  readonly serviceName: string;
  readonly environment: string;
  readonly namespace?: string | undefined;
}): MetricIdentity {
  const namespace = props.namespace ?? DEFAULT_METRICS_NAMESPACE;
  // A namespace given as a token is checked by CloudWatch at deploy time, not here: the token's
  // placeholder text (`${Token[TOKEN.12]}`) holds characters no namespace may have.
  const problem = Token.isUnresolved(namespace) ? undefined : checkNamespace(namespace);
  if (problem !== undefined)
    throw new LookoutConfigError({
      option: 'namespace',
      value: namespace,
      accepted: `a namespace that ${problem}`,
    });
  checkDimensionValue('serviceName', props.serviceName);
  checkDimensionValue('environment', props.environment);
  return { namespace, service: props.serviceName, environment: props.environment };
}
