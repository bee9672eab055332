import { EventEmitter } from 'node:events';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { observe } from '../../../src/express/index.js';
import type { ExpressRequest, ExpressResponse } from '../../../src/express/types.js';
import {
  captureLogLinesForTesting,
  getRequestContext,
  runWithRequestContext,
} from '../../../src/logging/index.js';
import { setInvocationContext } from '../../../src/tracing/invocation-context.js';
import { getServerSpan } from '../../../src/tracing/server-span.js';

const provider = new NodeTracerProvider();
let restoreLines = () => {};

beforeAll(() => {
  provider.register();
  restoreLines = captureLogLinesForTesting(() => {});
});
afterAll(async () => {
  restoreLines();
  await provider.shutdown();
});
afterEach(() => setInvocationContext(undefined));

function exchange() {
  const req = { method: 'GET', url: '/a', headers: { 'x-request-id': 'req-7' } } as unknown as ExpressRequest;
  const res = Object.assign(new EventEmitter(), {
    headersSent: false,
    setHeader: () => {},
    write: () => true,
    end: () => {},
  }) as unknown as ExpressResponse;
  return { req, res };
}

describe('observe() inside a Lambda invocation', () => {
  it("keeps the invocation's request context keys and adds request_id", () => {
    const { req, res } = exchange();
    let seen: Record<string, unknown> | undefined;

    runWithRequestContext({ function_request_id: 'inv-1', cold_start: true, function_name: 'orders' }, () =>
      observe()(req, res, () => {
        seen = { ...getRequestContext() };
      }),
    );

    expect(seen).toEqual({
      function_request_id: 'inv-1',
      cold_start: true,
      function_name: 'orders',
      request_id: 'req-7',
    });
  });

  it("takes the invocation's span as the server span when no HTTP server span exists", () => {
    const tracer = provider.getTracer('unit');
    const invocation = tracer.startSpan('GET /orders/{id}');
    const middleware = tracer.startSpan('middleware - observe');
    setInvocationContext(trace.setSpan(ROOT_CONTEXT, invocation));

    const found = context.with(trace.setSpan(ROOT_CONTEXT, middleware), () => getServerSpan());

    expect(found).toBe(invocation);
    setInvocationContext(undefined);
    expect(context.with(trace.setSpan(ROOT_CONTEXT, middleware), () => getServerSpan())).toBe(middleware);
    invocation.end();
    middleware.end();
  });
});
