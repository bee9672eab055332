import { afterEach, describe, expect, it, vi } from 'vitest';
import { withVariablesUnset } from '../../../src/runtime/index.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('withVariablesUnset', () => {
  it('runs with the named variables unset and puts them back afterwards', () => {
    // Prepare
    vi.stubEnv('LOOKOUT_TEST_HIDDEN', 'a=1');
    vi.stubEnv('LOOKOUT_TEST_KEPT', 'b=2');

    // Act
    const seen = withVariablesUnset(['LOOKOUT_TEST_HIDDEN', 'LOOKOUT_TEST_UNSET'], () => ({
      hidden: process.env.LOOKOUT_TEST_HIDDEN,
      hiddenKey: 'LOOKOUT_TEST_HIDDEN' in process.env,
      kept: process.env.LOOKOUT_TEST_KEPT,
    }));

    // Assess
    expect(seen).toEqual({ hidden: undefined, hiddenKey: false, kept: 'b=2' });
    expect(process.env.LOOKOUT_TEST_HIDDEN).toBe('a=1');
    expect('LOOKOUT_TEST_UNSET' in process.env).toBe(false);
  });

  it('puts the variables back when the function throws, and rethrows its error', () => {
    // Prepare
    vi.stubEnv('LOOKOUT_TEST_HIDDEN', 'a=1');
    const error = new Error('constructor failed');

    // Act
    const act = () =>
      withVariablesUnset(['LOOKOUT_TEST_HIDDEN'], () => {
        throw error;
      });

    // Assess
    expect(act).toThrow(error);
    expect(process.env.LOOKOUT_TEST_HIDDEN).toBe('a=1');
  });
});
