import { LookoutConfigError, SETTINGS } from '../core.js';
import type { MetricIdentity } from './metric-identity.js';

function variableOf(path: string): string {
  const setting = SETTINGS.find((candidate) => candidate.path === path);
  // Only a renamed setting in the SDK can get here; the synth should stop on it.
  if (setting === undefined)
    throw new LookoutConfigError({ option: path, value: undefined, accepted: 'a Lookout setting' });
  return setting.env;
}

/**
 * The environment variables that make a running service write its metrics exactly where the
 * alarms look: the service name, environment and namespace, under the `LOOKOUT_*` names the
 * SDK's settings table gives them (they win over `OTEL_*` and `POWERTOOLS_*`).
 *
 * @example
 * runtimeEnvironmentFor({ namespace: 'Lookout', service: 'orders-api', environment: 'prod' });
 * // { LOOKOUT_SERVICE_NAME: 'orders-api', LOOKOUT_ENVIRONMENT: 'prod', LOOKOUT_METRICS_NAMESPACE: 'Lookout' }
 */
export function runtimeEnvironmentFor(identity: MetricIdentity): Readonly<Record<string, string>> {
  return {
    [variableOf('serviceName')]: identity.service,
    [variableOf('environment')]: identity.environment,
    [variableOf('metrics.namespace')]: identity.namespace,
  };
}
