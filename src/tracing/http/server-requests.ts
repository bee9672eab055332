import { subscribe } from 'node:diagnostics_channel';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapPropagator,
  type Tracer,
} from '@opentelemetry/api';
import { type RPCMetadata, RPCType } from '@opentelemetry/core';
import { enterContext, leaveContext } from '../../context/context-storage.js';
import { describeError, diagnostics } from '../../diag/index.js';
import { ERROR_CODES } from '../../errors/index.js';
import type { RequestContext } from '../../logging/request-context.js';
import { type LeanSpanPipeline, startOwnSpan } from '../lean-span.js';
import { RequestScopeContext } from '../request-scope-context.js';
import { ROUTE_SLOTS, type RouteSlots, routeTemplateOf, trackRequestRoutes } from './request-route.js';
import { getResponseContentLength, RESPONSE_BODY_SIZE_ATTRIBUTE } from './response-content-length.js';

/**
 * What Lookout knows about one request served by a Node `http` server, from
 * `http.server.request.start` to `http.server.response.finish` (or the response's `close`).
 * Adapters (observe()) read and fill it instead of keeping state of their own.
 */
export interface ServerRequestRecord extends RouteSlots {
  /** performance.now() when the request started. */
  readonly startedAt: number;
  /**
   * The socket's `bytesWritten` when the response could start writing, to count its bytes: when
   * the request started, or when a response pipelined behind another got the socket.
   */
  socketBytesAtStart: number;
  /** The SERVER span; undefined with tracing off or on an excluded path. */
  readonly serverSpan: Span | undefined;
  /** The request's context: its span and its request keys, active while the app handles it. */
  readonly context: Context;
  /** The request keys in that context (`request_id`, …), written on every log line. */
  readonly keys: RequestContext;
  /** The route template; found at the end of the request unless an adapter sets it. */
  route: string | undefined;
  /**
   * The RPC metadata in the request's context, where the OpenTelemetry instrumentations of
   * other frameworks (koa, hapi, connect, …) put the route they matched.
   */
  readonly rpcMetadata: RPCMetadata | undefined;
  /** The request id, once an adapter resolved one. */
  requestId: string | undefined;
  /** No access log, request metrics or audit entry (excluded path, health response). */
  excluded: boolean;
  /** Called once when the request ends, before the span ends. */
  observer: RequestObserver | undefined;
  /** Whether the request has ended (finished or closed). */
  ended: boolean;
  /** The async resource (the connection's parser) the request's context was entered in, until the request ends. */
  enteredIn: object | undefined;
}

/**
 * Runs once per request when it ends: `finished` is false when the connection closed before
 * the response was complete. It runs outside the request's context; what it writes takes
 * the ids from `record`.
 */
export type RequestObserver = (
  record: ServerRequestRecord,
  request: IncomingMessage,
  response: ServerResponse,
  finished: boolean,
) => void;

/** What the SERVER span needs, given by startTracing(). */
export interface ServerTracing {
  readonly tracer: Tracer;
  readonly propagator: TextMapPropagator;
  /** True for paths that get no span (health checks; docs/design.md decision 7). */
  readonly isExcludedPath: (url: string | undefined) => boolean;
  /**
   * The provider's parts, when the SERVER span is a lean span rather than the SDK tracer's
   * (docs/decisions/0056-lean-request-spans.md); undefined: `tracer` starts it.
   */
  readonly leanSpans: LeanSpanPipeline | undefined;
}

// The record is also where the `route` accessor keeps its slots (request-route.ts).
const RECORD: typeof ROUTE_SLOTS = ROUTE_SLOTS;

interface RecordedRequest extends IncomingMessage {
  [RECORD]?: ServerRequestRecord;
}

interface ChannelMessage {
  readonly request: RecordedRequest;
  readonly response: ServerResponse;
}

let serverTracing: ServerTracing | undefined;
let headerGetter: TextMapGetter<IncomingHttpHeaders> | undefined;

/**
 * Reads the propagation headers of a Node request. `keys()` lists only the propagator's own
 * fields that the request carries, not every header: the X-Ray propagator looks its header up
 * among the keys (to match it in any case), which over all of a request's headers means an
 * array and a lower-casing per header on every request. Node gives header names in lower case
 * already, and the propagators Lookout composes read only the fields they name.
 */
