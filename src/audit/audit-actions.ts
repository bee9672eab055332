/**
 * The audit actions teams query and alarm on. `AuditEvents` metrics are counted with one of
 * these as the `Action` dimension (any other action string counts as `OTHER`).
 *
 * @example
 * logAudit({ action: AUDIT_ACTIONS.DELETE, resource: `order:${id}`, req });
 */
export const AUDIT_ACTIONS = {
  CREATE: 'CREATE',
  READ: 'READ',
  UPDATE: 'UPDATE',
  DELETE: 'DELETE',
  LOGIN: 'LOGIN',
  LOGOUT: 'LOGOUT',
  ACCESS_DENIED: 'ACCESS_DENIED',
} as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];

/**
 * The outcome of an audited action, as written in the entry and in the `Status` dimension.
 *
 * @example
 * logAudit({ action: AUDIT_ACTIONS.LOGIN, status: AUDIT_STATUSES.FAILED, userId, req });
 */
export const AUDIT_STATUSES = { SUCCESS: 'SUCCESS', FAILED: 'FAILED' } as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[keyof typeof AUDIT_STATUSES];

/**
 * The `Action` dimension value of an action that is not one of AUDIT_ACTIONS.
 *
 * @example
 * const dimension = isAuditAction(action) ? action : OTHER_AUDIT_ACTION;
 */
export const OTHER_AUDIT_ACTION = 'OTHER';

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(Object.values(AUDIT_ACTIONS));

/**
 * Whether `action` is one of AUDIT_ACTIONS.
 *
 * @example
 * isAuditAction('LOGIN'); // true
 */
export function isAuditAction(action: unknown): action is AuditAction {
  return typeof action === 'string' && KNOWN_ACTIONS.has(action);
}
