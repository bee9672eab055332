import type { ExpressRequest } from './types.js';

/** The URL as the client sent it (before routers stripped their mount path). */
export function requestUrl(req: ExpressRequest): string {
  return req.originalUrl ?? req.url ?? '/';
}

/** The request path without its query string: query strings carry tokens and personal data. */
export function requestPath(req: ExpressRequest): string {
  const url = requestUrl(req);
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? url : url.slice(0, queryAt);
}
