import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { describe, expect, it } from 'vitest';
import {
  AWS_SDK_HOOKED_MODULES,
  AWS_SDK_INSTRUMENTATION,
  AWS_SDK_PREFIXES,
} from '../../../src/tracing/aws-sdk-modules.js';
import { getHookedModules } from '../../../src/tracing/instrumentations.js';

// Start-up decides with these lists while the instrumentation is not loaded yet
// (docs/decisions/0055-start-up-loads-what-it-starts.md): a new release of the instrumentation
// that hooks another module fails here, not in an app.
describe('what the deferred AWS SDK instrumentation is known to hook', () => {
  it('names exactly the modules the instrumentation defines, in its order', () => {
    // Prepare
    const instrumentation = new AwsInstrumentation({ enabled: false });

    // Act
    const [hooked] = getHookedModules([instrumentation]);

    // Assess
    expect(hooked?.instrumentation).toBe(AWS_SDK_INSTRUMENTATION);
    expect(hooked?.moduleNames).toEqual([...AWS_SDK_HOOKED_MODULES]);
  });

  it('sets itself up on a prefix every hooked module starts with', () => {
    for (const name of AWS_SDK_HOOKED_MODULES)
      expect(
        AWS_SDK_PREFIXES.some((prefix) => name.startsWith(prefix)),
        name,
      ).toBe(true);
  });
});
