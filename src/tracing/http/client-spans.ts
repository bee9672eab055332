import { subscribe } from 'node:diagnostics_channel';
import { Agent, ClientRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  type TextMapPropagator,
  type TextMapSetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { getActiveContext } from '../../context/context-storage.js';
import { describeError, diagnostics } from '../../diag/index.js';
import { ERROR_CODES } from '../../errors/index.js';
import { type LeanSpanPipeline, startOwnSpan } from '../lean-span.js';
import {
  clientAttributes,
  endClientSpanAborted,
  endClientSpanWithError,
  recordClientStatus,
} from './client-span-outcome.js';

/** What the CLIENT spans need, given by startTracing(). */
export interface ClientTracing {
  readonly tracer: Tracer;
  readonly propagator: TextMapPropagator;
  /** True for requests to the endpoints Lookout exports to (docs/design.md decision 7). */
  readonly isExporterRequest: (target: { host: string; port: string; path: string }) => boolean;
  /**
   * The provider's parts, when CLIENT spans are lean spans rather than the SDK tracer's
   * (docs/decisions/0056-lean-request-spans.md); undefined: `tracer` starts them.
   */
  readonly leanSpans: LeanSpanPipeline | undefined;
}

/** Starts a CLIENT span: a lean span when the provider's parts are given, else the tracer's. */
export function startClientSpan(
  tracing: ClientTracing,
  name: string,
  attributes: Attributes,
  parent: Context,
): Span {
  return startOwnSpan(tracing.tracer, tracing.leanSpans, name, SpanKind.CLIENT, attributes, parent);
}

const SPAN = Symbol('lookout.clientSpan');

/** The W3C Trace Context fields, as the propagator names them. */
export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

interface TracedClientRequest extends ClientRequest {
  [SPAN]?: Span | undefined;
  agent?: object;
}

// Agents whose requests are never traced: the span exporter's own connection.
const untracedAgents = new WeakSet<object>();

/**
 * Leaves every request sent through `agent` untraced: Lookout's exporter sends through one,
 * so an export never creates a span of its own (docs/design.md decision 7).
 */
export function excludeAgentFromTracing(agent: object): void {
  untracedAgents.add(agent);
}

const REQUEST_HEADER_SETTER: TextMapSetter<ClientRequest> = {
  set(request, key, value) {
    request.setHeader(key, value);
    // A `tracestate` the app set belongs to the `traceparent` this one replaced (W3C Trace
    // Context: the two travel together): it goes, and the propagator sets the CLIENT span's own
    // next, when it has one. One the app sets after the request was made (`setHeader`) is not
    // seen: Node publishes nothing when it renders the header (`http.client.request.start` comes
    // once the header is handed to the socket), and only a wrapper around `setHeader` would see
    // it, on every request (docs/configuration.md says so).
    if (key === TRACEPARENT && request.hasHeader(TRACESTATE)) request.removeHeader(TRACESTATE);
  },
};

let clientTracing: ClientTracing | undefined;

/**
 * A request header's value. Headers given as an array (`headers: ['Host', 'a:8080', …]`) are
 * rendered by Node in the constructor and never kept where `getHeader` reads: they are read from
 * the rendered text then, off the common path.
 */
function headerOf(request: ClientRequest, name: string): unknown {
  const value = request.getHeader(name);
  if (value !== undefined || !request.headersSent) return value;
  const header = (request as RenderedRequest)._header;
  if (typeof header !== 'string') return undefined;
  const lines = header.split(CRLF);
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line.indexOf(':') === name.length && line.slice(0, name.length).toLowerCase() === name)
      return line.slice(name.length + 1).trim();
  }
  return undefined;
}

/**
 * The host and port a request is sent to, from its Host header. Without one (`setHost: false`)
 * the port is the one in `options`, the request's options as `Agent.addRequest` gets them, where
 * Node has set it (to the scheme's default when none was given), or undefined when Lookout was
 * not given them.
 */
function hostAndPort(request: ClientRequest, options: unknown): { host: string; port: string | undefined } {
  const header = headerOf(request, 'host');
  if (typeof header !== 'string') {
    // `request.host` is the bare host name, never with a port, and an IPv6 literal in it is
    // unbracketed (`::1`): its colons are not a port's, and it is bracketed as a Host header
    // would have it, or the URL would read `http://::1/`.
    const host = request.host;
    return {
      host: host.includes(':') && host.charCodeAt(0) !== OPEN_BRACKET ? `[${host}]` : host,
      port: portOf(options),
    };
  }
  const colon = header.lastIndexOf(':');
  if (colon > header.lastIndexOf(']')) return { host: header.slice(0, colon), port: header.slice(colon + 1) };
  return { host: header, port: defaultPortOf(request) };
}

