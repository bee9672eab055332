import {
  createPathMatcher,
  describeError,
  diagnostics,
  ERROR_CODES,
  followServerRequests,
  getClientIp,
  getRequestContext,
  getServerRequestRecord,
  getServerSpan,
  type RequestContext,
  type RequestObserver,
  recordRequest,
  redact,
  resolveRequestId,
  roundMs,
  routeTemplateOf,
  runWithRequestContext,
  type ServerRequestRecord,
  type Span,
  setRequestContextValues,
  setServerRoute,
  withActiveSpan,
} from '../core.js';
import { type AccessLogFields, writeAccessLog } from './access-log.js';
import { countResponseBytes, responseBytes } from './count-response-bytes.js';
import { getExcludedPathMatcher } from './excluded-paths.js';
import { onResponseDone } from './on-response-done.js';
import { readPathListOption } from './path-list-option.js';
import { requestPath, requestUrl } from './request-path.js';
import { getRequestState, type RequestState, setRequestState } from './request-state.js';
import type { ExpressRequest, ExpressResponse, RequestMiddleware } from './types.js';

/** Options of `observe()`. */
export interface ObserveOptions {
  /**
   * Writes one access-log line per request.
   * @default true
   */
  accessLog?: boolean;
  /**
   * Paths with no access log, request metrics or span enrichment; a trailing `*` matches a
   * prefix. Spans follow the `excludedPaths` setting, since they start before any middleware.
   * @default the `excludedPaths` setting (`/health`, `/healthz`, `/ready`, `/favicon.ico`)
   */
  excludedPaths?: string[];
}

/** Attribute naming the request id on the server span: the log field's name, a valid X-Ray annotation key. */
const REQUEST_ID_ATTRIBUTE = 'request_id';

/**
 * `req.user.id`, or undefined when reading it throws: authentication that decodes a token the
 * first time `req.user` is read may throw on a bad one, and that must not cost the request its
 * access-log line and metrics (docs/design.md decision 4). The try costs nothing when nothing throws.
 */
function enduserIdOf(req: ExpressRequest): unknown {
  try {
    return req.user?.id;
  } catch {
    return undefined;
  }
}

function enrichSpan(span: Span | undefined, req: ExpressRequest): void {
  if (span === undefined) return;
  const userId = enduserIdOf(req);
  // A bigint too: ORMs return BIGINT keys as one (as the audit entry's user_id reads it).
  if (typeof userId === 'string' || typeof userId === 'number' || typeof userId === 'bigint')
    span.setAttribute('enduser.id', redact(String(userId)));
}

function accessLogFields(
  req: ExpressRequest,
  route: string | undefined,
  status: number,
  durationMs: number,
  bytes: number,
  finished: boolean,
): AccessLogFields {
  return {
    method: req.method ?? 'GET',
    route,
    path: requestPath(req),
    status,
    duration_ms: durationMs,
    response_bytes: bytes,
    user_agent: req.headers['user-agent'],
    client_ip: getClientIp(req),
    ...(finished ? {} : { aborted: true as const }),
  };
}

// ---- Requests served by a Node http server: everything from the two channel events. ----

/** Responses that carry no body whatever their headers say (RFC 9110). */
function hasNoBody(req: ExpressRequest, status: number): boolean {
  return req.method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
}

/**
 * The body bytes sent: the `content-length` header when the response set one, else the
 * socket's own counter for this response less its header block (a chunked body counts its
 * chunk framing: the bytes that went on the wire). Nothing wraps `write`/`end`.
 */
function sentBodyBytes(
  record: ServerRequestRecord,
  req: ExpressRequest,
  res: ExpressResponse,
  status: number,
  finished: boolean,
): number {
  if (!res.headersSent || hasNoBody(req, status)) return 0;
  const length = res.getHeader('content-length');
  if (finished && length !== undefined) {
    const parsed = Number(length);
    if (Number.isSafeInteger(parsed) && parsed >= 0) return parsed;
  }
  const socket = (res as { socket?: { bytesWritten?: number } | null }).socket ?? req.socket;
  const written = (socket?.bytesWritten ?? record.socketBytesAtStart) - record.socketBytesAtStart;
  const header = (res as { _header?: unknown })._header;
  const headerBytes = typeof header === 'string' ? header.length : 0;
  return Math.max(0, written - headerBytes - interimBytes(res));
}

/** `HTTP/1.1 100 Continue\r\n\r\n`, which Node writes as is. */
const CONTINUE_BYTES = 25;

/**
 * The interim response the socket carried before this one: Node answers `Expect: 100-continue`
 * (curl sends it with large bodies) with `100 Continue` after the request started, and marks the
 * response `_sent100` (undocumented; absent, nothing is subtracted).
 */
function interimBytes(res: ExpressResponse): number {
  return (res as { _sent100?: unknown })._sent100 === true ? CONTINUE_BYTES : 0;
}

function finishServedRequest(
  record: ServerRequestRecord,
  request: unknown,
  response: unknown,
  finished: boolean,
  accessLog: boolean,
): void {
  // health() (or anything else) may have excluded the request while it was handled.
  if (record.excluded) return;
  const req = request as ExpressRequest;
  const res = response as ExpressResponse;
  const durationMs = roundMs(performance.now() - record.startedAt);
  // 499: the client closed the connection before any response was sent (nginx's convention).
  const status = finished || res.headersSent ? res.statusCode : 499;
  const route = record.route;
  enrichSpan(record.serverSpan, req);
  recordRequest({ method: req.method ?? 'GET', route, statusCode: status, durationMs });
  if (!accessLog) return;
  const fields = accessLogFields(
    req,
    route,
    status,
    durationMs,
    sentBodyBytes(record, req, res, status, finished),
    finished,
  );
  writeAccessLog(fields, record.serverSpan, record.keys, record.context);
}

