import { isSpanContextValid, trace } from '@opentelemetry/api';
import { toXRayTraceId } from '../context/xray-trace-id.js';
import { getClientIp } from '../http/client-ip.js';
import type { RequestLike } from '../http/request-like.js';
import { formatIsoTimestamp } from '../logging/iso-timestamp.js';
import { MARKERS } from '../logging/redaction/index.js';
import { getRequestContext } from '../logging/request-context.js';
import { randomHex, readField } from '../runtime/index.js';
import type { AuditAction, AuditStatus } from './audit-actions.js';

/**
 * What `logAudit()` takes. Only `action` is required.
 *
 * @example
 * const input: AuditInput = { action: 'LOGIN', status: 'FAILED', userId: 'jane', req, details: { reason: 'bad password' } };
 */
export interface AuditInput {
  /** Who acted: a string, a number or a bigint. @default req.user.id, then "anonymous" */
  readonly userId?: string | number | bigint | undefined;
  /** One of AUDIT_ACTIONS; another string is written as given and counted as `OTHER`. */
  readonly action: AuditAction | (string & {});
  /** What was acted on, e.g. `order:1001`; a number or bigint id is written as its digits. @default null */
  readonly resource?: string | number | bigint | undefined;
  /** @default "SUCCESS" */
  readonly status?: AuditStatus | undefined;
  /** The request (Express or `node:http`): method, path, client address and user agent come from it. */
  readonly req?: RequestLike | undefined;
  /** Anything else worth keeping; redacted like every log line. @default null */
  readonly details?: unknown;
}

/**
 * One audit entry, exactly as written (one JSON line on stdout, keys in this order).
 *
 * @example
 * // {"audit":true,"traceId":"1-6b04322e-d388f1ff6b3876231f1dbf4f","timestamp":"2026-11-23T12:31:42.029Z",
 * //  "user_id":"jane","action":"DELETE","resource":"order:1001","status":"SUCCESS","method":"DELETE",
 * //  "path":"/api/orders/1001","ip_address":"203.0.113.7","user_agent":"curl/8.5.0",
 * //  "details":{"total":42},"service":"orders-api","environment":"production"}
 */
export interface AuditEntry {
  readonly audit: true;
  /** The active trace id in X-Ray form; a new X-Ray id when no trace is active. */
  readonly traceId: string;
  /** ISO 8601, UTC. */
  readonly timestamp: string;
  readonly user_id: string;
  readonly action: string;
  readonly resource: string | null;
  readonly status: AuditStatus;
  readonly method: string | null;
  /** The request path without its query string. */
  readonly path: string | null;
  readonly ip_address: string | null;
  readonly user_agent: string | null;
  readonly details: unknown;
  readonly service: string;
  readonly environment: string;
}

/** Longest action string kept; actions are meant to be short words. */
const MAX_ACTION_LENGTH = 64;

/** Stands for a field of the input whose getter threw, as `logAudit()` read it. */
export const UNREADABLE_FIELD: unique symbol = Symbol('unreadable');

/** The input's fields, each read once by `logAudit()`; `action` and `status` checked. */
export interface AuditFields {
  readonly userId: unknown;
  readonly action: string;
  readonly resource: unknown;
  readonly status: AuditStatus;
  readonly req: unknown;
  readonly details: unknown;
}

/**
 * What could not be read for an entry: the names (input fields, or the entry keys read from
 * `req`) and the first error thrown.
 */
export interface UnreadableFields {
  readonly names: string[];
  error: unknown;
}

/** A new trace id in X-Ray form: `1-<8 hex digits of epoch seconds>-<24 random hex digits>`. */
function newXRayTraceId(now: Date): string {
  const epoch = Math.floor(now.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `1-${epoch}-${randomHex(12)}`;
}

function currentXRayTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext !== undefined && isSpanContextValid(spanContext)) {
    const xray = toXRayTraceId(spanContext.traceId);
    if (xray !== undefined) return xray;
  }
  // On Lambda with no span active, the invocation's trace id is in the request context.
  const fromContext = getRequestContext()?.xray_trace_id;
  return typeof fromContext === 'string' ? fromContext : undefined;
}

function methodOf(req: RequestLike): string | null {
  const method = req.method;
  return typeof method === 'string' ? method : null;
}

function pathOf(req: RequestLike): string | null {
  const url = req.originalUrl ?? req.url;
  if (typeof url !== 'string') return null;
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? url : url.slice(0, queryAt);
}

function ipAddressOf(req: RequestLike): string | null {
  return getClientIp(req) ?? null;
}

