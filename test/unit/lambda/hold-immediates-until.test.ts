import { describe, expect, it } from 'vitest';
import { holdImmediatesUntil } from '../../../src/lambda/extension/hold-immediates-until.js';

describe('holding setImmediate callbacks until a registration settles', () => {
  it('runs the callbacks scheduled meanwhile only after it settled, in order, and then lets go', async () => {
    // Prepare
    const original = globalThis.setImmediate;
    let settle = () => {};
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const order: string[] = [];

    // Act
    holdImmediatesUntil(settled);
    setImmediate(() => order.push('first'));
    setImmediate((label: string) => order.push(label), 'second');
    // Turns of the event loop pass; the callbacks wait.
    await new Promise<void>((resolve) => original(resolve));
    await new Promise<void>((resolve) => original(resolve));
    const beforeSettling = [...order];
    order.push('settled');
    settle();
    await new Promise<void>((resolve) => original(resolve));
    await new Promise<void>((resolve) => original(resolve));

    // Assess
    expect(beforeSettling).toEqual([]);
    expect(order).toEqual(['settled', 'first', 'second']);
    expect(globalThis.setImmediate).toBe(original);
  });

  it('lets go after a failed registration too', async () => {
    const original = globalThis.setImmediate;
    const failed = Promise.reject(new Error('refused'));
    holdImmediatesUntil(failed);
    await failed.catch(() => {});
    await new Promise<void>((resolve) => original(resolve));
    expect(globalThis.setImmediate).toBe(original);
  });
});
