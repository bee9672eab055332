import { afterEach, describe, expect, it } from 'vitest';
import {
  getRequestContext,
  runWithRequestContext,
  setInvocationRequestContext,
  setRequestContextValues,
} from '../../../src/logging/index.js';

afterEach(() => {
  setInvocationRequestContext(undefined);
});

describe('the invocation request context (the middy fallback)', () => {
  it('is the request context wherever none is active, while it is set', () => {
    expect(getRequestContext()).toBeUndefined();

    setInvocationRequestContext({ function_request_id: 'r1', cold_start: true });

    expect(getRequestContext()).toEqual({ function_request_id: 'r1', cold_start: true });
    setInvocationRequestContext(undefined);
    expect(getRequestContext()).toBeUndefined();
  });

  it('gives way to a context started with runWithRequestContext', () => {
    setInvocationRequestContext({ function_request_id: 'fallback' });

    const inside = runWithRequestContext({ request_id: 'req-1' }, () => getRequestContext());

    expect(inside).toEqual({ request_id: 'req-1' });
  });

  it('takes values set by the handler, so they reach later lines of the invocation', () => {
    setInvocationRequestContext({ function_request_id: 'r2' });

    expect(setRequestContextValues({ tenant: 'acme' })).toBe(true);

    expect(getRequestContext()).toEqual({ function_request_id: 'r2', tenant: 'acme' });
  });
});
