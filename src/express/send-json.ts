import type { ExpressResponse } from './types.js';

/**
 * Headers that describe the body the app meant to send (compressed, a byte range, in another
 * language, a download): kept on a JSON body that replaces it, they make it one no client reads.
 */
const BODY_HEADERS = ['Content-Encoding', 'Content-Range', 'Content-Language', 'Content-Disposition'];

/**
 * Sends `body` as JSON with `status`, with Node's own API so it works whatever the framework
 * added to the response (or did not).
 */
export function sendJson(res: ExpressResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const name of BODY_HEADERS) res.removeHeader(name);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}
