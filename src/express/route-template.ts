import type { ExpressRequest } from './types.js';

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
 */
export function joinRoute(baseUrl: string | undefined, routePath: unknown): string | undefined {
  const own = pathText(routePath);
  if (own === undefined) return undefined;
  const base = baseUrl ?? '';
  if (base === '') return own === '' ? '/' : own;
  return own === '/' || own === '' ? base : `${base}${own}`;
}

interface TrackedRoute {
  value: unknown;
  template: string | undefined;
}

const tracked = new WeakMap<object, TrackedRoute>();

// One shared accessor for every request (no closures per request): the state lives above.
const ROUTE_PROPERTY: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: ExpressRequest): unknown {
    return tracked.get(this)?.value;
  },
  set(this: ExpressRequest, value: unknown): void {
    const path = value !== null && typeof value === 'object' ? (value as { path?: unknown }).path : undefined;
    const template = joinRoute(this.baseUrl, path);
    const entry = tracked.get(this);
    if (entry === undefined) tracked.set(this, { value, template });
    else {
      entry.value = value;
      entry.template = template;
    }
  },
};

/**
 * Records the full template each time Express sets `req.route` (read it with
 * `trackedRoute()`). Express restores `req.baseUrl` when a request leaves a router (an error
 * passed to `next()`, for instance), so reading `baseUrl + route.path` at the end of the
 * request could lose the mount path; this reads it at the moment the route matched instead.
 * `req.route` itself behaves as before.
 */
export function trackRoute(req: ExpressRequest): void {
  tracked.set(req, { value: req.route, template: undefined });
  Object.defineProperty(req, 'route', ROUTE_PROPERTY);
}

/** The template recorded by `trackRoute()`, if a route matched. */
export function trackedRoute(req: ExpressRequest): string | undefined {
  return tracked.get(req)?.template;
}

/** The route template at the end of the request, when tracking could not run. */
export function currentRoute(req: ExpressRequest): string | undefined {
  const route = req.route;
  if (route === null || typeof route !== 'object') return undefined;
  return joinRoute(req.baseUrl, route.path);
}
