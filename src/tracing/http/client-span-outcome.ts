import { type Attributes, type Span, SpanStatusCode } from '@opentelemetry/api';
import { normalizeMethod } from './server-requests.js';

/**
 * The attributes a CLIENT span starts with, for `http` and `fetch` alike (stable HTTP
 * conventions). `url.full`'s query string is redacted with the other URL attributes at export.
 */
export function clientAttributes(
  method: string | undefined,
  host: string,
  port: string,
  urlFull: string,
): { name: string; attributes: Attributes } {
  const name = normalizeMethod(method);
  const attributes: Attributes = {
    'http.request.method': name,
    'server.address': host,
    'server.port': Number(port),
    'url.full': urlFull,
  };
  if (name !== method) attributes['http.request.method_original'] = method;
  return { name, attributes };
}

/** Records the response status on a CLIENT span: 4xx and 5xx are the call's failure. */
export function recordClientStatus(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 400) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

/** Ends a CLIENT span whose request failed. */
export function endClientSpanWithError(span: Span, error: Error): void {
  span.recordException(error);
  // Node's errors have string codes (ECONNRESET); the DOMException undici fails an aborted or
  // timed-out fetch() with has a number (20), which says nothing: its name does (AbortError).
  const code = (error as { code?: unknown }).code;
  span.setAttribute('error.type', typeof code === 'string' ? code : error.name);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  span.end();
}
