/**
 * The attribute the HTTP semantic conventions give the size of a response body in bytes; the
 * X-Ray mapping makes it `http.response.content_length` (../xray/map-http.ts), and the ADOT
 * collector's X-Ray exporter reads it too.
 */
export const RESPONSE_BODY_SIZE_ATTRIBUTE = 'http.response.body.size';

const DIGITS = /^\d+$/;

function toLength(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!DIGITS.test(text)) return undefined;
  const length = Number(text);
  return Number.isSafeInteger(length) ? length : undefined;
}

/**
 * The body size a response declares in its `Content-Length` header, when it declares one (a
 * chunked response does not: its size is then unknown, and nothing is recorded). Reads a
 * server's `ServerResponse` (`getHeader`) or a client's `IncomingMessage` (`headers`).
 *
 * @example
 * getResponseContentLength(res); // 42 after res.json({ ... }) in Express
 */
export function getResponseContentLength(response: unknown): number | undefined {
  if (response === null || typeof response !== 'object') return undefined;
  const message = response as { getHeader?: (name: string) => unknown; headers?: Record<string, unknown> };
  try {
    // `headers` is read only when there is no `getHeader`: behind Express, each property read
    // of a response at the end of a request is a megamorphic inline-cache miss that V8 resolves
    // in its runtime (`node --log-ic`), so a server's response is asked one property, not two.
    const getHeader = message.getHeader;
    if (typeof getHeader === 'function') return toLength(getHeader.call(response, 'content-length'));
    return toLength(message.headers?.['content-length']);
  } catch {
    return undefined;
  }
}
