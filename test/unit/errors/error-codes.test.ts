import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, LookoutConfigError, LookoutError } from '../../../src/errors/index.js';

const ERRORS_DOC = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

describe('error codes', () => {
  it('are each documented in docs/errors.md', () => {
    const documented = [...ERRORS_DOC.matchAll(/^\|\s*`(LOOKOUT_[A-Z_]+)`\s*\|/gm)].map((match) => match[1]);

    expect(documented.sort()).toEqual(Object.values(ERROR_CODES).sort());
  });

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
