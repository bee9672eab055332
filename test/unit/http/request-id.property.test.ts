import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidRequestId, resolveRequestId } from '../../../src/http/request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;

describe('request ids', () => {
  it('uses an incoming id only when it is 1 to 128 safe characters, and is safe either way', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ maxLength: 300 }),
        (given, amzn) => {
          const id = resolveRequestId({ headers: { 'x-request-id': given, 'x-amzn-requestid': amzn } });

          expect(id).toMatch(SAFE);
          if (SAFE.test(given)) expect(id).toBe(given);
          else if (SAFE.test(amzn)) expect(id).toBe(amzn);
          else expect(id).toMatch(UUID);
        },
      ),
    );
  });

  it.each([
    ['a UUID', '7c0e1f7a-2b1d-4c55-9d0e-3f5d2a1b9c44', true],
    ['dots, colons, underscores', 'Root_1.2:3', true],
    ['128 characters', 'a'.repeat(128), true],
    ['129 characters', 'a'.repeat(129), false],
    ['empty', '', false],
    ['CRLF', 'a\r\nSet-Cookie: x=1', false],
    ['a space', 'a b', false],
    ['unicode', 'ü', false],
    ['an array (repeated header)', ['a', 'b'], false],
  ])('%s is %s', (_name, value, valid) => {
    expect(isValidRequestId(value)).toBe(valid);
  });

  it('generates a new id when none is sent', () => {
    const first = resolveRequestId({ headers: {} });
    const second = resolveRequestId({ headers: {} });

    expect(first).toMatch(UUID);
    expect(second).not.toBe(first);
  });
});