function defaultPortOf(request: ClientRequest): string {
  return request.protocol === 'https:' ? '443' : '80';
}

const PORT = /^\d{1,5}$/;

function portOf(options: unknown): string | undefined {
  const port = (options as { port?: unknown } | null | undefined)?.port;
  if (typeof port !== 'number' && typeof port !== 'string') return undefined;
  const text = String(port);
  return PORT.test(text) ? text : undefined;
}

/**
 * A request without a Host header whose port Lookout was not given (the `created` and `start`
 * channels hand over the request alone, which does not keep its port): its span starts with
 * the scheme's default port and takes the port the socket is connected to once it is. Only these
 * rare requests get a listener, which does not change what Node does with the socket.
 */
function recordPortOnConnect(request: ClientRequest, span: Span, host: string, path: string): void {
  const record = (socket: Socket): void => {
    try {
      const port = socket.remotePort;
      if (port === undefined) return;
      span.setAttribute('server.port', port);
      span.setAttribute('url.full', urlOf(request.protocol, host, String(port), path));
    } catch (error) {
      reportClientFailure(error);
    }
  };
  const onSocket = (socket: Socket): void => {
    if (socket.remotePort !== undefined) record(socket);
    else socket.once('connect', () => record(socket));
  };
  if (request.socket) onSocket(request.socket);
  else request.once('socket', onSocket);
}

const OPEN_BRACKET = 0x5b;

const SLASH = 0x2f;
const ABSOLUTE_URL = /^https?:\/\//i;

/**
 * The URL a request asks for. A request to a forward proxy (axios through an HTTP proxy) names
 * the whole target URL as its path (absolute form, RFC 9112 section 3.2.2): that is the URL,
 * where the host and port are the proxy's.
 */
function urlOf(protocol: string, host: string, port: string, path: string): string {
  if (path.charCodeAt(0) !== SLASH && ABSOLUTE_URL.test(path)) return path;
  return `${protocol}//${host}:${port}${path}`;
}

function shouldTrace(
  tracing: ClientTracing,
  parent: Context,
  target: { host: string; port: string; path: string },
): boolean {
  return !isTracingSuppressed(parent) && !tracing.isExporterRequest(target);
}

function startHttpClientSpan(
  request: TracedClientRequest,
  agent: object | undefined,
  options?: unknown,
): void {
  const tracing = clientTracing;
  if (tracing === undefined || request[SPAN] !== undefined) return;
  if (agent !== undefined && untracedAgents.has(agent)) return;
  const parent = getActiveContext();
  const target = hostAndPort(request, options);
  const host = target.host;
  const port = target.port ?? defaultPortOf(request);
  const path = request.path;
  if (!shouldTrace(tracing, parent, { host, port, path })) return;
  const urlFull = urlOf(request.protocol, host, port, path);
  const { name, attributes } = clientAttributes(request.method, host, port, urlFull);
  const span = startClientSpan(tracing, name, attributes, parent);
  request[SPAN] = span;
  if (target.port === undefined) recordPortOnConnect(request, span, host, path);
  // Node publishes no response channel for the answer to an upgrade (101) or a CONNECT: it
  // hands the socket to the app (or destroys it) and closes the request. Only these rare
  // requests get a listener, one that does not change what Node does with the socket.
  if (request.method === 'CONNECT' || headerOf(request, 'upgrade') !== undefined)
    request.once('close', onUpgradeClose);
  // Headers can still be set, as a rule: Node renders them on the first write.
  if (request.headersSent) injectIntoRenderedHeader(tracing.propagator, trace.setSpan(parent, span), request);
  else tracing.propagator.inject(trace.setSpan(parent, span), request, REQUEST_HEADER_SETTER);
}

/**
 * The members of a ClientRequest in which Node keeps its rendered header and the writes queued
 * until it has a socket (`OutgoingMessage`, Node 20 to 24). Undocumented: each is checked before
 * use (docs/decisions/0054-other-dependency-internals.md).
 */
interface RenderedRequest {
  _header?: unknown;
  _headerSent?: unknown;
  outputData?: unknown;
  outputSize?: unknown;
  socket?: unknown;
}