function createHeaderGetter(propagator: TextMapPropagator): TextMapGetter<IncomingHttpHeaders> {
  const fields = propagator.fields().map((field) => field.toLowerCase());
  return {
    get: (headers, key) => headers[key],
    keys: (headers) => fields.filter((field) => headers[field] !== undefined),
  };
}
let subscribed = false;

const KNOWN_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
  'QUERY',
]);

function serverAttributes(request: IncomingMessage, method: string): Attributes {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const socket = request.socket;
  const host = request.headers.host;
  const colon = host === undefined ? -1 : host.lastIndexOf(':');
  const attributes: Attributes = {
    'http.request.method': method,
    'url.scheme': (socket as { encrypted?: boolean } | undefined)?.encrypted === true ? 'https' : 'http',
    'url.path': queryAt === -1 ? url : url.slice(0, queryAt),
    'network.protocol.version': request.httpVersion,
  };
  // Undefined once the socket is gone; a span attribute is never undefined.
  const clientAddress = socket?.remoteAddress;
  if (clientAddress !== undefined) attributes['client.address'] = clientAddress;
  // url.query is redacted with the other URL attributes when the span is exported.
  if (queryAt !== -1) attributes['url.query'] = url.slice(queryAt + 1);
  if (method !== request.method) attributes['http.request.method_original'] = request.method;
  if (host !== undefined) {
    // An IPv6 literal ends with `]`: its colons are not a port separator.
    if (colon > host.lastIndexOf(']')) {
      attributes['server.address'] = host.slice(0, colon);
      // A Host header is the client's to write: `host:abc` names no port.
      const port = Number(host.slice(colon + 1));
      if (Number.isInteger(port) && port > 0 && port <= 65535) attributes['server.port'] = port;
    } else attributes['server.address'] = host;
  }
  const userAgent = request.headers['user-agent'];
  if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
  return attributes;
}

/** The method as the stable conventions name it: unknown methods are `_OTHER`. */
export function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return '_OTHER';
  return KNOWN_METHODS.has(method) ? method : '_OTHER';
}

function startServerRequest(request: RecordedRequest): ServerRequestRecord {
  let parent: Context = ROOT_CONTEXT;
  let span: Span | undefined;
  let rpcMetadata: RPCMetadata | undefined;
  const tracing = serverTracing;
  if (tracing !== undefined && !tracing.isExcludedPath(request.url)) {
    const method = normalizeMethod(request.method);
    headerGetter ??= createHeaderGetter(tracing.propagator);
    parent = tracing.propagator.extract(ROOT_CONTEXT, request.headers, headerGetter);
    const attributes = serverAttributes(request, method);
    span = startOwnSpan(tracing.tracer, tracing.leanSpans, method, SpanKind.SERVER, attributes, parent);
    // The RPC metadata lets getServerSpan() find this span under user spans, and lets the
    // instrumentation of a framework other than Express (or an opted-in Express one) tell the
    // route it matched.
    rpcMetadata = { type: RPCType.HTTP, span };
  }
  const keys: RequestContext = {};
  const context = new RequestScopeContext(parent, span, rpcMetadata, keys);
  return {
    startedAt: performance.now(),
    socketBytesAtStart: request.socket?.bytesWritten ?? 0,
    serverSpan: span,
    context,
    keys,
    route: undefined,
    rpcMetadata,
    routeValue: undefined,
    routeBaseUrl: undefined,
    baseUrlValue: undefined,
    mountTemplates: undefined,
    requestId: undefined,
    excluded: false,
    observer: undefined,
    ended: false,
    enteredIn: undefined,
  };
}

