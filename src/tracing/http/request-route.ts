import { IncomingMessage } from 'node:http';
import { diagnostics } from '../../diag/index.js';

function pathText(path: unknown): string | undefined {
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.map(String).join(',');
  if (path instanceof RegExp) return String(path);
  return undefined;
}

/**
 * The full route template of a matched route: the mount path of the routers it sits in
 * (`req.baseUrl` at the moment the route matched) followed by the route's own path, e.g.
 * `/api` + `/orders/:id`. A route `/` inside a router is the router's path.
 *
 * @example
 * joinRoute('/api', '/orders/:id'); // '/api/orders/:id'
 */
export function joinRoute(baseUrl: string | undefined, routePath: unknown): string | undefined {
  const own = pathText(routePath);
  if (own === undefined) return undefined;
  const base = baseUrl ?? '';
  if (base === '') return own === '' ? '/' : own;
  return own === '/' || own === '' ? base : `${base}${own}`;
}

/** Where a request keeps what the `route` accessor recorded. */
export interface RouteSlots {
  /** The value Express assigned to `req.route` (undefined until a route matched). */
  routeValue: unknown;
  /** `req.baseUrl` at the moment of that assignment. */
  routeBaseUrl: string | undefined;
}

/**
 * The slots of a request served by a Node http server: its server request record, which
 * holds them (server-requests.ts). A record with a fixed shape makes the setter two plain
 * stores, where properties added to Express's request objects (whose prototype Express
 * swaps) cost microseconds each.
 */
export const ROUTE_SLOTS: unique symbol = Symbol('lookout.serverRequest');

// Requests without a record (Express on Lambda) get slots of their own on first assignment.
const OWN_SLOTS = Symbol('lookout.routeSlots');

interface RoutedRequest {
  baseUrl?: string;
  [ROUTE_SLOTS]?: RouteSlots;
  [OWN_SLOTS]?: RouteSlots;
}

// One accessor on the prototype every request inherits from, defined once: Express (4 and 5)
// and its router assign `req.route` when a route matches; the setter keeps the value and the
// mount path in force at that moment (Express restores `req.baseUrl` when a request leaves a
// router, so reading it at the end of the request could lose the mount path). Nothing in the
// router is wrapped and no request pays for a defineProperty of its own
// (docs/decisions/0005-request-path-from-diagnostics-channels.md).
const ROUTE_ACCESSOR: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: RoutedRequest): unknown {
    return (this[ROUTE_SLOTS] ?? this[OWN_SLOTS])?.routeValue;
  },
  set(this: RoutedRequest, value: unknown): void {
    let slots = this[ROUTE_SLOTS] ?? this[OWN_SLOTS];
    if (slots === undefined) {
      slots = { routeValue: undefined, routeBaseUrl: undefined };
      this[OWN_SLOTS] = slots;
    }
    slots.routeValue = value;
    slots.routeBaseUrl = this.baseUrl;
  },
};

let installed = false;

/**
 * Makes the route template of every request readable with `routeTemplateOf()`, whatever the
 * order in which Express and Lookout were loaded. Idempotent; reports and does nothing when
 * something else already defined `route` on Node's request prototype.
 */
export function trackRequestRoutes(): void {
  if (installed) return;
  installed = true;
  if (Object.hasOwn(IncomingMessage.prototype, 'route')) {
    diagnostics.debug(
      'http.IncomingMessage.prototype.route is already defined; route templates come from req.route at the end of each request.',
    );
    return;
  }
  Object.defineProperty(IncomingMessage.prototype, 'route', ROUTE_ACCESSOR);
}

/**
 * The route template of the request, if a route matched: recorded when the route matched,
 * else read from `req.route` and `req.baseUrl` now.
 */
export function routeTemplateOf(req: object): string | undefined {
  const routed = req as RoutedRequest & { route?: unknown };
  const slots = routed[ROUTE_SLOTS] ?? routed[OWN_SLOTS];
  const recorded = slots !== undefined && slots.routeValue !== undefined;
  // Read at the end of the request, from a diagnostics channel: something thrown there would
  // reach no handler of the app's and end the process. Express's routes never throw; a value
  // the app assigned to `req.route` itself may (a getter, a path of exotic objects).
  try {
    const value = recorded ? slots.routeValue : routed.route;
    if (value === null || typeof value !== 'object') return undefined;
    return joinRoute(recorded ? slots.routeBaseUrl : routed.baseUrl, (value as { path?: unknown }).path);
  } catch {
    return undefined;
  }
}
