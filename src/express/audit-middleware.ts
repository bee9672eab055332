import { AsyncResource } from 'node:async_hooks';
import { STATUS_CODES } from 'node:http';
import {
  AUDIT_STATUSES,
  createPathMatcher,
  describeError,
  diagnostics,
  ERROR_CODES,
  isRequestAudited,
  logAudit,
  roundMs,
} from '../core.js';
import { auditActionOf } from './audit-action-of.js';
import { onResponseDone } from './on-response-done.js';
import { readPathListOption } from './path-list-option.js';
import { requestPath, requestUrl } from './request-path.js';
import { getRequestState, isExcludedFromTelemetry } from './request-state.js';
import type { ExpressRequest, ExpressResponse, RequestMiddleware } from './types.js';

/** Options of `auditMiddleware()`. */
export interface AuditMiddlewareOptions {
  /**
   * Paths never audited; a trailing `*` matches a prefix. Requests answered by `health()` are
   * never audited either.
   * @default ["/health", "/ready", "/metrics"]
   */
  excludePaths?: string[];
}

/**
 * How long the entry of a request whose client has gone waits for the app's answer, after which
 * the request is audited as never answered (499, FAILED).
 */
export const ANSWER_WAIT_MS = 60_000;

/** The status written for a request the app never answered before its client went away. */
const CLIENT_CLOSED = 499;

function writeEntry(
  req: ExpressRequest,
  res: ExpressResponse,
  status: number,
  startedAt: number,
  aborted: boolean,
) {
  const action = auditActionOf(req.method, status);
  if (action === undefined) return;
  const failed = status >= 400;
  logAudit({
    action,
    resource: requestPath(req),
    status: failed ? AUDIT_STATUSES.FAILED : AUDIT_STATUSES.SUCCESS,
    req,
    details: {
      statusCode: status,
      duration_ms: roundMs(performance.now() - startedAt),
      ...(failed ? { error: res.statusMessage || STATUS_CODES[status] || 'Error' } : {}),
      ...(aborted ? { aborted: true } : {}),
    },
  });
}

/**
 * Audits a request whose client closed the connection before any answer when the app answers:
 * the route may still be at work, and a delete that completes after its client gave up is a
 * delete. Written then as FAILED/499 would let any client hide what it did from the audit trail
 * and from the alarms on successful deletes, just by hanging up early. A route that never
 * answers is audited as 499 after ANSWER_WAIT_MS. Off the common path: only aborted requests
 * come here.
 */
function auditWhenAnswered(req: ExpressRequest, res: ExpressResponse, startedAt: number): void {
  let timer: NodeJS.Timeout | undefined;
  // Runs inside the app's res.end() or from a timer: nothing may throw from here. Bound to this
  // context so that the entry carries the request's trace whatever context end() runs in.
  const settle = AsyncResource.bind((status: number) => {
    clearTimeout(timer);
    res.removeListener('prefinish', onAnswer);
    try {
      if (!isRequestAudited(req)) writeEntry(req, res, status, startedAt, true);
    } catch (error) {
      diagnostics.errorOnce(
        'express:auditMiddleware',
        ERROR_CODES.INTERNAL,
        `The auditMiddleware middleware failed at the end of a request: ${describeError(error)}`,
      );
    }
  });
  const onAnswer = () => settle(res.statusCode);
  res.once('prefinish', onAnswer);
  timer = setTimeout(settle, ANSWER_WAIT_MS, CLIENT_CLOSED);
  // A route that never answers must not keep the process alive.
  timer.unref();
}

/**
 * Audits every request when its response finishes: GET reads, POST creates, PUT/PATCH
 * update, DELETE deletes, 401/403 are ACCESS_DENIED; FAILED when the status is 400 or more,
 * with `details.statusCode`, `details.duration_ms` and, on failure, `details.error` (the status
 * message). The user is `req.user.id` as authentication middleware left it. A request whose
 * handler wrote its own entry with `logAudit({ req, ... })` is not audited again. A request
 * whose client went away before the answer is audited when the app answers, with
 * `details.aborted: true`. Mount it after `observe()` and before the routes.
 *
 * @example
 * import { auditMiddleware, observe } from 'lookout/express';
 * app.use(observe());
 * app.use(auditMiddleware({ excludePaths: ['/health', '/internal/*'] }));
 */
export function auditMiddleware(options: AuditMiddlewareOptions = {}): RequestMiddleware {
  const isExcluded = createPathMatcher(
    readPathListOption('auditMiddleware.excludePaths', options.excludePaths) ?? [
      '/health',
      '/ready',
      '/metrics',
    ],
  );
  return function lookoutAudit(req, res, next) {
    if (isExcluded(requestUrl(req))) {
      next();
      return;
    }
    const startedAt = getRequestState(req)?.startedAt ?? performance.now();
    onResponseDone(res, 'auditMiddleware', () => {
      if (isRequestAudited(req) || isExcludedFromTelemetry(req)) return;
      if (res.headersSent) writeEntry(req, res, res.statusCode, startedAt, false);
      else auditWhenAnswered(req, res, startedAt);
    });
    next();
  };
}
