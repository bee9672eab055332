import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitHttpUrl, fitRequestField } from '../../../src/tracing/xray/fit-http-request.js';

const BASE = 'https://api.example.com/orders/search';
const codePoints = (text: string) => Array.from(text).length;

describe('fitting http.request.url into 250 characters', () => {
  it.each([
    {
      rule: 'a URL of 250 characters is kept',
      url: `${BASE}?q=${'a'.repeat(250 - BASE.length - 3)}`,
      expected: 'same',
    },
    { rule: 'the fragment goes first', url: `${BASE}?q=1#${'f'.repeat(300)}`, expected: `${BASE}?q=1` },
    {
      rule: 'query parameters are dropped whole, from the last one on',
      url: `${BASE}?page=2&size=50&q=${'x'.repeat(300)}&sort=asc`,
      expected: `${BASE}?page=2&size=50`,
    },
    {
      rule: 'a query that cannot fit at all is dropped',
      url: `${BASE}?q=${'x'.repeat(300)}`,
      expected: BASE,
    },
    {
      rule: 'a path longer than 250 characters is cut',
      url: `https://api.example.com/${'p'.repeat(300)}?q=1`,
      expected: `https://api.example.com/${'p'.repeat(250 - 'https://api.example.com/'.length)}`,
    },
    {
      rule: 'a redacted value stays redacted (it is cut whole or kept whole)',
      url: `${BASE}?token=[REDACTED]&q=${'x'.repeat(300)}`,
      expected: `${BASE}?token=[REDACTED]`,
    },
  ])('$rule', ({ url, expected }) => {
    const fitted = fitHttpUrl(url);

    expect(fitted).toBe(expected === 'same' ? url : expected);
    expect(codePoints(fitted)).toBeLessThanOrEqual(250);
  });

  it('counts characters, not UTF-16 units, and never splits a surrogate pair', () => {
    const url = `${BASE}/${'😀'.repeat(240)}`;

    const fitted = fitHttpUrl(url);

    expect(codePoints(fitted)).toBe(250);
    expect(fitted).toBe(Array.from(url).slice(0, 250).join(''));
    expect(fitRequestField('é'.repeat(250))).toBe('é'.repeat(250));
  });

  it('always fits, changes nothing that already fits, and keeps the start of the URL', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 600 }), (tail) => {
        const url = `${BASE}${tail}`;

        const fitted = fitHttpUrl(url);

        expect(codePoints(fitted)).toBeLessThanOrEqual(250);
        if (codePoints(url) <= 250) expect(fitted).toBe(url);
        expect(url.startsWith(fitted.split(/[?#]/)[0]!)).toBe(true);
      }),
    );
  });
});

describe('fitting the other request strings', () => {
  it('cuts a user agent, method or client address to 250 characters', () => {
    expect(fitRequestField('Mozilla/5.0 '.repeat(40))).toHaveLength(250);
    expect(fitRequestField('GET')).toBe('GET');
  });
});
