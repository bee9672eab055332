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

/** Where a request keeps what the `route` and `baseUrl` accessors recorded. */
export interface RouteSlots {
  /** The value Express assigned to `req.route` (undefined until a route matched). */
  routeValue: unknown;
  /** The mount path's template (else `req.baseUrl`) at the moment of that assignment. */
  routeBaseUrl: string | undefined;
  /** The value Express last assigned to `req.baseUrl`. */
  baseUrlValue: unknown;
  /**
   * The mount paths entered since a mount path with parameters was, each followed by its
   * template (`['', '', '/users/7/orders', '/users/:userId/orders']`); undefined until then,
   * which for most apps is always.
   */
  mountTemplates: string[] | undefined;
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
  params?: unknown;
  [ROUTE_SLOTS]?: RouteSlots;
  [OWN_SLOTS]?: RouteSlots;
}

/** The request's slots, made on first use for a request without a server request record. */
function slotsOf(request: RoutedRequest): RouteSlots {
  let slots = request[ROUTE_SLOTS] ?? request[OWN_SLOTS];
  if (slots === undefined) {
    slots = {
      routeValue: undefined,
      routeBaseUrl: undefined,
      baseUrlValue: undefined,
      mountTemplates: undefined,
    };
    request[OWN_SLOTS] = slots;
  }
  return slots;
}

function hasOwnKeys(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The template of the part of a path a mount layer matched: each segment that is the value of
 * one of the layer's parameters becomes `:name`, the parameters taken in their order (the
 * order of the pattern's keys, in which the router fills `req.params`). A segment holding two
 * parameters (`/:from-:to`), a wildcard's list or a regular expression's group stays as matched.
 *
 * @example
 * templateOfMatch('/users/7/orders', { userId: '7' }); // '/users/:userId/orders'
 */
export function templateOfMatch(matched: string, params: Readonly<Record<string, unknown>>): string {
  const names = Object.keys(params);
  const segments = matched.split('/');
  let next = 0;
  for (let index = 0; index < segments.length && next < names.length; index++) {
    const segment = segments[index] as string;
    if (segment === '') continue;
    const decoded = decodeSegment(segment);
    for (let name = next; name < names.length; name++) {
      const key = names[name] as string;
      if (params[key] !== decoded) continue;
      segments[index] = `:${key}`;
      next = name + 1;
      break;
    }
  }
  return segments.join('/');
}

/**
 * Follows `req.baseUrl` as the router sets it: a router entering a mount layer sets it to the
 * parent's value followed by the path the layer matched, right after setting `req.params` to
 * the layer's parameters (Express 4's router and the `router` package of Express 5 alike), and
 * sets it back as the request leaves. Only once a mount path with parameters was entered are
 * the entered paths and their templates kept.
 */
function recordBaseUrl(request: RoutedRequest, slots: RouteSlots, value: unknown): void {
  const previous = slots.baseUrlValue;
  slots.baseUrlValue = value;
  if (typeof value !== 'string') {
    slots.mountTemplates = undefined;
    return;
  }
  const stack = slots.mountTemplates;
  if (stack === undefined) {
    // The common case: no mount path with parameters entered so far.
    if (typeof previous !== 'string' || value.length <= previous.length || !value.startsWith(previous))
      return;
    const params = request.params;
    if (params === null || typeof params !== 'object' || !hasOwnKeys(params)) return;
    const matched = value.slice(previous.length);
    const template = templateOfMatch(matched, params as Record<string, unknown>);
    if (template === matched) return;
    slots.mountTemplates = [previous, previous, value, previous + template];
    return;
  }
  // Back to a path entered before (leaving a router), or further in from one.
  while (stack.length > 0 && !value.startsWith(stack[stack.length - 2] as string)) stack.length -= 2;
  if (stack.length === 0) {
    // Set to a path outside the one the parameters were found under: not a router's step.
    slots.mountTemplates = undefined;
    return;
  }
  const base = stack[stack.length - 2] as string;
  if (base === value) return;
  const params = request.params;
  const added = value.slice(base.length);
  const template =
    params !== null && typeof params === 'object'
      ? templateOfMatch(added, params as Record<string, unknown>)
      : added;
  stack.push(value, (stack[stack.length - 1] as string) + template);
}

/** `req.baseUrl` with the mount paths' parameters as their names, when the router's steps were followed. */
function baseUrlTemplateOf(slots: RouteSlots, baseUrl: string | undefined): string | undefined {
  const stack = slots.mountTemplates;
  if (stack === undefined || baseUrl !== slots.baseUrlValue) return baseUrl;
  return stack[stack.length - 2] === baseUrl ? stack[stack.length - 1] : baseUrl;
}

/**
 * An accessor for Node's request prototype whose value lives in the request's slots: `read`
 * names the slot the getter returns, `assign` stores what the app or Express assigns.
 */
function slotAccessor(
  read: 'routeValue' | 'baseUrlValue',
  assign: (request: RoutedRequest, slots: RouteSlots, value: unknown) => void,
): PropertyDescriptor {
  return {
    configurable: true,
    enumerable: true,
    get(this: RoutedRequest): unknown {
      return (this[ROUTE_SLOTS] ?? this[OWN_SLOTS])?.[read];
    },
    set(this: RoutedRequest, value: unknown): void {
      assign(this, slotsOf(this), value);
    },
  };
}

// One accessor on the prototype every request inherits from, defined once: Express (4 and 5)
// and its router assign `req.route` when a route matches; the setter keeps the value and the
// mount path in force at that moment (Express restores `req.baseUrl` when a request leaves a
// router, so reading it at the end of the request could lose the mount path). Nothing in the
// router is wrapped and no request pays for a defineProperty of its own
// (docs/decisions/0005-request-path-from-diagnostics-channels.md).
const ROUTE_ACCESSOR = slotAccessor('routeValue', (request, slots, value) => {
  slots.routeValue = value;
  slots.routeBaseUrl = baseUrlTemplateOf(slots, request.baseUrl);
});

// The same for `req.baseUrl`, which the router sets as it enters and leaves mount paths: the
// template of a mount path with parameters (`/users/:userId/orders`) is known only then
// (docs/decisions/0076-mount-path-templates.md). A plain value to every reader.
const BASE_URL_ACCESSOR = slotAccessor('baseUrlValue', (request, slots, value) => {
  try {
    recordBaseUrl(request, slots, value);
  } catch {
    // A `params` whose getters throw: the template is given up, the value kept.
    slots.baseUrlValue = value;
    slots.mountTemplates = undefined;
  }
});

let installed = false;

function defineOnRequests(name: string, accessor: PropertyDescriptor): void {
  if (Object.hasOwn(IncomingMessage.prototype, name)) {
    diagnostics.debug(
      `http.IncomingMessage.prototype.${name} is already defined; route templates come from req.route and req.baseUrl at the end of each request.`,
    );
    return;
  }
  Object.defineProperty(IncomingMessage.prototype, name, accessor);
}

/**
 * Makes the route template of every request readable with `routeTemplateOf()`, whatever the
 * order in which Express and Lookout were loaded. Idempotent; reports and does nothing when
 * something else already defined `route` or `baseUrl` on Node's request prototype.
 */
export function trackRequestRoutes(): void {
  if (installed) return;
  installed = true;
  defineOnRequests('route', ROUTE_ACCESSOR);
  defineOnRequests('baseUrl', BASE_URL_ACCESSOR);
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