function endSpan(
  span: Span,
  record: ServerRequestRecord,
  request: IncomingMessage,
  response: ServerResponse,
  finished: boolean,
): void {
  if (!span.isRecording()) {
    span.end();
    return;
  }
  const route = record.route;
  if (route !== undefined) {
    span.setAttribute('http.route', route);
    span.updateName(`${normalizeMethod(request.method)} ${route}`);
  }
  if (finished || response.headersSent) {
    const status = response.statusCode;
    span.setAttribute('http.response.status_code', status);
    // The declared body size, X-Ray's content_length (response-content-length.ts).
    const size = getResponseContentLength(response);
    if (size !== undefined) span.setAttribute(RESPONSE_BODY_SIZE_ATTRIBUTE, size);
    // Only 5xx is the server's failure; 4xx is the client's (stable HTTP conventions).
    if (status >= 500) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}

function endServerRequest(
  record: ServerRequestRecord,
  request: IncomingMessage,
  response: ServerResponse,
  finished: boolean,
): void {
  record.ended = true;
  // The connection serves on: what runs on it next (the next request's parsing, a request Node
  // refuses) is not this request's (context-storage.ts). A body still arriving (an app that
  // answered before reading an upload) is read in the request's context: its context stays
  // until the next request enters its own.
  if (record.enteredIn !== undefined && request.complete) leaveContext(record.enteredIn, record.context);
  // Express's route, else the one a framework's OpenTelemetry instrumentation recorded.
  record.route ??= routeTemplateOf(request) ?? record.rpcMetadata?.route;
  const observer = record.observer;
  if (observer !== undefined) {
    try {
      observer(record, request, response, finished);
    } catch (error) {
      diagnostics.errorOnce(
        'http:observer',
        ERROR_CODES.INTERNAL,
        `Observing the end of a request failed: ${describeError(error)}`,
      );
    }
  }
  if (record.serverSpan !== undefined) endSpan(record.serverSpan, record, request, response, finished);
}

function onRequestStart(message: unknown): void {
  const { request, response } = message as ChannelMessage;
  try {
    const record = startServerRequest(request);
    request[RECORD] = record;
    // One shared listener, for the requests whose client goes away before the response ends.
    response.on('close', onResponseClose);
    // The bytes the socket carries until then belong to the earlier response.
    if (isQueuedBehindAnother(request, response)) response.once('socket', onQueuedResponseSocket);
    // Published right before the server emits 'request': the app's handler runs in it.
    record.enteredIn = enterContext(record.context);
  } catch (error) {
    diagnostics.errorOnce(
      'http:server-start',
      ERROR_CODES.INTERNAL,
      `A request could not be traced, and is served untraced: ${describeError(error)}`,
    );
  }
}

/**
 * Whether the socket still carries an earlier response: the client pipelined this request, and
 * Node holds its response back until that one has finished. `_httpMessage` is Node's own record
 * of the response that has the socket (undocumented; absent, no request counts as pipelined).
 */
function isQueuedBehindAnother(request: IncomingMessage, response: ServerResponse): boolean {
  const current = (request.socket as { _httpMessage?: unknown } | null)?._httpMessage;
  return current !== undefined && current !== null && current !== response;
}

// Node hands a held-back response its socket (and emits 'socket') before it writes anything of it.
function onQueuedResponseSocket(this: ServerResponse, socket: { bytesWritten?: number }): void {
  const record = (this.req as RecordedRequest | undefined)?.[RECORD];
  if (record !== undefined) record.socketBytesAtStart = socket.bytesWritten ?? record.socketBytesAtStart;
}

function onResponseFinish(message: unknown): void {
  const { request, response } = message as ChannelMessage;
  const record = request[RECORD];
  if (record === undefined || record.ended) return;
  endServerRequest(record, request, response, true);
}

function onResponseClose(this: ServerResponse): void {
  const request = this.req as RecordedRequest | undefined;
  const record = request?.[RECORD];
  if (request === undefined || record === undefined || record.ended) return;
  endServerRequest(record, request, this, this.writableFinished);
}

/**
 * Starts following every request served by a Node `http`/`https` server through Node's
 * diagnostics channels: no module is patched, so the order in which the app loads `http`,
 * Express and Lookout does not matter. Idempotent.
 */
export function followServerRequests(): void {
  if (subscribed) return;
  subscribed = true;
  trackRequestRoutes();
  subscribe('http.server.request.start', onRequestStart);
  subscribe('http.server.response.finish', onResponseFinish);
}

/**
 * Gives every request followed from now on a SERVER span (undefined: none). Starts following
 * requests if that had not started.
 */
export function setServerTracing(tracing: ServerTracing | undefined): void {
  serverTracing = tracing;
  headerGetter = undefined;
  if (tracing !== undefined) followServerRequests();
}

/**
 * The record of a request served by a Node `http` server since Lookout started following
 * requests; undefined for any other request (Express on Lambda has no `http` server).
 */
export function getServerRequestRecord(request: object): ServerRequestRecord | undefined {
  return (request as RecordedRequest)[RECORD];
}
