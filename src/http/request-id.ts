import { randomUuid } from '../runtime/index.js';
import type { RequestLike } from './request-like.js';

/** What an incoming request id may look like to be used as is (it goes into headers and logs). */
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Headers a request id is taken from, first valid one wins.
 *
 * @example
 * const incoming = REQUEST_ID_HEADERS.map((name) => req.headers[name]);
 */
export const REQUEST_ID_HEADERS = ['x-request-id', 'x-amzn-requestid'] as const;

/**
 * Whether `value` may be used as a request id: 1 to 128 characters of `[A-Za-z0-9._:-]`.
 *
 * @example
 * isValidRequestId('7c0e1f7a-2b1d'); // true
 * isValidRequestId('a\r\nSet-Cookie: x=1'); // false
 */
export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && VALID_REQUEST_ID.test(value);
}

/**
 * The request's id: `X-Request-ID`, else `x-amzn-requestid` (API Gateway), when valid; a new
 * UUID otherwise. An incoming value that is not valid is replaced, never echoed or logged.
 *
 * @example
 * const requestId = resolveRequestId(req);
 * res.setHeader('X-Request-ID', requestId);
 */
export function resolveRequestId(req: RequestLike): string {
  for (const name of REQUEST_ID_HEADERS) {
    const value = req.headers[name];
    if (isValidRequestId(value)) return value;
  }
  return randomUuid();
}
