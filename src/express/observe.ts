import {
  createPathMatcher,
  describeError,
  diagnostics,
  ERROR_CODES,
  getClientIp,
  getRequestContext,
  getServerSpan,
  recordRequest,
  redact,
  resolveRequestId,
  runWithRequestContext,
  type Span,
  setServerRoute,
  withActiveSpan,
} from '../core.js';
import { type AccessLogFields, writeAccessLog } from './access-log.js';
import { countResponseBytes, responseBytes } from './count-response-bytes.js';
import { getExcludedPathMatcher } from './excluded-paths.js';
import { onResponseDone } from './on-response-done.js';
import { requestPath, requestUrl } from './request-path.js';
import { getRequestState, type RequestState, setRequestState } from './request-state.js';
import { currentRoute, trackedRoute, trackRoute } from './route-template.js';
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

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

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
  if (!excluded) {
    trackRoute(req);
    state.serverSpan?.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
  }
  return state;
}

function enrichSpan(span: Span | undefined, route: string | undefined, req: ExpressRequest): void {
  if (span === undefined) return;
  // With the HTTP instrumentation, the route goes through its RPC metadata so that it names the
  // span too; elsewhere (a Lambda invocation span) it is set as an attribute.
  if (route !== undefined && !setServerRoute(route)) span.setAttribute('http.route', route);
  const userId = req.user?.id;
  if (typeof userId === 'string' || typeof userId === 'number')
    span.setAttribute('enduser.id', redact(String(userId)));
}

function finishRequest(
  req: ExpressRequest,
  res: ExpressResponse,
  state: RequestState,
  finished: boolean,
  accessLog: boolean,
): void {
  // health() (or anything else) may have excluded the request while it was handled.
  if (state.excluded) return;
  const durationMs = roundMs(performance.now() - state.startedAt);
  const route = trackedRoute(req) ?? currentRoute(req);
  // 499: the client closed the connection before any response was sent (nginx's convention).
  const status = finished || res.headersSent ? res.statusCode : 499;
  const method = req.method ?? 'GET';
  enrichSpan(state.serverSpan, route, req);
  recordRequest({ method, route, statusCode: status, durationMs });
  if (!accessLog) return;
  const fields: AccessLogFields = {
    method,
    route,
    path: requestPath(req),
    status,
    duration_ms: durationMs,
    response_bytes: responseBytes(res),
    user_agent: req.headers['user-agent'],
    client_ip: getClientIp(req),
    ...(finished ? {} : { aborted: true as const }),
  };
  // The line belongs to the server span, not to whichever middleware span was active last.
  if (state.serverSpan === undefined) writeAccessLog(fields);
  else withActiveSpan(state.serverSpan, () => writeAccessLog(fields));
}

/**
 * Observes every request: takes the request id from `X-Request-ID` (or `x-amzn-requestid`)
 * when it is safe, else generates one, and returns it in `X-Request-ID`; runs the rest of the
 * request in a request context so every log line carries `request_id`; adds the route, request
 * id and `enduser.id` to the server span; and at the end writes one access-log line and
 * records the request metrics. Excluded paths (health checks) get only the request id. Mount
 * it first.
 *
 * @example
 * import { observe } from 'lookout/express';
 * app.use(observe());
 */
export function observe(options: ObserveOptions = {}): RequestMiddleware {
  const accessLog = options.accessLog !== false;
  const ownMatcher =
    options.excludedPaths === undefined ? undefined : createPathMatcher(options.excludedPaths);
  return function lookoutObserve(req, res, next) {
    // Mounted twice (an app and a sub-app): the first one does the work.
    if (getRequestState(req) !== undefined) {
      next();
      return;
    }
    let state: RequestState;
    try {
      const isExcluded = ownMatcher ?? getExcludedPathMatcher();
      state = startObserving(req, res, isExcluded(requestUrl(req)));
    } catch (error) {
      diagnostics.errorOnce(
        'express:observe',
        ERROR_CODES.INTERNAL,
        `observe() failed for a request, which continues unobserved: ${describeError(error)}`,
      );
      next();
      return;
    }
    // Keys already in force (a Lambda invocation's, when Express runs on Lambda) stay.
    runWithRequestContext({ ...getRequestContext(), request_id: state.requestId }, () => {
      if (!state.excluded) {
        try {
          countResponseBytes(res);
          onResponseDone(res, 'observe', ({ finished }) =>
            finishRequest(req, res, state, finished, accessLog),
          );
        } catch (error) {
          diagnostics.errorOnce(
            'express:observe',
            ERROR_CODES.INTERNAL,
            `observe() failed for a request, which continues unobserved: ${describeError(error)}`,
          );
        }
      }
      next();
    });
  };
}
