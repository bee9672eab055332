import { describe, expect, it } from 'vitest';
import { ERROR_CODES, LookoutConfigError, LookoutError } from '../../../src/errors/index.js';

describe('error codes', () => {
  it('are carried by LookoutConfigError with the option, value and accepted values', () => {
    const error = new LookoutConfigError({ option: 'tracing.sampler', value: 'x', accepted: 'one of: a, b' });

    expect(error).toBeInstanceOf(LookoutError);
    expect(error.code).toBe('LOOKOUT_CONFIG_INVALID');
    expect(error.name).toBe('LookoutConfigError');
    expect(error.message).toBe('Invalid option "tracing.sampler": received "x"; expected one of: a, b.');
  });

  it('keep the cause', () => {
    const cause = new Error('root');

    expect(new LookoutError(ERROR_CODES.INTERNAL, 'wrapped', { cause }).cause).toBe(cause);
  });
});
