import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvocationContextManager, setInvocationContext } from '../../../src/tracing/invocation-context.js';

const KEY = createContextKey('test');
let manager: InvocationContextManager;

beforeEach(() => {
  manager = new InvocationContextManager();
  manager.enable();
});
afterEach(() => {
  setInvocationContext(undefined);
  manager.disable();
});

describe('the invocation context manager', () => {
  it('answers the invocation context where no context is active, while one is set', () => {
    const invocation = ROOT_CONTEXT.setValue(KEY, 'invocation');

    expect(manager.active()).toBe(ROOT_CONTEXT);
    setInvocationContext(invocation);
    expect(manager.active()).toBe(invocation);
    setInvocationContext(undefined);
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });

  it('lets a context made active with with() win, and inherit nothing from the fallback', () => {
    setInvocationContext(ROOT_CONTEXT.setValue(KEY, 'invocation'));
    const own = ROOT_CONTEXT.setValue(KEY, 'own');

    expect(manager.with(own, () => manager.active().getValue(KEY))).toBe('own');
  });

  it('reaches callbacks that lost their async context', async () => {
    setInvocationContext(ROOT_CONTEXT.setValue(KEY, 'invocation'));

    // A timer created outside any context, as a pooled client's callbacks often are.
    const seen = await manager.with(
      ROOT_CONTEXT,
      () => new Promise((resolve) => setTimeout(() => resolve(manager.active().getValue(KEY)), 0)),
    );

    expect(seen).toBe('invocation');
  });
});
