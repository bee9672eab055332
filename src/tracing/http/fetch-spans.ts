import { subscribe } from 'node:diagnostics_channel';
import { type Span, type TextMapSetter, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { getActiveContext } from '../../context/context-storage.js';
import { describeError, diagnostics } from '../../diag/index.js';
import { ERROR_CODES } from '../../errors/index.js';
import { clientAttributes, endClientSpanWithError, recordClientStatus } from './client-span-outcome.js';
import { type ClientTracing, startClientSpan, TRACEPARENT, TRACESTATE } from './client-spans.js';

const SPAN = Symbol('lookout.fetchSpan');

/** The fields of undici's request object that its diagnostics channels hand over. */
interface UndiciRequest {
  readonly origin?: string | URL;
  readonly method?: string;
  readonly path?: string;
  readonly upgrade?: string | null;
  headers?: string | string[];
  addHeader?: (name: string, value: string) => unknown;
  onUpgrade?: (statusCode: number, ...rest: unknown[]) => unknown;
  [SPAN]?: Span | undefined;
}

/**
 * Sets the value of a header the app gave itself (`traceparent` copied from an incoming request,
 * say) in place and drops any repeat, and says whether it did. undici's `addHeader` appends: a
 * second `traceparent` field makes the value a comma-joined pair that every receiver discards, so
 * the downstream service started a new trace. Lookout's value wins, as `setHeader` makes it win
 * for `http.request`: the CLIENT span is the downstream's parent. The length check keeps the
 * usual miss from lower-casing any name.
 */
function replaceHeader(request: UndiciRequest, key: string, value: string): boolean {
  const headers = request.headers;
  if (Array.isArray(headers)) {
    let found = false;
    for (let index = 0; index < headers.length; index += 2) {
      const name = headers[index];
      if (name?.length !== key.length || name.toLowerCase() !== key) continue;
      if (found) {
        headers.splice(index, 2);
        index -= 2;
      } else {
        headers[index + 1] = value;
        found = true;
      }
    }
    return found;
  }
  removeRenderedHeader(request, key);
  return false;
}

/** Drops every field `key` (lower case) from the request's headers. */
function removeHeader(request: UndiciRequest, key: string): void {
  const headers = request.headers;
  if (!Array.isArray(headers)) {
    removeRenderedHeader(request, key);
    return;
  }
  for (let index = headers.length - 2; index >= 0; index -= 2) {
    const name = headers[index];
    if (name?.length === key.length && name.toLowerCase() === key) headers.splice(index, 2);
  }
}

/** undici 5 (older Node 20 releases) keeps the rendered `name: value\r\n` lines. */
function removeRenderedHeader(request: UndiciRequest, key: string): void {
  const headers = request.headers;
  if (typeof headers !== 'string' || !headers.toLowerCase().includes(key)) return;
  request.headers = headers
    .split('\r\n')
    .filter((line) => line.slice(0, line.indexOf(':')).trim().toLowerCase() !== key)
    .join('\r\n');
}

const UNDICI_HEADER_SETTER: TextMapSetter<UndiciRequest> = {
  set(request, key, value) {
    // A `tracestate` the app set belongs to the `traceparent` this one replaces (W3C Trace
    // Context: the two travel together): it goes, and the propagator adds the CLIENT span's own
    // next, when it has one.
    if (key === TRACEPARENT) removeHeader(request, TRACESTATE);
    if (replaceHeader(request, key, value)) return;
    if (typeof request.addHeader === 'function') request.addHeader(key, value);
    else if (Array.isArray(request.headers)) request.headers.push(key, value);
    else request.headers = `${request.headers ?? ''}${key}: ${value}\r\n`;
  },
};

let tracing: ClientTracing | undefined;

/** What a request's span needs of its origin. */
interface ParsedOrigin {
  readonly hostname: string;
  readonly port: string;
  readonly origin: string;
}

// An app calls the same few services over and over: each origin is parsed once (a WHATWG URL
// parse is about a microsecond per call once optimised), up to a bound past which the cache
// starts again.
const ORIGINS_KEPT = 64;
const parsedOrigins = new Map<string, ParsedOrigin>();

function parseOrigin(text: string): ParsedOrigin {
  let parsed = parsedOrigins.get(text);
  if (parsed === undefined) {
    const url = new URL(text);
    parsed = {
      hostname: url.hostname,
      port: url.port || (url.protocol === 'https:' ? '443' : '80'),
      origin: url.origin,
    };
    if (parsedOrigins.size >= ORIGINS_KEPT) parsedOrigins.clear();
    parsedOrigins.set(text, parsed);
  }
  return parsed;
}

function onRequestCreate(message: unknown): void {
  const { request } = message as { request: UndiciRequest };
  const current = tracing;
  if (current === undefined) return;
  try {
    const parent = getActiveContext();
    if (isTracingSuppressed(parent)) return;
    const { hostname, port, origin } = parseOrigin(String(request.origin));
    const path = request.path ?? '/';
    if (current.isExporterRequest({ host: hostname, port, path })) return;
    const { name, attributes } = clientAttributes(request.method, hostname, port, `${origin}${path}`);
    const span = startClientSpan(current, name, attributes, parent);
    request[SPAN] = span;
    if (request.upgrade || request.method === 'CONNECT') endSpanOnUpgrade(request);
    current.propagator.inject(trace.setSpan(parent, span), request, UNDICI_HEADER_SETTER);
  } catch (error) {
    reportFetchFailure(error);
  }
}

function reportFetchFailure(error: unknown): void {
  diagnostics.errorOnce(
    'http:fetch',
    ERROR_CODES.INTERNAL,
    `A fetch() call could not be traced, and is sent untraced: ${describeError(error)}`,
  );
}

/**
 * undici publishes no channel when an upgrade (every WebSocket handshake) or a CONNECT (a
 * ProxyAgent's tunnel) is answered: it hands the socket to the handler through the request's
 * `onUpgrade`, and neither `headers` nor `trailers` fires, so the span was never ended nor
 * exported. Only these rare requests get their own `onUpgrade`, which ends the span with the
 * status and then does exactly what undici's does.
 */
function endSpanOnUpgrade(request: UndiciRequest): void {
  const onUpgrade = request.onUpgrade;
  if (typeof onUpgrade !== 'function') return;
  request.onUpgrade = function onUpgradeTraced(this: UndiciRequest, statusCode, ...rest) {
    const span = this[SPAN];
    if (span !== undefined) {
      this[SPAN] = undefined;
      try {
        recordClientStatus(span, statusCode);
        span.end();
      } catch (error) {
        reportFetchFailure(error);
      }
    }
    return onUpgrade.call(this, statusCode, ...rest);
  };
}

function onResponseHeaders(message: unknown): void {
  const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
  const span = request[SPAN];
  if (span !== undefined) recordClientStatus(span, response.statusCode);
}

function onResponseEnd(message: unknown): void {
  const { request } = message as { request: UndiciRequest };
  const span = request[SPAN];
  if (span === undefined) return;
  request[SPAN] = undefined;
  span.end();
}

function onRequestError(message: unknown): void {
  const { request, error } = message as { request: UndiciRequest; error: unknown };
  const span = request[SPAN];
  if (span === undefined) return;
  request[SPAN] = undefined;
  endClientSpanWithError(span, error);
}

let started = false;

/**
 * Gives `fetch()` calls (Node's bundled undici) a CLIENT span and the propagation headers,
 * from undici's own diagnostics channels: the span ends when the body has been read
 * (`undici:request:trailers`) or the request failed.
 */
export function startFetchSpans(clientTracing: ClientTracing): void {
  tracing = clientTracing;
  if (started) return;
  started = true;
  subscribe('undici:request:create', onRequestCreate);
  subscribe('undici:request:headers', onResponseHeaders);
  subscribe('undici:request:trailers', onResponseEnd);
  subscribe('undici:request:error', onRequestError);
}
