import { describe, expect, it } from 'vitest';
import { buildErrorBody, errorHeadersOf, statusOfError } from '../../../src/express/build-error-body.js';
import { createRedactionPolicy } from '../../../src/logging/index.js';

const redaction = createRedactionPolicy({});

function failure(message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), fields);
}

describe('statusOfError', () => {
  it.each([
    ['err.status 404', failure('x', { status: 404 }), 404],
    ['err.statusCode 503', failure('x', { statusCode: 503 }), 503],
    ['status before statusCode', failure('x', { status: 409, statusCode: 500 }), 409],
    ['a 3xx status', failure('x', { status: 302 }), 500],
    ['a 2xx status', failure('x', { status: 200, statusCode: 422 }), 422],
    ['a string status', failure('x', { status: '404' }), 500],
    ['600', failure('x', { status: 600 }), 500],
    ['no status', new Error('x'), 500],
    ['a thrown string', 'boom', 500],
    ['null', null, 500],
    [
      'a status getter that throws',
      Object.defineProperty(new Error('x'), 'status', {
        get() {
          throw new Error('getter');
        },
      }),
      500,
    ],
  ])('%s gives %s', (_name, error, status) => {
    expect(statusOfError(error)).toBe(status);
  });
});

describe('errorHeadersOf', () => {
  it.each([
    [
      'a 401 challenge',
      failure('x', { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } }),
      [['WWW-Authenticate', 'Bearer']],
    ],
    [
      'a number and a list',
      failure('x', { statusCode: 429, headers: { 'Retry-After': 30, Vary: ['a', 'b'] } }),
      [
        ['Retry-After', 30],
        ['Vary', ['a', 'b']],
      ],
    ],
    ['an error without its own status', failure('x', { headers: { 'Retry-After': '30' } }), []],
    [
      'headers that frame the body',
      failure('x', { status: 413, headers: { 'content-length': '1', 'Transfer-Encoding': 'chunked' } }),
      [],
    ],
    [
      'values of other types',
      failure('x', { status: 400, headers: { a: { b: 1 }, c: [1], d: null, e: true } }),
      [],
    ],
    ['headers that are not an object', failure('x', { status: 400, headers: 'Retry-After: 30' }), []],
    ['a thrown string', 'Retry-After: 30', []],
  ])('reads %s', (_name, error, expected) => {
    expect(errorHeadersOf(error)).toEqual(expected);
  });
});

describe('buildErrorBody', () => {
  const internal = failure('connect ECONNREFUSED 10.0.0.5:5432 password=x', {
    code: 'ECONNREFUSED',
    host: '10.0.0.5',
    token: 'tok-123',
  });

  it('says only the status text of a 5xx in production', () => {
    expect(
      buildErrorBody({ error: internal, status: 500, requestId: 'r-1', production: true, redaction }),
    ).toEqual({
      error: 'Internal Server Error',
      requestId: 'r-1',
    });
    expect(
      buildErrorBody({ error: internal, status: 503, requestId: undefined, production: true, redaction }),
    ).toEqual({
      error: 'Service Unavailable',
      requestId: null,
    });
  });

  it('keeps a 4xx message in production unless the error says expose: false', () => {
    const notFound = failure('order 7 does not exist', { status: 404, secretField: 'x' });
    const hidden = failure('user row 7 is locked by job 12', { status: 409, expose: false });

    expect(
      buildErrorBody({ error: notFound, status: 404, requestId: 'r', production: true, redaction }),
    ).toEqual({
      error: 'order 7 does not exist',
      requestId: 'r',
    });
    expect(
      buildErrorBody({ error: hidden, status: 409, requestId: 'r', production: true, redaction }),
    ).toEqual({
      error: 'Conflict',
      requestId: 'r',
    });
    expect(
      buildErrorBody({ error: new Error(''), status: 400, requestId: 'r', production: true, redaction }),
    ).toEqual({
      error: 'Bad Request',
      requestId: 'r',
    });
  });

  it('adds name, code, stack lines and own fields in development, redacted', () => {
    const body = buildErrorBody({
      error: internal,
      status: 500,
      requestId: 'r-2',
      production: false,
      redaction,
    });

    expect(body).toMatchObject({
      // The message's `password=x` is censored by name, as a URL parameter or log key would be.
      error: 'connect ECONNREFUSED 10.0.0.5:5432 password=[REDACTED]',
      requestId: 'r-2',
      name: 'Error',
      code: 'ECONNREFUSED',
      details: { host: '10.0.0.5', token: '[REDACTED]' },
    });
    expect(body.stack?.[0]).toBe('Error: connect ECONNREFUSED 10.0.0.5:5432 password=[REDACTED]');
    expect(body.stack?.length).toBeGreaterThan(1);
  });

  it('handles a thrown string and a thrown object', () => {
    expect(
      buildErrorBody({ error: 'plain failure', status: 500, requestId: 'r', production: false, redaction }),
    ).toEqual({
      error: 'plain failure',
      requestId: 'r',
    });
    expect(
      buildErrorBody({ error: { reason: 'x' }, status: 500, requestId: 'r', production: false, redaction }),
    ).toEqual({
      error: 'Internal Server Error',
      requestId: 'r',
      details: { reason: 'x' },
    });
  });

  it('redacts secrets in a message it shows, and cuts it at 500 characters', () => {
    const body = buildErrorBody({
      error: failure(`token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl ${'x'.repeat(600)}`, {
        status: 400,
      }),
      status: 400,
      requestId: 'r',
      production: true,
      redaction,
    });

    expect(body.error).toMatch(/^token \[REDACTED\] x+$/);
    expect(body.error.length).toBeLessThanOrEqual(500);
  });
});
