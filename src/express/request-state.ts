import type { Span } from '../core.js';
import type { ExpressRequest } from './types.js';

/** What observe() learns about one request, shared with the other middleware. */
export interface RequestState {
  readonly requestId: string;
  /** performance.now() when observe() first saw the request. */
  readonly startedAt: number;
  /** The request's server span, if any, found when observe() ran. */
  readonly serverSpan: Span | undefined;
  /** No access log, request metrics or audit entry (excluded path, or a health() response). */
  excluded: boolean;
}

// Keyed by the request object, so state goes away with the request (no cleanup needed).
const states = new WeakMap<object, RequestState>();

/** The state observe() attached to `req`, if it ran for this request. */
export function getRequestState(req: ExpressRequest): RequestState | undefined {
  return states.get(req);
}

export function setRequestState(req: ExpressRequest, state: RequestState): void {
  states.set(req, state);
}

// Requests excluded before (or without) observe(): health() marks its own responses.
const excludedWithoutState = new WeakSet<object>();

/**
 * Leaves this request out of access logs, request metrics and the audit trail (health checks:
 * telemetry about telemetry is excluded, DESIGN decision 7).
 */
export function excludeFromTelemetry(req: ExpressRequest): void {
  const state = states.get(req);
  if (state !== undefined) state.excluded = true;
  else excludedWithoutState.add(req);
}

/** Whether this request is left out of access logs, request metrics and the audit trail. */
export function isExcludedFromTelemetry(req: ExpressRequest): boolean {
  return states.get(req)?.excluded === true || excludedWithoutState.has(req);
}
