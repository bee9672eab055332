import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { LookoutConfigError } from '../../../src/errors/index.js';
import { detectRuntime } from '../../../src/runtime/index.js';

function resolve(
  env: Record<string, string> = {},
  options: Parameters<typeof resolveConfig>[0]['options'] = {},
) {
  return resolveConfig({
    env,
    options,
    appPackage: { name: 'x', version: '1' },
    runtime: detectRuntime(env, () => undefined),
  });
}

describe('http.trustedProxies', () => {
  it('is empty by default', () => {
    expect(resolve().config.http.trustedProxies).toEqual([]);
  });

  it('reads LOOKOUT_TRUSTED_PROXIES', () => {
    expect(
      resolve({ LOOKOUT_TRUSTED_PROXIES: 'loopback, 10.0.0.0/8,fd00::/8' }).config.http.trustedProxies,
    ).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
  });

  it('warns and keeps the default for an invalid variable', () => {
    const { config, warnings } = resolve({ LOOKOUT_TRUSTED_PROXIES: 'loopback,10.0.0.0/40' });

    expect(config.http.trustedProxies).toEqual([]);
    expect(warnings.map((warning) => warning.variable)).toEqual(['LOOKOUT_TRUSTED_PROXIES']);
    expect(warnings[0]?.message).toContain('10.0.0.0/40');
  });

  it('throws LookoutConfigError for an invalid option', () => {
    expect(() => resolve({}, { http: { trustedProxies: ['everyone'] } })).toThrow(LookoutConfigError);
    expect(resolve({}, { http: { trustedProxies: ['uniquelocal'] } }).config.http.trustedProxies).toEqual([
      'uniquelocal',
    ]);
  });
});
