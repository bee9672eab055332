import type { Attributes } from '@opentelemetry/api';
import { getClientIp } from '../../core.js';
import {
  EVENT_SOURCES,
  type EventSourceInfo,
  type EventSourceName,
  NO_MESSAGE_TRACE_HEADERS,
} from './event-source.js';
import { asString, lowerCaseHeaders, objectAt, stringAt } from './read-event.js';

interface HttpFacts {
  readonly source: EventSourceName;
  readonly method: string | undefined;
  readonly path: string | undefined;
  /** The route template (`/orders/{id}`); undefined where the source has none (ALB, URL, `$default`). */
  readonly route: string | undefined;
  readonly host: string | undefined;
  readonly clientAddress: string | undefined;
  readonly userAgent: string | undefined;
}

/**
 * The client of an ALB event. The load balancer appends the address it received the request from
 * to `X-Forwarded-For` (its default `append` mode); the entries before it are whatever the client
 * sent, so the first one is any address a client cares to write. The client is that last entry,
 * walked back through `http.trustedProxies` (a CDN in front of the load balancer) exactly as an
 * Express app's client address is (src/http/client-ip.ts): the load balancer plays the proxy the
 * request came in from. Read from the end: no array is made of the header's entries.
 */
function albClientAddress(forwardedFor: string | undefined): string | undefined {
  if (forwardedFor === undefined) return undefined;
  const comma = forwardedFor.lastIndexOf(',');
  const peer = forwardedFor.slice(comma + 1).trim();
  if (peer === '') return undefined;
  return getClientIp({
    headers: comma < 0 ? {} : { 'x-forwarded-for': forwardedFor.slice(0, comma) },
    socket: { remoteAddress: peer },
  });
}

function describe(event: unknown, facts: HttpFacts): EventSourceInfo {
  const headers = lowerCaseHeaders(event);
  const attributes: Attributes = {
    'lookout.lambda.event_source': facts.source,
    'url.scheme': headers['x-forwarded-proto'] ?? 'https',
  };
  const method = facts.method?.toUpperCase();
  if (method !== undefined) attributes['http.request.method'] = method;
  if (facts.path !== undefined) attributes['url.path'] = facts.path;
  if (facts.route !== undefined) attributes['http.route'] = facts.route;
  const host = facts.host ?? headers.host;
  if (host !== undefined) attributes['server.address'] = host;
  const userAgent = facts.userAgent ?? headers['user-agent'];
  if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
  // The first X-Forwarded-For entry by a split limited to it: the header is the caller's, and a
  // split of all of it is an array of millions of strings for megabytes of commas.
  const client =
    facts.source === EVENT_SOURCES.alb
      ? albClientAddress(headers['x-forwarded-for'])
      : (facts.clientAddress ?? headers['x-forwarded-for']?.split(',', 1)[0]?.trim());
  if (client !== undefined && client !== '') attributes['client.address'] = client;
  return {
    source: facts.source,
    trigger: 'http',
    attributes,
    operation: method !== undefined && facts.route !== undefined ? `${method} ${facts.route}` : undefined,
    headers,
    messageTraceHeaders: NO_MESSAGE_TRACE_HEADERS,
  };
}

/** `GET /orders/{id}` → `/orders/{id}`; `$default` (the catch-all route) has no template. */
function routeFromRouteKey(routeKey: string | undefined): string | undefined {
  if (routeKey === undefined || routeKey === '$default') return undefined;
  const space = routeKey.indexOf(' ');
  return space >= 0 ? routeKey.slice(space + 1) : routeKey;
}

/**
 * Describes an HTTP event: API Gateway REST (payload 1.0), HTTP API (payload 2.0), a function
 * URL (payload 2.0 on a `lambda-url` domain) or an ALB target group. Undefined when the event
 * is none of them.
 *
 * @example
 * describeHttpEvent({ version: '2.0', routeKey: 'GET /orders/{id}', rawPath: '/orders/7',
 *   requestContext: { http: { method: 'GET', sourceIp: '203.0.113.9' }, domainName: 'x.execute-api.eu-west-1.amazonaws.com' } });
 * // { source: 'aws:apigateway:http', trigger: 'http', operation: 'GET /orders/{id}', ... }
 */
export function describeHttpEvent(event: unknown): EventSourceInfo | undefined {
  const requestContext = objectAt(event, 'requestContext');
  if (requestContext === undefined) return undefined;

  if (objectAt(requestContext, 'elb') !== undefined) {
    return describe(event, {
      source: EVENT_SOURCES.alb,
      method: stringAt(event, 'httpMethod'),
      path: stringAt(event, 'path'),
      route: undefined,
      host: undefined,
      clientAddress: undefined,
      userAgent: undefined,
    });
  }

  const http = objectAt(requestContext, 'http');
  if (stringAt(event, 'version') === '2.0' && http !== undefined) {
    const domain = asString(requestContext.domainName);
    const isUrl = domain?.includes('.lambda-url.') === true;
    return describe(event, {
      source: isUrl ? EVENT_SOURCES.functionUrl : EVENT_SOURCES.apiGatewayHttp,
      method: asString(http.method),
      path: stringAt(event, 'rawPath') ?? asString(http.path),
      route: isUrl ? undefined : routeFromRouteKey(stringAt(event, 'routeKey')),
      host: domain,
      clientAddress: asString(http.sourceIp),
      userAgent: asString(http.userAgent),
    });
  }

  const method = stringAt(event, 'httpMethod');
  if (method !== undefined && asString(requestContext.apiId) !== undefined) {
    return describe(event, {
      source: EVENT_SOURCES.apiGatewayRest,
      method,
      path: stringAt(event, 'path'),
      route: stringAt(event, 'resource'),
      host: asString(requestContext.domainName),
      clientAddress: stringAt(objectAt(requestContext, 'identity'), 'sourceIp'),
      userAgent: stringAt(objectAt(requestContext, 'identity'), 'userAgent'),
    });
  }
  return undefined;
}