function userAgentOf(req: RequestLike): string | null {
  const value = req.headers['user-agent'];
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value : null;
}

function userIdOf(given: unknown, req: unknown): string {
  if (typeof given === 'string' && given !== '') return given;
  // A bigint too: ORMs return BIGINT keys as one, and "anonymous" would name the wrong actor.
  if ((typeof given === 'number' && Number.isFinite(given)) || typeof given === 'bigint')
    return String(given);
  if (given === UNREADABLE_FIELD) return MARKERS.unreadable;
  // Read so that a throwing `req.user` (a token decoded on first read) costs the entry nothing.
  const fromRequest = readField(readField(req, 'user'), 'id');
  if (
    (typeof fromRequest === 'string' && fromRequest !== '') ||
    typeof fromRequest === 'number' ||
    typeof fromRequest === 'bigint'
  )
    return String(fromRequest);
  return 'anonymous';
}

function resourceOf(resource: unknown): string | null {
  if (typeof resource === 'string') return resource;
  // An id as an ORM returns it (`resource: order.id`): its digits, not a lost null.
  if ((typeof resource === 'number' && Number.isFinite(resource)) || typeof resource === 'bigint')
    return String(resource);
  return resource === UNREADABLE_FIELD ? MARKERS.unreadable : null;
}

/**
 * `req` as the entry reads it. An object without headers (a queue job's, an API Gateway event
 * whose headers are null, one whose `headers` getter throws) still gives its method and path;
 * anything else that is not an object (null from a JavaScript caller) is no request. Neither
 * may cost the entry.
 */
function requestOf(req: unknown): RequestLike | undefined {
  if (req === null || typeof req !== 'object') return undefined;
  let headers: unknown;
  try {
    headers = (req as RequestLike).headers;
  } catch (error) {
    // Read once: what needs the headers (the User-Agent) is marked unreadable, the rest is read.
    return Object.create(req, {
      headers: {
        get() {
          throw error;
        },
      },
    }) as RequestLike;
  }
  if (headers !== null && typeof headers === 'object') return req as RequestLike;
  // Over the object, not a copy of its own fields: a class's getters (`get url()`) still read.
  return Object.create(req, { headers: { value: {} } }) as RequestLike;
}

/** Notes that `name` could not be read, keeping the first error for the diagnostic. */
export function noteUnreadable(unreadable: UnreadableFields, name: string, error: unknown): void {
  if (unreadable.names.length === 0) unreadable.error = error;
  unreadable.names.push(name);
}

/**
 * One value of the entry read from `req`: a getter that throws on the way (a proxy, a lazily
 * parsed property) gives the unreadable marker for this key alone. The readers are module
 * functions, so an entry costs no closure.
 */
function fromRequest(
  read: (req: RequestLike) => string | null,
  req: RequestLike | undefined,
  key: string,
  unreadable: UnreadableFields,
): string | null {
  if (req === undefined) return null;
  try {
    return read(req);
  } catch (error) {
    noteUnreadable(unreadable, `req (${key})`, error);
    return MARKERS.unreadable;
  }
}

/**
 * The entry for the fields `logAudit()` read, before redaction. A field whose getter threw is
 * written as `"[Unreadable]"` (all four request keys for `req` itself); what else could not be
 * read is added to `unreadable`.
 */
export function createAuditEntry(
  fields: AuditFields,
  service: { readonly serviceName: string; readonly environment: string },
  unreadable: UnreadableFields,
  now: Date = new Date(),
): AuditEntry {
  const { resource, details } = fields;
  const reqUnreadable = fields.req === UNREADABLE_FIELD;
  const req = requestOf(fields.req);
  return {
    audit: true,
    traceId: currentXRayTraceId() ?? newXRayTraceId(now),
    timestamp: formatIsoTimestamp(now),
    user_id: userIdOf(fields.userId, fields.req),
    action: fields.action.slice(0, MAX_ACTION_LENGTH),
    resource: resourceOf(resource),
    status: fields.status,
    method: reqUnreadable ? MARKERS.unreadable : fromRequest(methodOf, req, 'method', unreadable),
    path: reqUnreadable ? MARKERS.unreadable : fromRequest(pathOf, req, 'path', unreadable),
    ip_address: reqUnreadable ? MARKERS.unreadable : fromRequest(ipAddressOf, req, 'ip_address', unreadable),
    user_agent: reqUnreadable ? MARKERS.unreadable : fromRequest(userAgentOf, req, 'user_agent', unreadable),
    details: details === undefined ? null : details === UNREADABLE_FIELD ? MARKERS.unreadable : details,
    service: service.serviceName,
    environment: service.environment,
  };
}
