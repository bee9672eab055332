// One configuration in force: before init() resolved from the environment, then replaced, and
// every reader (logging, the Express adapters, the client address) sees the same one.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  getConfig,
  getConfigGeneration,
  resetConfigForTesting,
  resolveConfig,
  setConfig,
} from '../../../src/config/index.js';
import { getExcludedPathMatcher } from '../../../src/express/excluded-paths.js';
import { getClientIp } from '../../../src/http/index.js';
import { getLoggingRuntime } from '../../../src/logging/index.js';
import { detectRuntime } from '../../../src/runtime/index.js';

function resolved(env: Record<string, string>) {
  return resolveConfig({
    env,
    appPackage: { name: 'x', version: '1' },
    runtime: detectRuntime(env, () => undefined),
  }).config;
}

describe('the configuration in force', () => {
  beforeEach(() => {
    vi.stubEnv('LOOKOUT_EXCLUDED_PATHS', '/internal/*');
    vi.stubEnv('LOOKOUT_TRUSTED_PROXIES', 'loopback');
    vi.stubEnv('LOOKOUT_ENVIRONMENT', 'staging');
    resetConfigForTesting();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    resetConfigForTesting();
  });

  it('is resolved from the environment before init(), for every reader alike', () => {
    const config = getConfig();

    expect(config.excludedPaths).toEqual(['/internal/*']);
    expect(getExcludedPathMatcher()('/internal/metrics')).toBe(true);
    expect(getExcludedPathMatcher()('/orders')).toBe(false);
    expect(getLoggingRuntime().environment).toBe(config.environment);
    expect(config.environment).toBe('staging');
    expect(
      getClientIp({ headers: { 'x-forwarded-for': '203.0.113.7' }, socket: { remoteAddress: '127.0.0.1' } }),
    ).toBe('203.0.113.7');
  });

  it('is replaced as a whole, and every reader follows', () => {
    const before = getConfigGeneration();
    setConfig(resolved({ LOOKOUT_EXCLUDED_PATHS: '/ping', LOOKOUT_ENVIRONMENT: 'production' }));

    expect(getConfigGeneration()).toBeGreaterThan(before);
    expect(getExcludedPathMatcher()('/ping')).toBe(true);
    expect(getExcludedPathMatcher()('/internal/metrics')).toBe(false);
    expect(getLoggingRuntime().environment).toBe('production');
    // No trusted proxies in the new configuration: X-Forwarded-For is no longer followed.
    expect(
      getClientIp({ headers: { 'x-forwarded-for': '203.0.113.7' }, socket: { remoteAddress: '127.0.0.1' } }),
    ).toBe('127.0.0.1');
  });
});
