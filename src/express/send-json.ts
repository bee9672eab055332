import type { ExpressResponse } from './types.js';

/**
 * Sends `body` as JSON with `status`, with Node's own API so it works whatever the framework
 * added to the response (or did not).
 */
export function sendJson(res: ExpressResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}
