import { type Attributes, type AttributeValue, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { fitHttpUrl, fitRequestField } from './fit-http-request.js';
import type { XRayHttp, XRaySpanInput } from './xray-document.js';

/**
 * Attribute names this module reads, current semantic conventions first, then the names the
 * older conventions (before HTTP semconv 1.23) used. Instrumentations still emit either.
 */
export const HTTP_ATTRIBUTES = {
  method: ['http.request.method', 'http.method'],
  status: ['http.response.status_code', 'http.status_code'],
  url: ['url.full', 'http.url'],
  scheme: ['url.scheme', 'http.scheme'],
  target: ['http.target'],
  path: ['url.path'],
  query: ['url.query'],
  serverHost: ['server.address', 'http.host', 'net.host.name', 'http.server_name'],
  serverPort: ['server.port', 'net.host.port'],
  clientHost: ['server.address', 'net.peer.name'],
  clientPort: ['server.port', 'net.peer.port'],
  userAgent: ['user_agent.original', 'http.user_agent'],
  forwardedClient: ['client.address', 'http.client_ip'],
  peerAddress: ['network.peer.address', 'net.sock.peer.addr', 'net.peer.ip'],
  contentLength: [
    'http.response.body.size',
    'http.response_content_length',
    'http.response.header.content-length',
    'http.response_content_length_uncompressed',
  ],
} as const;

/** Every attribute name that ends up in the `http` object (so it is not repeated in metadata). */
export const HTTP_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(Object.values(HTTP_ATTRIBUTES).flat());

function first(attributes: Attributes, names: readonly string[]): AttributeValue | undefined {
  for (const name of names) {
    const value = attributes[name];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

function asText(value: AttributeValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.length > 0 && value[0] != null) return String(value[0]);
  return undefined;
}

function asInteger(value: AttributeValue | undefined): number | undefined {
  const text = asText(value);
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : undefined;
}

function withPort(host: string, port: number | undefined, scheme: string): string {
  const defaultPort = scheme === 'https' ? 443 : 80;
  if (port === undefined || port === defaultPort || host.includes(':')) return host;
  return `${host}:${port}`;
}

function buildUrl(attributes: Attributes, kind: SpanKind): string | undefined {
  const full = asText(first(attributes, HTTP_ATTRIBUTES.url));
  if (full !== undefined) return full;
  const scheme = asText(first(attributes, HTTP_ATTRIBUTES.scheme)) ?? 'http';
  const isServer = kind === SpanKind.SERVER;
  const host = asText(first(attributes, isServer ? HTTP_ATTRIBUTES.serverHost : HTTP_ATTRIBUTES.clientHost));
  const port = asInteger(
    first(attributes, isServer ? HTTP_ATTRIBUTES.serverPort : HTTP_ATTRIBUTES.clientPort),
  );
  const path = asText(first(attributes, HTTP_ATTRIBUTES.path));
  const query = asText(first(attributes, HTTP_ATTRIBUTES.query));
  const target =
    path !== undefined
      ? `${path}${query === undefined ? '' : `?${query.replace(/^\?/, '')}`}`
      : asText(first(attributes, HTTP_ATTRIBUTES.target));
  if (host === undefined) return target;
  return `${scheme}://${withPort(host, port, scheme)}${target ?? '/'}`;
}

/**
 * The `http` object of a segment document, from either generation of the HTTP semantic
 * conventions; undefined when the span is not an HTTP span (no method and no status).
 *
 * @example
 * mapHttp({ kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': '/a',
 *   'server.address': 'api.example.com', 'http.response.status_code': 200 } });
 * // { request: { method: 'GET', url: 'http://api.example.com/a' }, response: { status: 200 } }
 */
export function mapHttp(span: Pick<XRaySpanInput, 'kind' | 'attributes'>): XRayHttp | undefined {
  const { attributes, kind } = span;
  const method = asText(first(attributes, HTTP_ATTRIBUTES.method));
  const status = asInteger(first(attributes, HTTP_ATTRIBUTES.status));
  if (method === undefined && status === undefined) return undefined;

  // Each request string is cut to X-Ray's 250 characters (fit-http-request.ts); the URL loses
  // its query parameters, whole, before its path is cut.
  const request: NonNullable<XRayHttp['request']> = {};
  if (method !== undefined) request.method = fitRequestField(method.toUpperCase());
  const url = buildUrl(attributes, kind);
  if (url !== undefined) request.url = fitHttpUrl(url);
  const userAgent = asText(first(attributes, HTTP_ATTRIBUTES.userAgent));
  if (userAgent !== undefined) request.user_agent = fitRequestField(userAgent);
  if (kind === SpanKind.SERVER) {
    const forwarded = asText(first(attributes, HTTP_ATTRIBUTES.forwardedClient));
    const peer = asText(first(attributes, HTTP_ATTRIBUTES.peerAddress));
    // X-Ray's x_forwarded_for says the address came from a header, not from the socket.
    if (forwarded !== undefined && forwarded !== peer) {
      request.client_ip = fitRequestField(forwarded);
      request.x_forwarded_for = true;
    } else if (forwarded !== undefined || peer !== undefined) {
      request.client_ip = fitRequestField((forwarded ?? peer) as string);
    }
  }

  const response: NonNullable<XRayHttp['response']> = {};
  if (status !== undefined) response.status = status;
  const contentLength = asInteger(first(attributes, HTTP_ATTRIBUTES.contentLength));
  if (contentLength !== undefined) response.content_length = contentLength;

  const http: XRayHttp = { request };
  if (Object.keys(response).length > 0) http.response = response;
  return http;
}

/** The status code of an HTTP span, in either naming. */
export function getHttpStatus(attributes: Attributes): number | undefined {
  return asInteger(first(attributes, HTTP_ATTRIBUTES.status));
}

/**
 * X-Ray's three failure flags: `error` for 4xx, `throttle` as well for 429, `fault` for 5xx, and
 * `fault` for a span whose status is ERROR with no HTTP status telling otherwise.
 */
export function mapFailureFlags(span: Pick<XRaySpanInput, 'attributes' | 'status'>): {
  error?: true;
  throttle?: true;
  fault?: true;
} {
  const status = getHttpStatus(span.attributes);
  if (status !== undefined && status >= 400 && status <= 499)
    return status === 429 ? { error: true, throttle: true } : { error: true };
  if (status !== undefined && status >= 500 && status <= 599) return { fault: true };
  return span.status.code === SpanStatusCode.ERROR ? { fault: true } : {};
}