// Shared functions, one per option value: nothing is made per request.
const OBSERVE_WITH_ACCESS_LOG: RequestObserver = (record, request, response, finished) =>
  finishServedRequest(record, request, response, finished, true);
const OBSERVE_WITHOUT_ACCESS_LOG: RequestObserver = (record, request, response, finished) =>
  finishServedRequest(record, request, response, finished, false);

function observeServedRequest(
  record: ServerRequestRecord,
  req: ExpressRequest,
  res: ExpressResponse,
  isExcluded: (url: string | undefined) => boolean,
  accessLog: boolean,
): void {
  const requestId = resolveRequestId(req);
  record.requestId = requestId;
  if (!res.headersSent) res.setHeader('X-Request-ID', requestId);
  // The keys live in the request's context, which the span uses too (one store); an app that
  // started a context of its own before observe() gets the id in that one.
  const keys = getRequestContext();
  if (keys === record.keys) (record.keys as RequestContext).request_id = requestId;
  else if (!setRequestContextValues({ request_id: requestId }))
    (record.keys as RequestContext).request_id = requestId;
  if (isExcluded(requestUrl(req))) {
    record.excluded = true;
    return;
  }
  record.serverSpan?.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
  record.observer = accessLog ? OBSERVE_WITH_ACCESS_LOG : OBSERVE_WITHOUT_ACCESS_LOG;
}

// ---- Requests without a Node http server (Express on Lambda): response events. ----

function startObserving(req: ExpressRequest, res: ExpressResponse, excluded: boolean): RequestState {
  const requestId = resolveRequestId(req);
  if (!res.headersSent) res.setHeader('X-Request-ID', requestId);
  const state: RequestState = {
    requestId,
    startedAt: performance.now(),
    serverSpan: excluded ? undefined : getServerSpan(),
    excluded,
  };
  setRequestState(req, state);
  if (!excluded) state.serverSpan?.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
  return state;
}

function finishEventRequest(
  req: ExpressRequest,
  res: ExpressResponse,
  state: RequestState,
  finished: boolean,
  accessLog: boolean,
): void {
  if (state.excluded) return;
  const durationMs = roundMs(performance.now() - state.startedAt);
  const route = routeTemplateOf(req);
  const status = finished || res.headersSent ? res.statusCode : 499;
  const span = state.serverSpan;
  // With a server span of the HTTP instrumentation's kind, the route goes through its RPC
  // metadata; elsewhere (a Lambda invocation span) it is set as an attribute.
  if (span !== undefined && route !== undefined && !setServerRoute(route))
    span.setAttribute('http.route', route);
  enrichSpan(span, req);
  recordRequest({ method: req.method ?? 'GET', route, statusCode: status, durationMs });
  if (!accessLog) return;
  const fields = accessLogFields(req, route, status, durationMs, responseBytes(res), finished);
  // The line belongs to the server span, not to whichever span was active last.
  const keys = getRequestContext() as RequestContext | undefined;
  if (span === undefined) writeAccessLog(fields, undefined, keys, undefined);
  else withActiveSpan(span, () => writeAccessLog(fields, span, keys, undefined));
}

function observeWithEvents(
  req: ExpressRequest,
  res: ExpressResponse,
  next: () => void,
  isExcluded: (url: string | undefined) => boolean,
  accessLog: boolean,
): void {
  const state = startObserving(req, res, isExcluded(requestUrl(req)));
  // Keys already in force (a Lambda invocation's) stay.
  runWithRequestContext({ ...getRequestContext(), request_id: state.requestId }, () => {
    if (!state.excluded) {
      try {
        countResponseBytes(res);
        onResponseDone(res, 'observe', ({ finished }) =>
          finishEventRequest(req, res, state, finished, accessLog),
        );
      } catch (error) {
        reportFailure(error);
      }
    }
    next();
  });
}

function reportFailure(error: unknown): void {
  diagnostics.errorOnce(
    'express:observe',
    ERROR_CODES.INTERNAL,
    `observe() failed for a request, which continues unobserved: ${describeError(error)}`,
  );
}

/**
 * Observes every request: takes the request id from `X-Request-ID` (or `x-amzn-requestid`)
 * when it is safe, else generates one, and returns it in `X-Request-ID`; puts it in the
 * request's context so every log line carries `request_id`; adds the request id and
 * `enduser.id` to the server span; and at the end writes one access-log line and records the
 * request metrics. Excluded paths (health checks) get only the request id. Mount it first.
 *
 * On a Node `http` server the work happens on the request's own start and end events
 * (Node's diagnostics channels), with nothing wrapped per request
 * (docs/decisions/0006-one-request-context.md).
 *
 * @example
 * import { observe } from 'lookout/express';
 * app.use(observe());
 */
export function observe(options: ObserveOptions = {}): RequestMiddleware {
  const accessLog = options.accessLog !== false;
  const ownPaths = readPathListOption('observe.excludedPaths', options.excludedPaths);
  const ownMatcher = ownPaths === undefined ? undefined : createPathMatcher(ownPaths);
  followServerRequests();
  return function lookoutObserve(req, res, next) {
    // Mounted twice (an app and a sub-app): the first one does the work.
    if (getRequestState(req) !== undefined) {
      next();
      return;
    }
    const isExcluded = ownMatcher ?? getExcludedPathMatcher();
    const record = getServerRequestRecord(req);
    if (record === undefined) {
      try {
        observeWithEvents(req, res, next, isExcluded, accessLog);
      } catch (error) {
        reportFailure(error);
        next();
      }
      return;
    }
    try {
      observeServedRequest(record, req, res, isExcluded, accessLog);
    } catch (error) {
      reportFailure(error);
    }
    next();
  };
}
