import { getServerRequestRecord, type Span } from '../core.js';
import type { ExpressRequest } from './types.js';

/** What observe() learns about one request, shared with the other middleware. */
export interface RequestState {
  readonly requestId: string;
  /** performance.now() when the request started (or observe() first saw it). */
  readonly startedAt: number;
  /** The request's server span, if any. */
  readonly serverSpan: Span | undefined;
  /** No access log, request metrics or audit entry (excluded path, or a health() response). */
  excluded: boolean;
}

// Requests without a Node http server's record (Express on Lambda), keyed by the request
// object so that state goes away with the request.
const states = new WeakMap<object, RequestState>();

/**
 * The state observe() attached to `req`, if it ran for this request: on a Node http server,
 * the server request's own record (docs/decisions/0006-one-request-context.md).
 */
export function getRequestState(req: ExpressRequest): RequestState | undefined {
  const record = getServerRequestRecord(req);
  if (record !== undefined) return record.requestId === undefined ? undefined : (record as RequestState);
  return states.get(req);
}

export function setRequestState(req: ExpressRequest, state: RequestState): void {
  states.set(req, state);
}

// Requests excluded before (or without) observe(): health() marks its own responses.
const excludedWithoutState = new WeakSet<object>();

/**
 * Leaves this request out of access logs, request metrics and the audit trail (health checks:
 * telemetry about telemetry is excluded, docs/design.md decision 7).
 */
export function excludeFromTelemetry(req: ExpressRequest): void {
  const record = getServerRequestRecord(req);
  if (record !== undefined) {
    record.excluded = true;
    return;
  }
  const state = states.get(req);
  if (state !== undefined) state.excluded = true;
  else excludedWithoutState.add(req);
}

/** Whether this request is left out of access logs, request metrics and the audit trail. */
export function isExcludedFromTelemetry(req: ExpressRequest): boolean {
  const record = getServerRequestRecord(req);
  if (record?.excluded === true) return true;
  return states.get(req)?.excluded === true || excludedWithoutState.has(req);
}
