import { type Attributes, type Span, SpanStatusCode } from '@opentelemetry/api';
import { recordThrownValue } from '../record-thrown-value.js';
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
  // A Host header the app wrote itself can hold anything after its colon (`a:abc`): a port
  // that is no number is left out rather than recorded as NaN.
  if (Number.isNaN(attributes['server.port'])) delete attributes['server.port'];
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

// The stable HTTP conventions' value for an error.type that cannot be told.
const OTHER_ERROR_TYPE = '_OTHER';

/**
 * error.type of a failed request. Node's errors have string codes (ECONNRESET); the
 * DOMException undici fails an aborted or timed-out fetch() with has a number (20), which says
 * nothing: its name does (AbortError).
 */
function errorTypeOf(error: unknown): string {
  try {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  } catch {
    // A getter that throws, or null: the type cannot be read.
  }
  return OTHER_ERROR_TYPE;
}

/**
 * Ends a CLIENT span whose request failed. The app can destroy a request with any value
 * (`request.destroy(value)`: a value with no prototype, a string), and a throw in a diagnostics
 * channel's subscriber is rethrown by Node on the next tick, crashing the process: nothing here
 * reads the value unguarded, and the span always ends.
 */
export function endClientSpanWithError(span: Span, error: unknown): void {
  recordThrownValue(span, error);
  span.setAttribute('error.type', errorTypeOf(error));
  span.end();
}

// Node's code for an aborted operation: what a request aborted through its `signal` fails with.
const ABORTED_ERROR_TYPE = 'ABORT_ERR';

/**
 * Ends a CLIENT span whose request the app aborted without an error to record (`abort()`): as
 * failed, with the `error.type` of a request aborted through its signal, so both read alike.
 */
export function endClientSpanAborted(span: Span): void {
  span.setAttribute('error.type', ABORTED_ERROR_TYPE);
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'The request was aborted' });
  span.end();
}
