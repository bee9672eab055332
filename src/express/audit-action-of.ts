import { AUDIT_ACTIONS, type AuditAction } from '../core.js';

const BY_METHOD: Readonly<Record<string, AuditAction>> = {
  GET: AUDIT_ACTIONS.READ,
  HEAD: AUDIT_ACTIONS.READ,
  POST: AUDIT_ACTIONS.CREATE,
  PUT: AUDIT_ACTIONS.UPDATE,
  PATCH: AUDIT_ACTIONS.UPDATE,
  DELETE: AUDIT_ACTIONS.DELETE,
};

/**
 * The audit action of a finished request: ACCESS_DENIED for 401 and 403, else by method (GET
 * and HEAD read, POST creates, PUT and PATCH update, DELETE deletes). Undefined for methods
 * that change and read nothing (OPTIONS preflights, TRACE) or that are not standard.
 *
 * @example
 * auditActionOf('DELETE', 204); // 'DELETE'
 * auditActionOf('GET', 403); // 'ACCESS_DENIED'
 */
export function auditActionOf(method: string | undefined, status: number): AuditAction | undefined {
  const byMethod = BY_METHOD[(method ?? '').toUpperCase()];
  if (byMethod === undefined) return undefined;
  return status === 401 || status === 403 ? AUDIT_ACTIONS.ACCESS_DENIED : byMethod;
}
