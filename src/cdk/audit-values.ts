// The values the audit trail writes in the `action` and `status` fields of an audit entry, and
// as the `Action` and `Status` dimensions of `AuditEvents` (see DIMENSION_NAMES in the core).
// Alarms need the fixed list: CloudWatch alarm math cannot sum "every Action", so the failed
// actions alarm adds one series per action (at most 10 metrics per expression).

/**
 * The audit actions, as the audit entry's `action` field and the `Action` dimension hold them.
 *
 * @example
 * auditMetric(AUDIT_ACTION_VALUES.login, AUDIT_STATUS_VALUES.failed);
 */
export const AUDIT_ACTION_VALUES = {
  create: 'CREATE',
  read: 'READ',
  update: 'UPDATE',
  delete: 'DELETE',
  login: 'LOGIN',
  logout: 'LOGOUT',
  accessDenied: 'ACCESS_DENIED',
} as const;
export type AuditActionValue = (typeof AUDIT_ACTION_VALUES)[keyof typeof AUDIT_ACTION_VALUES];

/**
 * The audit outcomes, as the audit entry's `status` field and the `Status` dimension hold them.
 *
 * @example
 * const failedLogins = { Action: AUDIT_ACTION_VALUES.login, Status: AUDIT_STATUS_VALUES.failed };
 */
export const AUDIT_STATUS_VALUES = { success: 'SUCCESS', failed: 'FAILED' } as const;
export type AuditStatusValue = (typeof AUDIT_STATUS_VALUES)[keyof typeof AUDIT_STATUS_VALUES];
