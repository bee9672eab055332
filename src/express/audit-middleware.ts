import { STATUS_CODES } from 'node:http';
import { AUDIT_STATUSES, createPathMatcher, isRequestAudited, logAudit } from '../core.js';
import { auditActionOf } from './audit-action-of.js';
import { onResponseDone } from './on-response-done.js';
import { requestPath, requestUrl } from './request-path.js';
import { getRequestState, isExcludedFromTelemetry } from './request-state.js';
import type { RequestMiddleware } from './types.js';

/** Options of `auditMiddleware()`. */
export interface AuditMiddlewareOptions {
  /**
   * Paths never audited; a trailing `*` matches a prefix. Requests answered by `health()` are
   * never audited either.
   * @default ["/health", "/ready", "/metrics"]
   */
  excludePaths?: string[];
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * Audits every request when its response finishes: GET reads, POST creates, PUT/PATCH
 * update, DELETE deletes, 401/403 are ACCESS_DENIED; FAILED when the status is 400 or more,
 * with `details.statusCode`, `details.duration_ms` and, on failure, `details.error` (the status
 * message). The user is `req.user.id` as authentication middleware left it. A request whose
 * handler wrote its own entry with `logAudit({ req, ... })` is not audited again. Mount it
 * after `observe()` and before the routes.
 *
 * @example
 * import { auditMiddleware, observe } from 'lookout/express';
 * app.use(observe());
 * app.use(auditMiddleware({ excludePaths: ['/health', '/internal/*'] }));
 */
export function auditMiddleware(options: AuditMiddlewareOptions = {}): RequestMiddleware {
  const isExcluded = createPathMatcher(options.excludePaths ?? ['/health', '/ready', '/metrics']);
  return function lookoutAudit(req, res, next) {
    if (isExcluded(requestUrl(req))) {
      next();
      return;
    }
    const startedAt = getRequestState(req)?.startedAt ?? performance.now();
    onResponseDone(res, 'auditMiddleware', () => {
      if (isRequestAudited(req) || isExcludedFromTelemetry(req)) return;
      const status = res.headersSent ? res.statusCode : 499;
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
        },
      });
    });
    next();
  };
}
