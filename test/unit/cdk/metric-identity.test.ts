import { describe, expect, it } from 'vitest';
import { resolveMetricIdentity } from '../../../src/cdk/metric-identity.js';
import { runtimeEnvironmentFor } from '../../../src/cdk/runtime-environment.js';
import { LookoutConfigError, resolveConfig } from '../../../src/core.js';

describe('resolveMetricIdentity', () => {
  it("uses Lookout's default namespace when none is given", () => {
    expect(resolveMetricIdentity({ serviceName: 'orders-api', environment: 'prod' })).toEqual({
      namespace: 'Lookout',
      service: 'orders-api',
      environment: 'prod',
    });
  });

  it.each([
    [{ serviceName: 'orders-api', environment: 'prod', namespace: 'AWS/Lambda' }, 'namespace'],
    [{ serviceName: 'orders-api', environment: 'prod', namespace: 'bad|namespace' }, 'namespace'],
    [{ serviceName: 'commandes-é', environment: 'prod' }, 'serviceName'],
    [{ serviceName: '', environment: 'prod' }, 'serviceName'],
    [{ serviceName: 'orders"api', environment: 'prod' }, 'serviceName'],
    [{ serviceName: 'orders-api', environment: 'x'.repeat(256) }, 'environment'],
  ])('refuses %o, naming %s', (props, option) => {
    const act = () => resolveMetricIdentity(props);

    expect(act).toThrow(LookoutConfigError);
    expect(act).toThrow(`Invalid option "${option}"`);
  });
});

describe('runtimeEnvironmentFor', () => {
  it('gives the variables that make the SDK write under exactly this identity', () => {
    const identity = { namespace: 'Shop/Orders', service: 'orders-api', environment: 'staging' };
    const env = runtimeEnvironmentFor(identity);

    // The SDK's own resolution of those variables, with competing standard ones present.
    const { config, warnings } = resolveConfig({
      env: {
        ...env,
        OTEL_SERVICE_NAME: 'other',
        POWERTOOLS_SERVICE_NAME: 'other',
        POWERTOOLS_METRICS_NAMESPACE: 'Other',
        NODE_ENV: 'production',
      },
    });

    expect(Object.keys(env).sort()).toEqual([
      'LOOKOUT_ENVIRONMENT',
      'LOOKOUT_METRICS_NAMESPACE',
      'LOOKOUT_SERVICE_NAME',
    ]);
    expect(warnings).toEqual([]);
    expect([config.serviceName, config.environment, config.metrics.namespace]).toEqual([
      'orders-api',
      'staging',
      'Shop/Orders',
    ]);
  });
});
