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

/**
 * Calls `onRoute` with the full template each time Express sets `req.route`. Express restores
 * `req.baseUrl` when a request leaves a router (an error passed to `next()`, for instance), so
 * reading `baseUrl + route.path` at the end of the request could lose the mount path; this
 * reads it at the moment the route matched instead. `req.route` itself behaves as before.
 */
export function trackRoute(req: ExpressRequest, onRoute: (template: string | undefined) => void): void {
  let current: unknown = req.route;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: unknown) => {
      current = value;
      const path =
        value !== null && typeof value === 'object' ? (value as { path?: unknown }).path : undefined;
      onRoute(joinRoute(req.baseUrl, path));
    },
  });
}

/** The route template at the end of the request, when tracking could not run. */
export function currentRoute(req: ExpressRequest): string | undefined {
  const route = req.route;
  if (route === null || typeof route !== 'object') return undefined;
  return joinRoute(req.baseUrl, route.path);
}
