import {
  type Context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  type Span,
  trace,
} from '@opentelemetry/api';
import { getRPCMetadata, RPCType, setRPCMetadata } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { REQUEST_CONTEXT_KEY, type RequestContext } from '../../../src/logging/request-context.js';
import { RequestScopeContext } from '../../../src/tracing/request-scope-context.js';

const remote = {
  traceId: 'a'.repeat(32),
  spanId: 'b'.repeat(16),
  traceFlags: 1,
  isRemote: true,
};
const local = { traceId: 'a'.repeat(32), spanId: 'c'.repeat(16), traceFlags: 1 };
const APP_KEY = createContextKey('app.key');

/** The context a request had before: the same values set one after another on the parent. */
function chained(parent: Context, span: Span, keys: RequestContext): Context {
  return setRPCMetadata(trace.setSpan(parent, span), { type: RPCType.HTTP, span }).setValue(
    REQUEST_CONTEXT_KEY,
    keys,
  );
}

/** What the api, the SDK core and Lookout's logging read from a context. */
function read(context: Context) {
  return {
    span: trace.getSpan(context),
    rpc: getRPCMetadata(context),
    keys: context.getValue(REQUEST_CONTEXT_KEY),
    baggage: propagation.getBaggage(context)?.getEntry('tenant')?.value,
    app: context.getValue(APP_KEY),
  };
}

function parentWithRemoteSpanAndBaggage(): Context {
  const withBaggage = propagation.setBaggage(
    ROOT_CONTEXT,
    propagation.createBaggage({ tenant: { value: 'acme' } }),
  );
  return trace.setSpanContext(withBaggage, remote);
}

describe('RequestScopeContext', () => {
  it('reads like the chain of contexts it replaces: span, RPC metadata, keys, the parent’s baggage', () => {
    const parent = parentWithRemoteSpanAndBaggage();
    const span = trace.wrapSpanContext(local);
    const keys: RequestContext = { request_id: 'r-1' };

    const scope = new RequestScopeContext(parent, span, { type: RPCType.HTTP, span }, keys);

    expect(read(scope)).toEqual(read(chained(parent, span, keys)));
    expect(trace.getSpan(scope)).toBe(span);
    expect(scope.getValue(REQUEST_CONTEXT_KEY)).toBe(keys);
    expect(read(scope).baggage).toBe('acme');
  });

  it('without a span (tracing off, an excluded path) reads the parent’s span, and holds the keys', () => {
    const parent = parentWithRemoteSpanAndBaggage();
    const keys: RequestContext = {};

    const scope = new RequestScopeContext(parent, undefined, undefined, keys);

    expect(trace.getSpanContext(scope)).toEqual(remote);
    expect(getRPCMetadata(scope)).toBeUndefined();
    expect(scope.getValue(REQUEST_CONTEXT_KEY)).toBe(keys);
  });

  it('without keys reads like trace.setSpan on the parent: the parent’s keys, and derivations keep them', () => {
    const keys: RequestContext = { request_id: 'r-1' };
    const parent = parentWithRemoteSpanAndBaggage().setValue(REQUEST_CONTEXT_KEY, keys);
    const span = trace.wrapSpanContext(local);

    const scope = new RequestScopeContext(parent, span, undefined, undefined);

    expect(read(scope)).toEqual(read(trace.setSpan(parent, span)));
    expect(read(scope.setValue(APP_KEY, 42))).toEqual({ ...read(trace.setSpan(parent, span)), app: 42 });
    expect(read(new RequestScopeContext(ROOT_CONTEXT, span, undefined, undefined))).toEqual(
      read(trace.setSpan(ROOT_CONTEXT, span)),
    );
  });

  it('derives ordinary contexts that keep every value, and leaves itself unchanged', () => {
    const parent = parentWithRemoteSpanAndBaggage();
    const span = trace.wrapSpanContext(local);
    const keys: RequestContext = { request_id: 'r-1' };
    const scope = new RequestScopeContext(parent, span, { type: RPCType.HTTP, span }, keys);
    const child = trace.wrapSpanContext({ ...local, spanId: 'd'.repeat(16) });

    const withApp = scope.setValue(APP_KEY, 42);
    const withChild = trace.setSpan(scope, child);
    const withoutSpan = trace.deleteSpan(scope);

    expect(read(withApp)).toEqual({ ...read(scope), app: 42 });
    expect(trace.getSpan(withChild)).toBe(child);
    expect(withChild.getValue(REQUEST_CONTEXT_KEY)).toBe(keys);
    expect(getRPCMetadata(withChild)).toEqual({ type: RPCType.HTTP, span });
    expect(trace.getSpan(withoutSpan)).toBeUndefined();
    expect(withoutSpan.getValue(REQUEST_CONTEXT_KEY)).toBe(keys);
    expect(read(scope)).toEqual(read(chained(parent, span, keys)));
  });

  it('derives a context per span set on it that reads like the ordinary chain, however deep', () => {
    const parent = parentWithRemoteSpanAndBaggage();
    const span = trace.wrapSpanContext(local);
    const keys: RequestContext = { request_id: 'r-1' };
    const rpc = { type: RPCType.HTTP, span } as const;
    const scope = new RequestScopeContext(parent, span, rpc, keys);
    const client = trace.wrapSpanContext({ ...local, spanId: 'd'.repeat(16) });
    const nested = trace.wrapSpanContext({ ...local, spanId: 'e'.repeat(16) });

    const derived = trace.setSpan(trace.setSpan(scope, client), nested).setValue(APP_KEY, 7);
    const ordinary = trace
      .setSpan(trace.setSpan(chained(parent, span, keys), client), nested)
      .setValue(APP_KEY, 7);

    expect(read(derived)).toEqual(read(ordinary));
    expect(trace.getSpan(derived)).toBe(nested);
    expect(trace.getSpan(trace.setSpan(scope, client))).toBe(client);
    // made without expanding the request's context into an ordinary one
    expect(trace.setSpan(scope, client)).toBeInstanceOf(RequestScopeContext);
    // the scope itself still holds its own span
    expect(trace.getSpan(scope)).toBe(span);
    // an undefined span hides the request's span, as in an ordinary context
    expect(trace.getSpan(trace.setSpan(scope, undefined as unknown as Span))).toBeUndefined();
  });
});
