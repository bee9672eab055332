import { describeError, diagnostics } from '../diag/index.js';
import { DIMENSION_NAMES, METRIC_NAMES } from '../emf/metric-names.js';
import { ERROR_CODES } from '../errors/index.js';
import { getLoggingRuntime } from '../logging/logging-runtime.js';
import { TRUNCATED_KEY } from '../logging/lookout-log-formatter.js';
import { MARKERS } from '../logging/redaction/index.js';
import { writeLogLine } from '../logging/write-log-line.js';
import { countMetric } from '../metrics/record-metrics.js';
import { AUDIT_STATUSES, type AuditStatus, isAuditAction, OTHER_AUDIT_ACTION } from './audit-actions.js';
import { markRequestAudited } from './audited-requests.js';
import {
  type AuditEntry,
  type AuditInput,
  createAuditEntry,
  noteUnreadable,
  UNREADABLE_FIELD,
  type UnreadableFields,
} from './create-audit-entry.js';

// Lookout's own values, never secrets: written as they are, like the trace ids on log lines.
const UNREDACTED_KEYS: ReadonlySet<string> = new Set(['audit', 'traceId', 'timestamp']);

function checkStatus(status: unknown): AuditStatus {
  if (status === undefined) return AUDIT_STATUSES.SUCCESS;
  if (status === AUDIT_STATUSES.SUCCESS || status === AUDIT_STATUSES.FAILED) return status;
  // Described without String(): a value's own toString (or a proxy's traps) may throw, and the
  // entry would be lost to the message about it.
  const given = typeof status === 'string' ? JSON.stringify(status.slice(0, 40)) : `of type ${typeof status}`;
  diagnostics.warnOnce(
    'audit:status',
    ERROR_CODES.AUDIT_INVALID,
    `logAudit() got status ${given}; expected "SUCCESS" or "FAILED". The entry was written as FAILED so that it is not missed.`,
  );
  return AUDIT_STATUSES.FAILED;
}

function checkAction(action: unknown): string {
  if (typeof action === 'string' && action.trim() !== '') return action;
  diagnostics.warnOnce(
    'audit:action',
    ERROR_CODES.AUDIT_INVALID,
    `logAudit() got action ${typeof action === 'string' ? '""' : `of type ${typeof action}`}; expected one of AUDIT_ACTIONS. The entry was written with action "${OTHER_AUDIT_ACTION}".`,
  );
  return OTHER_AUDIT_ACTION;
}

// Room for the entry's own ids and the line's cut marker, kept out of the details' budget.
const RESERVED_BYTES = 256;

function toLine(entry: AuditEntry): string {
  const { policy } = getLoggingRuntime();
  const out: Record<string, unknown> = {};
  // One line: an object shared by two fields is written once, and the entry stays within the
  // line budget whatever `details` holds.
  const line = policy.startLine(RESERVED_BYTES);
  try {
    for (const [key, value] of Object.entries(entry)) {
      if (UNREDACTED_KEYS.has(key)) out[key] = value;
      else line.put(out, key, value);
    }
    const cut = line.cut;
    if (cut !== undefined) out[TRUNCATED_KEY] = cut;
  } finally {
    line.finish();
  }
  return JSON.stringify(out);
}

/**
 * Writes one audit entry: a JSON line on stdout with `audit: true`, the trace id, who did
 * what to which resource and how it went, plus the request's method, path, client address and
 * user agent, redacted like every log line. Also counts `AuditEvents` by `Action` and `Status`
 * (EMF), so alarms need no metric filter. Never throws; writes nothing when logging is off.
 *
 * @example
 * import { AUDIT_ACTIONS, logAudit } from 'lookout';
 * logAudit({ action: AUDIT_ACTIONS.DELETE, resource: `order:${order.id}`, req, details: { total: order.total } });
 */
export function logAudit(input: AuditInput): void {
  try {
    const runtime = getLoggingRuntime();
    if (!runtime.logging.enabled) return;
    // A call without an object is a bug in the app; the entry is still written (as OTHER), so
    // that something was audited is not lost.
    if (input === null || typeof input !== 'object') input = { action: '' };
    // Each field read once, and a getter that throws (a revoked proxy, a lazily decoded token)
    // costs the entry that field, not the entry: an audit trail must not lose an entry.
    const unreadable: UnreadableFields = { names: [], error: undefined };
    const action = readInputField(input, 'action', unreadable);
    const status = readInputField(input, 'status', unreadable);
    const req = readInputField(input, 'req', unreadable);
    const checkedAction = action === UNREADABLE_FIELD ? MARKERS.unreadable : checkAction(action);
    // Like a status that is neither value: FAILED, so that it is not missed.
    const checkedStatus = status === UNREADABLE_FIELD ? AUDIT_STATUSES.FAILED : checkStatus(status);
    const fields = {
      userId: readInputField(input, 'userId', unreadable),
      action: checkedAction,
      resource: readInputField(input, 'resource', unreadable),
      status: checkedStatus,
      req,
      details: readInputField(input, 'details', unreadable),
    };
    const entry = createAuditEntry(fields, runtime, unreadable);
    writeLogLine(toLine(entry));
    if (unreadable.names.length > 0) reportUnreadable(unreadable);
    // Marked once written: an entry that could not be written leaves the request to the
    // middleware's own entry.
    if (req !== null && typeof req === 'object') markRequestAudited(req);
    countMetric(METRIC_NAMES.auditEvents, {
      [DIMENSION_NAMES.action]: isAuditAction(checkedAction) ? checkedAction : OTHER_AUDIT_ACTION,
      [DIMENSION_NAMES.status]: checkedStatus,
    });
  } catch (error) {
    // Never into the app (docs/design.md decision 4).
    diagnostics.errorOnce(
      'audit:internal',
      ERROR_CODES.INTERNAL,
      `logAudit() failed: ${describeError(error)}`,
    );
  }
}

function readInputField(input: object, key: keyof AuditInput, unreadable: UnreadableFields): unknown {
  try {
    return (input as AuditInput)[key];
  } catch (error) {
    noteUnreadable(unreadable, key, error);
    return UNREADABLE_FIELD;
  }
}

function reportUnreadable(unreadable: UnreadableFields): void {
  diagnostics.warnOnce(
    'audit:unreadable',
    ERROR_CODES.AUDIT_INVALID,
    `logAudit() could not read ${unreadable.names.join(', ')} (${describeError(unreadable.error)}). The entry was written with "${MARKERS.unreadable}" in their place (a status as FAILED, an action counted as ${OTHER_AUDIT_ACTION}).`,
  );
}
