export type { AuditAction, AuditStatus } from './audit-actions.js';
export { AUDIT_ACTIONS, AUDIT_STATUSES, isAuditAction, OTHER_AUDIT_ACTION } from './audit-actions.js';
export type { AuditQuery } from './audit-queries.js';
export { AUDIT_QUERIES } from './audit-queries.js';
export { isRequestAudited } from './audited-requests.js';
export type { AuditEntry, AuditInput } from './create-audit-entry.js';
export { logAudit } from './log-audit.js';
