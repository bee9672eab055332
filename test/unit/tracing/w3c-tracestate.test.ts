import { createTraceState } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { LookoutTraceState } from '../../../src/tracing/w3c/lookout-trace-state.js';

const list = (count: number) => Array.from({ length: count }, (_, index) => `k${index}=v${index}`).join(',');

// One row per rule of "tracestate Header Field Values" and "tracestate Limits"; `null` means
// the whole header is discarded.
const ROWS: ReadonlyArray<{ rule: string; header: string; serialized: string | null }> = [
  {
    rule: 'a valid list, order kept',
    header: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
    serialized: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
  },
  { rule: 'empty', header: '', serialized: '' },
  { rule: 'only whitespace and commas', header: ' , \t,', serialized: '' },
  { rule: 'whitespace around members', header: ' a=1 \t,\tb=2 ', serialized: 'a=1,b=2' },
  { rule: "a value's leading spaces", header: 'a=  1', serialized: 'a=  1' },
  { rule: '32 members', header: list(32), serialized: list(32) },
  { rule: '33 members', header: list(33), serialized: null },
  { rule: '33 members counting a duplicate', header: `${list(32)},k0=again`, serialized: null },
  { rule: 'a digit first', header: '0a=1', serialized: '0a=1' },
  { rule: 'tenant@system', header: 'fw529a3039@dt=1', serialized: 'fw529a3039@dt=1' },
  {
    rule: 'level 1 tenant@system limits',
    header: `${'t'.repeat(241)}@${'s'.repeat(14)}=1`,
    serialized: `${'t'.repeat(241)}@${'s'.repeat(14)}=1`,
  },
  {
    rule: 'level 2 keys with @ anywhere after the first character',
    header: 'a@=1,a@@b=2,a@b@c=3',
    serialized: 'a@=1,a@@b=2,a@b@c=3',
  },
  { rule: 'a 256-character key', header: `${'k'.repeat(256)}=1`, serialized: `${'k'.repeat(256)}=1` },
  { rule: 'a 257-character key', header: `ok=1,${'k'.repeat(257)}=1`, serialized: null },
  { rule: 'a key starting with @', header: 'ok=1,@a=1', serialized: null },
  { rule: 'a key starting with -', header: 'ok=1,-a=1', serialized: null },
  { rule: 'an uppercase key', header: 'ok=1,A=1', serialized: null },
  { rule: 'a key with a dot', header: 'ok=1,a.b=1', serialized: null },
  { rule: 'an empty key', header: 'ok=1,=1', serialized: null },
  { rule: 'a 256-character value', header: `a=${'v'.repeat(256)}`, serialized: `a=${'v'.repeat(256)}` },
  { rule: 'a 257-character value', header: `ok=1,a=${'v'.repeat(257)}`, serialized: null },
  { rule: 'an empty value', header: 'ok=1,a=', serialized: null },
  { rule: 'a value of spaces only', header: 'ok=1,a=   ', serialized: null },
  { rule: 'an = in a value', header: 'ok=1,a=b=c', serialized: null },
  { rule: 'a member without =', header: 'ok=1,a', serialized: null },
  { rule: 'a tab inside a value', header: 'ok=1,a=b\tc', serialized: null },
  { rule: 'a character beyond ASCII in a value', header: 'ok=1,a=\u00e9', serialized: null },
  { rule: 'a repeated key: the left-most is kept', header: 'a=1,b=2,a=3', serialized: 'a=1,b=2' },
  { rule: 'a header far beyond the longest valid list', header: ' '.repeat(40_000), serialized: null },
];

describe('tracestate parsing', () => {
  it.each(ROWS)('$rule', ({ header, serialized }) => {
    expect(LookoutTraceState.parse(header, false)?.serialize() ?? null).toBe(serialized);
  });

  it('keeps the random-trace-id flag it is given, and never serializes it', () => {
    const state = LookoutTraceState.parse('a=1', true);

    expect(state?.randomTraceId).toBe(true);
    expect(state?.serialize()).toBe('a=1');
    expect(LookoutTraceState.parse('a=1', false)?.randomTraceId).toBe(false);
  });
});

describe('tracestate updates', () => {
  const state = LookoutTraceState.parse('rojo=1,congo=2,lookout=3', false)!;

  it('adds a new entry at the front', () => {
    expect(state.set('new', 'x').serialize()).toBe('new=x,rojo=1,congo=2,lookout=3');
  });

  it('moves an updated entry to the front, once', () => {
    expect(state.set('lookout', 'x').serialize()).toBe('lookout=x,rojo=1,congo=2');
  });

  it('drops the right-most entry when a 33rd would be added', () => {
    const full = LookoutTraceState.parse(list(32), false)!;

    expect(full.set('new', 'x').serialize()).toBe(`new=x,${list(31)}`);
  });

  it('refuses an invalid key or value and stays as it was', () => {
    expect(state.set('Upper', 'x')).toBe(state);
    expect(state.set('ok', 'a,b')).toBe(state);
    expect(state.set('ok', '')).toBe(state);
  });

  it('removes an entry and reads one', () => {
    expect(state.unset('congo').serialize()).toBe('rojo=1,lookout=3');
    expect(state.unset('absent')).toBe(state);
    expect(state.get('congo')).toBe('2');
    expect(state.get('absent')).toBeUndefined();
  });

  it('keeps the random-trace-id flag through updates', () => {
    const random = state.withRandomTraceId(true);

    expect(random.set('a', 'b').randomTraceId).toBe(true);
    expect(random.unset('rojo').randomTraceId).toBe(true);
    expect(random.serialize()).toBe(state.serialize());
  });

  it("takes another library's trace state when it serializes to a valid list", () => {
    expect(LookoutTraceState.from(createTraceState('a=1,b=2'), true)?.serialize()).toBe('a=1,b=2');
    expect(LookoutTraceState.from(createTraceState('a=1').set('B', 'x'), false)).toBeUndefined();
  });
});
