import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { getResponseContentLength } from '../../../src/tracing/http/response-content-length.js';

function serverResponse(length?: string | number): ServerResponse {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  if (length !== undefined) response.setHeader('content-length', length);
  return response;
}

describe("a response's declared size", () => {
  it.each([
    { given: 'a string header', response: serverResponse('42'), expected: 42 },
    { given: 'a number header', response: serverResponse(42), expected: 42 },
    { given: 'an empty body', response: serverResponse('0'), expected: 0 },
    { given: 'no header (chunked)', response: serverResponse(), expected: undefined },
    { given: 'a header that is not a length', response: serverResponse('4 2'), expected: undefined },
    { given: "a client's incoming response", response: { headers: { 'content-length': '7' } }, expected: 7 },
    { given: 'something else', response: 'nope', expected: undefined },
  ])('reads $given as $expected', ({ response, expected }) => {
    expect(getResponseContentLength(response)).toBe(expected);
  });
});

describe('a response whose properties throw when read', () => {
  it('asks a server response for getHeader only, never for headers', () => {
    const response = serverResponse('42');
    Object.defineProperty(response, 'headers', {
      get() {
        throw new Error('headers read');
      },
    });

    expect(getResponseContentLength(response)).toBe(42);
  });

  it('gives no size, and throws nothing, when getHeader cannot be read', () => {
    const response = {
      get getHeader(): never {
        throw new Error('getHeader read');
      },
    };

    expect(getResponseContentLength(response)).toBeUndefined();
  });
});
