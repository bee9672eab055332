import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoTimestamp } from '../../../src/logging/iso-timestamp.js';

// The timestamp of every log line: the same text as Date.prototype.toISOString, which it replaces
// on the logging path for its cost.
const MAX_TIME = 8.64e15; // the largest time value a Date holds

describe('formatIsoTimestamp', () => {
  it('writes what toISOString writes, for any valid date, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -MAX_TIME, max: MAX_TIME }), { minLength: 1, maxLength: 5 }),
        (times) => {
          for (const time of times)
            expect(formatIsoTimestamp(new Date(time))).toBe(new Date(time).toISOString());
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('writes what toISOString writes for consecutive milliseconds across minutes, years and 1970', () => {
    const starts = [
      Date.UTC(2026, 11, 31, 23, 58, 59, 990),
      -1_005,
      0,
      Date.UTC(9999, 11, 31, 23, 59, 59, 0),
    ];
    for (const start of starts) {
      for (let time = start; time < start + 2_000; time += 7) {
        expect(formatIsoTimestamp(new Date(time))).toBe(new Date(time).toISOString());
      }
    }
  });

  it('throws for an invalid date, as toISOString does', () => {
    expect(() => formatIsoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});