const CRLF = '\r\n';
const HEADER_END = '\r\n\r\n';
// What Node accepts in a header value (its checkInvalidHeaderChar): a value outside it is not sent.
const INVALID_FIELD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

const FIELD_LIST_SETTER: TextMapSetter<string[]> = {
  set(fields, key, value) {
    if (!INVALID_FIELD_VALUE.test(value)) fields.push(key.toLowerCase(), value);
  },
};

/**
 * Adds the propagation fields to a request whose header Node rendered in its constructor, where
 * `setHeader` throws: headers given as an array, and `Expect: 100-continue`, whose header Node
 * also queues at once so that it goes out before the body. Nothing has been written yet: Node
 * hands the request its socket on a later tick. So the text is rebuilt, with the fields of the
 * same names the app set (and its `tracestate`, with `traceparent`, as REQUEST_HEADER_SETTER
 * does) taken out and Lookout's added before the blank line, in `_header` and in the one queued
 * copy of it. A request in any other state (a socket, other queued writes) is left as it is: the
 * span is kept, without propagation.
 */
function injectIntoRenderedHeader(
  propagator: TextMapPropagator,
  context: Context,
  request: ClientRequest,
): void {
  const rendered = request as RenderedRequest;
  const header = rendered._header;
  const queued = rendered.outputData;
  if (
    typeof header !== 'string' ||
    !header.endsWith(HEADER_END) ||
    rendered.socket != null ||
    !Array.isArray(queued)
  )
    return;
  let queuedHeader: { data?: unknown } | undefined;
  if (rendered._headerSent === true) {
    // `Expect`: Node's `_send('')` queued the header alone, as one string.
    queuedHeader = queued[0] as { data?: unknown } | undefined;
    if (queued.length !== 1 || queuedHeader?.data !== header || typeof rendered.outputSize !== 'number')
      return;
  } else if (rendered._headerSent !== false || queued.length !== 0) return;
  const fields: string[] = [];
  propagator.inject(context, fields, FIELD_LIST_SETTER);
  if (fields.length === 0) return;
  const replaced = new Set<string>();
  for (let index = 0; index < fields.length; index += 2) replaced.add(fields[index] as string);
  if (replaced.has(TRACEPARENT)) replaced.add(TRACESTATE);
  // The request line, the fields, and the two empty strings after the last two CRLFs.
  const lines = header.split(CRLF);
  let text = `${lines[0]}${CRLF}`;
  for (let index = 1; index < lines.length - 2; index++) {
    const line = lines[index] as string;
    if (!replaced.has(line.slice(0, line.indexOf(':')).toLowerCase())) text += `${line}${CRLF}`;
  }
  for (let index = 0; index < fields.length; index += 2)
    text += `${fields[index]}: ${fields[index + 1]}${CRLF}`;
  text += CRLF;
  rendered._header = text;
  if (queuedHeader !== undefined) {
    queuedHeader.data = text;
    rendered.outputSize = (rendered.outputSize as number) + text.length - header.length;
  }
}

function onClientResponse(message: unknown): void {
  const { request, response } = message as { request: TracedClientRequest; response: IncomingMessage };
  const span = request[SPAN];
  if (span === undefined) return;
  request[SPAN] = undefined;
  recordClientStatus(span, response.statusCode ?? 0);
  span.end();
}

function onUpgradeClose(this: TracedClientRequest): void {
  const span = this[SPAN];
  if (span === undefined) return;
  this[SPAN] = undefined;
  // The answer, when one came; a request that failed first was ended by onClientError.
  const response = (this as { res?: IncomingMessage | null }).res;
  if (response?.statusCode !== undefined) recordClientStatus(span, response.statusCode);
  span.end();
}

function onClientError(message: unknown): void {
  const { request, error } = message as { request: TracedClientRequest; error: unknown };
  const span = request[SPAN];
  if (span === undefined) return;
  request[SPAN] = undefined;
  endClientSpanWithError(span, error);
}

function onClientRequestCreated(message: unknown): void {
  const { request } = message as { request: TracedClientRequest };
  try {
    startHttpClientSpan(request, request.agent);
  } catch (error) {
    reportClientFailure(error);
  }
}

function reportClientFailure(error: unknown): void {
  diagnostics.errorOnce(
    'http:client',
    ERROR_CODES.INTERNAL,
    `An outgoing request could not be traced, and is sent untraced: ${describeError(error)}`,
  );
}

