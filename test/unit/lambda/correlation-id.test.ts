import { describe, expect, it } from 'vitest';
import { LookoutConfigError } from '../../../src/errors/index.js';
import { compileCorrelationIdPath, correlationPaths } from '../../../src/lambda/correlation-id.js';

describe('correlation id paths', () => {
  it.each([
    [correlationPaths.API_GATEWAY_HTTP, { requestContext: { requestId: 'r-1' } }, 'r-1'],
    [correlationPaths.APPSYNC_RESOLVER, { request: { headers: { 'x-amzn-trace-id': 'Root=1' } } }, 'Root=1'],
    [correlationPaths.S3_OBJECT_LAMBDA, { xAmzRequestId: 'x-7' }, 'x-7'],
    ['items[1].id', { items: [{ id: 'a' }, { id: 42 }] }, '42'],
    ['"a.b"."c\\"d"', { 'a.b': { 'c"d': 'quoted' } }, 'quoted'],
    ['requestContext.requestId', { requestContext: {} }, undefined],
    ['requestContext.requestId', { requestContext: { requestId: { nested: true } } }, undefined],
    ['items[0]', { items: { 0: 'not an array' } }, undefined],
    ['toString', {}, undefined],
    ['id', null, undefined],
  ])('%s reads %j as %s', (path, event, expected) => {
    expect(compileCorrelationIdPath(path)(event)).toBe(expected);
  });

  it('reads an event whose getters or Proxy traps throw as one without the id', () => {
    // A hand-made event (a test harness's, a direct invocation's): the reader runs when the
    // invocation starts, and a throw there would leave the whole invocation untraced.
    const read = compileCorrelationIdPath(correlationPaths.API_GATEWAY_REST);
    const throwing = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error('trap');
        },
      },
    );
    const getter = {
      get requestId() {
        throw new Error('getter');
      },
    };

    expect(read({ requestContext: throwing })).toBeUndefined();
    expect(read({ requestContext: getter })).toBeUndefined();
  });

  it.each(['', 'a..b', 'a.', '.a', 'a[x]', '"open', 'a b', 7, 'headers[*]'])(
    'refuses %j when the handler is wrapped',
    (path) => {
      expect(() => compileCorrelationIdPath(path)).toThrow(LookoutConfigError);
    },
  );
});
