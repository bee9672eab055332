import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LookoutTraceState } from '../../../src/tracing/w3c/lookout-trace-state.js';

// Generators written from the ABNF, not from the parser's patterns.
const KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/@';
const FIRST_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const NBLK_CHARS = Array.from({ length: 0x7e - 0x21 + 1 }, (_, index) => String.fromCharCode(0x21 + index))
  .filter((char) => char !== ',' && char !== '=')
  .join('');

const charOf = (chars: string) => fc.constantFrom(...chars.split(''));
const key = fc
  .tuple(charOf(FIRST_KEY_CHARS), fc.string({ unit: charOf(KEY_CHARS), maxLength: 40 }))
  .map(([first, rest]) => first + rest);
const value = fc
  .tuple(
    fc.string({ unit: fc.oneof(charOf(NBLK_CHARS), fc.constant(' ')), maxLength: 40 }),
    charOf(NBLK_CHARS),
  )
  .map(([body, last]) => body + last);
const ows = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 3 });
const validList = fc.uniqueArray(fc.tuple(key, value), { maxLength: 32, selector: ([k]) => k });
const invalidMember = fc.oneof(
  fc.tuple(key, fc.constant('')).map(([k]) => `${k}=`),
  fc.tuple(charOf('ABCDEFGHIJKLMNOPQRSTUVWXYZ@_.'), value).map(([bad, v]) => `${bad}x=${v}`),
  fc.tuple(key, value).map(([k, v]) => `${k}=${v}=${v}`),
  fc.tuple(key, value).map(([k, v]) => `${k}=${v}\t${v}`),
  key,
);

describe('tracestate lists (property)', () => {
  it('reads back every valid list exactly, whatever the whitespace around its members', () => {
    fc.assert(
      fc.property(validList, fc.array(ows, { minLength: 33, maxLength: 33 }), (entries, spaces) => {
        const header = entries
          .map(([k, v], index) => `${spaces[index]}${k}=${v}${spaces[index + 1]}`)
          .join(',');

        expect(LookoutTraceState.parse(header, false)?.serialize()).toBe(
          entries.map(([k, v]) => `${k}=${v}`).join(','),
        );
      }),
    );
  });

  it('discards the whole list when any one member is invalid', () => {
    fc.assert(
      fc.property(validList, invalidMember, fc.nat(), (entries, bad, at) => {
        const members = entries.map(([k, v]) => `${k}=${v}`);
        members.splice(at % (members.length + 1), 0, bad);

        expect(LookoutTraceState.parse(members.join(','), false)).toBeUndefined();
      }),
    );
  });

  it('never holds a key twice or more than 32 entries, whatever is set', () => {
    fc.assert(
      fc.property(validList, fc.array(fc.tuple(key, value), { maxLength: 40 }), (entries, updates) => {
        let state = LookoutTraceState.parse(entries.map(([k, v]) => `${k}=${v}`).join(','), false)!;
        for (const [k, v] of updates) state = state.set(k, v);
        const keys =
          state.serialize() === ''
            ? []
            : state
                .serialize()
                .split(',')
                .map((m) => m.split('=')[0]);

        expect(new Set(keys).size).toBe(keys.length);
        expect(keys.length).toBeLessThanOrEqual(32);
        const last = updates.at(-1);
        if (last !== undefined) expect(keys[0]).toBe(last[0]);
      }),
    );
  });
});