/**
 * Whether this Node publishes `http.client.request.created`, the channel that fires while a
 * request's headers can still be set (Node 22.12 and 23.2 on). Earlier versions publish only
 * `http.client.request.start`, once the headers are already written.
 */
function hasRequestCreatedChannel(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 2) || (major === 22 && minor >= 12);
}

type AddRequest = (this: Agent, request: ClientRequest, ...rest: unknown[]) => void;
type Abort = (this: ClientRequest, ...rest: unknown[]) => void;

/**
 * A request the app aborts with `abort()` (deprecated, still what node-fetch 2 and superagent
 * call on a signal or a timeout) before Node gave it a socket, at once or while it waited for
 * one of its agent's, only closes: Node emits no error and publishes nothing, and its span was
 * never ended nor exported. `abort()` is wrapped, which costs nothing to a request that is not
 * aborted: an aborted request with its span still open ends it when it closes, unless an error
 * (the `socket hang up` of one that had a socket) ended it first.
 */
function hookAbort(): void {
  const prototype = ClientRequest.prototype as unknown as { abort?: Abort };
  const abort = prototype.abort;
  if (typeof abort !== 'function') return;
  prototype.abort = function abortTraced(this: TracedClientRequest, ...rest: unknown[]): void {
    try {
      if (this[SPAN] !== undefined && !this.aborted) this.once('close', onAbortedClose);
    } catch (error) {
      reportClientFailure(error);
    }
    abort.apply(this, rest);
  };
}

function onAbortedClose(this: TracedClientRequest): void {
  const span = this[SPAN];
  if (span === undefined) return;
  this[SPAN] = undefined;
  endClientSpanAborted(span);
}

let started = false;

/**
 * Gives outgoing `http`/`https` requests a CLIENT span and the propagation headers. The span
 * ends on `http.client.response.finish` (the response's headers arrived) or
 * `http.client.request.error`. Where Node has no channel that fires before the headers are
 * written (Node 20), the one hook is `http.Agent.prototype.addRequest`, which every request
 * that uses an agent passes through from its constructor
 * (docs/decisions/0005-request-path-from-diagnostics-channels.md).
 */
export function startHttpClientSpans(tracing: ClientTracing): void {
  clientTracing = tracing;
  if (started) return;
  started = true;
  subscribe('http.client.response.finish', onClientResponse);
  subscribe('http.client.request.error', onClientError);
  hookAbort();
  if (hasRequestCreatedChannel()) {
    subscribe('http.client.request.created', onClientRequestCreated);
    return;
  }
  const prototype = Agent.prototype as unknown as { addRequest: AddRequest };
  const addRequest = prototype.addRequest;
  prototype.addRequest = function addRequestTraced(
    this: Agent,
    request: ClientRequest,
    ...rest: unknown[]
  ): void {
    try {
      startHttpClientSpan(request, this, rest[0]);
    } catch (error) {
      reportClientFailure(error);
    }
    try {
      addRequest.call(this, request, ...rest);
    } catch (error) {
      // Node throws from here for a request it cannot send (a port out of range, checked as the
      // socket is created): the app gets its error unchanged, and the span started above ends
      // with it instead of staying open and unexported.
      try {
        onClientError({ request, error });
      } catch (failure) {
        reportClientFailure(failure);
      }
      throw error;
    }
  };
  tracedAddRequest = prototype.addRequest;
  subscribe('http.client.request.start', onClientRequestStart);
}

// Agent.prototype.addRequest once Lookout hooked it (Node 20 only).
let tracedAddRequest: AddRequest | undefined;

/**
 * Node 20's fallback for the requests that never reach the hooked `addRequest`: one made with
 * `createConnection` and no agent, or through an agent whose own `addRequest` does not call
 * Agent's (agent-base 6, under https-proxy-agent 5, hands the request a socket itself). They
 * went untraced; their headers are written by now, so the span is kept without propagation. A
 * request that did pass the hook (traced or excluded) is left as it is.
 */
function onClientRequestStart(message: unknown): void {
  const { request } = message as { request: TracedClientRequest };
  if (request[SPAN] !== undefined) return;
  try {
    const agent = request.agent as { addRequest?: unknown } | undefined | null;
    if (agent?.addRequest === tracedAddRequest) return;
    startHttpClientSpan(request, agent ?? undefined);
  } catch (error) {
    reportClientFailure(error);
  }
}
