import { describe, expect, it } from 'vitest';
import { randomHex, randomUuid } from '../../../src/runtime/index.js';

describe('random ids', () => {
  it('gives two lower-case hex digits per byte, different each call', () => {
    const ids = new Set(Array.from({ length: 50 }, () => randomHex(8)));

    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(randomHex(12)).toMatch(/^[0-9a-f]{24}$/);
  });

  it('gives version 4 UUIDs, different each call', () => {
    const first = randomUuid();

    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(randomUuid()).not.toBe(first);
  });
});
