import { CfnParameter, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { fitName, NAME_LIMITS } from '../../../src/cdk/fit-name.js';

describe('fitName', () => {
  it('leaves a name that fits as it is', () => {
    expect(fitName('orders-api-prod-error-rate', NAME_LIMITS.alarm)).toBe('orders-api-prod-error-rate');
    expect(fitName('a'.repeat(255), NAME_LIMITS.alarm)).toBe('a'.repeat(255));
  });

  it('keeps apart names that differ only in the part it cuts out, at the limit and with their ends', () => {
    // Prepare
    const first = `${'a'.repeat(150)}-blue-${'b'.repeat(150)}-error-rate`;
    const second = `${'a'.repeat(150)}-green-${'b'.repeat(150)}-error-rate`;

    // Act
    const fitted = [fitName(first, NAME_LIMITS.alarm), fitName(second, NAME_LIMITS.alarm)];

    // Assess
    expect(fitted[0]).not.toBe(fitted[1]);
    for (const name of fitted) {
      expect(name).toHaveLength(NAME_LIMITS.alarm);
      expect(name).toMatch(/^a+-[0-9a-f]{8}-b+-error-rate$/);
    }
    expect(fitName(first, NAME_LIMITS.alarm)).toBe(fitted[0]);
  });

  it('leaves a name holding a token as it is: its length is known at deploy time', () => {
    // Prepare
    const service = new CfnParameter(new Stack(), 'ServiceName').valueAsString;
    const name = `${service}-${'x'.repeat(300)}`;

    // Act and assess
    expect(fitName(name, NAME_LIMITS.alarm)).toBe(name);
  });
});
