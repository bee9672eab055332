import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { detectRuntime } from '../../../src/runtime/index.js';

function configFor(env: Record<string, string>, options?: Parameters<typeof resolveConfig>[0]['options']) {
  return resolveConfig({
    env,
    options,
    runtime: detectRuntime(env, () => undefined),
    appPackage: { name: 'app', version: '1.0.0' },
  });
}

describe('tracing.esmLoader', () => {
  it('defaults to auto', () => {
    expect(configFor({}).config.tracing.esmLoader).toBe('auto');
  });

  it('reads LOOKOUT_ESM_LOADER', () => {
    expect(configFor({ LOOKOUT_ESM_LOADER: 'always' }).config.tracing.esmLoader).toBe('always');
  });

  it('warns about an unknown value and keeps auto', () => {
    const { config, warnings } = configFor({ LOOKOUT_ESM_LOADER: 'sometimes' });

    expect(config.tracing.esmLoader).toBe('auto');
    expect(warnings.map((warning) => warning.variable)).toEqual(['LOOKOUT_ESM_LOADER']);
  });

  it('takes the option over the variable', () => {
    const { config } = configFor({ LOOKOUT_ESM_LOADER: 'always' }, { tracing: { esmLoader: 'never' } });

    expect(config.tracing.esmLoader).toBe('never');
  });
});
