// Requests for which the app wrote its own audit entry (logAudit with `req`). The audit
// middleware skips them, so a failed login is one LOGIN/FAILED entry, not also an
// ACCESS_DENIED one that would trip the access-denied alarm for every wrong password.
const audited = new WeakSet<object>();

/** Marks `req` as audited by the app. */
export function markRequestAudited(req: object): void {
  audited.add(req);
}

/**
 * Whether `logAudit()` was called with this request.
 *
 * @example
 * res.on('finish', () => { if (!isRequestAudited(req)) logAudit({ action, req }); });
 */
export function isRequestAudited(req: object): boolean {
  return audited.has(req);
}
