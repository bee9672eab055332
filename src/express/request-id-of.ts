import { getRequestContext } from '../core.js';
import { getRequestState } from './request-state.js';
import type { ExpressRequest, ExpressResponse } from './types.js';

/**
 * The request's id, for error bodies: observe()'s, else the request context's, else the
 * `X-Request-ID` already set on the response. Undefined without observe().
 */
export function requestIdOf(req: ExpressRequest, res: ExpressResponse): string | undefined {
  const fromState = getRequestState(req)?.requestId;
  if (fromState !== undefined) return fromState;
  const fromContext = getRequestContext()?.request_id;
  if (typeof fromContext === 'string') return fromContext;
  const header = res.getHeader('x-request-id');
  return typeof header === 'string' ? header : undefined;
}
