// resolveServiceIdentity is the part of resolveConfig that `lookout check` runs per function of a
// template: it must give what resolveConfig gives, for any variables, or the check and the
// running SDK disagree on the series a function's metrics land in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig, resolveServiceIdentity } from '../../../src/config/index.js';

const VARIABLES = [
  'LOOKOUT_SERVICE_NAME',
  'OTEL_SERVICE_NAME',
  'POWERTOOLS_SERVICE_NAME',
  'LOOKOUT_ENVIRONMENT',
  'NODE_ENV',
  'LOOKOUT_RESOURCE_ATTRIBUTES',
  'OTEL_RESOURCE_ATTRIBUTES',
  'LOOKOUT_METRICS_NAMESPACE',
  'POWERTOOLS_METRICS_NAMESPACE',
  'AWS_LAMBDA_FUNCTION_NAME',
] as const;

/** Values that hit the rules: blanks, refused namespaces, resource attributes naming the identity. */
const VALUE = fc.oneof(
  fc.constantFrom(
    '',
    '  ',
    'orders',
    'AWS/Lambda',
    'bad|namespace',
    'commandes-é',
    'service.name=from-attrs,deployment.environment.name=staging',
    'deployment.environment=qa',
    'service.name=%20,deployment.environment.name=',
  ),
  fc.string({ maxLength: 40 }),
);

describe('resolveServiceIdentity', () => {
  it("gives resolveConfig's service name, environment and metrics namespace for any variables", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...VARIABLES), VALUE, { maxKeys: 6 }), (env) => {
        // Prepare
        const appPackage = { name: 'orders-app', version: '1.0.0' };

        // Act
        const identity = resolveServiceIdentity({ env, appPackage });
        const { config } = resolveConfig({ env, appPackage });

        // Assess
        expect(identity).toEqual({
          serviceName: config.serviceName,
          environment: config.environment,
          namespace: config.metrics.namespace,
        });
      }),
    );
  });
});
