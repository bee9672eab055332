import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  joinRoute,
  routeTemplateOf,
  templateOfMatch,
  trackRequestRoutes,
} from '../../../src/tracing/http/request-route.js';

describe('joinRoute', () => {
  it.each([
    [undefined, '/orders/:id', '/orders/:id'],
    ['', '/orders/:id', '/orders/:id'],
    ['/api', '/orders/:id', '/api/orders/:id'],
    ['/api/orders', '/', '/api/orders'],
    ['', '/', '/'],
    ['/v1', ['/a', '/b'], '/v1/a,/b'],
    ['', /^\/files\/.*$/, '/^\\/files\\/.*$/'],
    ['/api', undefined, undefined],
  ])('%j + %j is %j', (base, path, expected) => {
    expect(joinRoute(base, path)).toBe(expected);
  });
});

describe('route templates recorded from req.route', () => {
  it('reads the mount path at the moment Express sets req.route, not at the end of the request', () => {
    trackRequestRoutes();
    const req = Object.assign(new IncomingMessage(new Socket()), { baseUrl: '/api/orders' });
    expect(routeTemplateOf(req)).toBeUndefined();

    (req as unknown as { route: unknown }).route = { path: '/:id/fail' };
    // Express restores baseUrl when an error leaves the router.
    req.baseUrl = '';

    expect(routeTemplateOf(req)).toBe('/api/orders/:id/fail');
    expect((req as unknown as { route: unknown }).route).toEqual({ path: '/:id/fail' });
  });

  it('reads req.route and req.baseUrl as they are for a request that never went through the setter', () => {
    const req = { baseUrl: '/api', route: { path: '/orders/:id' } };

    expect(routeTemplateOf(req)).toBe('/api/orders/:id');
  });
});

describe('templateOfMatch', () => {
  it.each([
    ['/users/7/orders', { userId: '7' }, '/users/:userId/orders'],
    ['/a/1/b/2', { x: '1', y: '2' }, '/a/:x/b/:y'],
    // The parameters in their order: the same value twice is two parameters.
    ['/a/1/b/1', { x: '1', y: '1' }, '/a/:x/b/:y'],
    // A value spelled like a fixed segment after it.
    ['/users/orders/orders', { userId: 'orders' }, '/users/:userId/orders'],
    // Values are matched decoded, as the router decodes them.
    ['/files/a%20b', { name: 'a b' }, '/files/:name'],
    ['/files/%E0%A4%A', { name: '%E0%A4%A' }, '/files/:name'],
    // What stays as matched: two parameters in one segment, a wildcard's list, no parameters.
    ['/trips/ams-lhr', { from: 'ams', to: 'lhr' }, '/trips/ams-lhr'],
    ['/files/a/b', { splat: ['a', 'b'] }, '/files/a/b'],
    ['/api', {}, '/api'],
  ])('%j with %j is %j', (matched, params, expected) => {
    expect(templateOfMatch(matched, params)).toBe(expected);
  });
});

describe('mount path templates followed through req.baseUrl', () => {
  type Routed = IncomingMessage & { baseUrl?: string; params?: unknown; route?: unknown };

  /** A request put through the steps Express's router takes for `app.use('/users/:userId/orders', router)`. */
  function routedRequest(): Routed {
    trackRequestRoutes();
    const req = new IncomingMessage(new Socket()) as Routed;
    req.baseUrl = '';
    req.params = { userId: '7' };
    req.baseUrl = '/users/7/orders';
    // The inner router: entered with the same baseUrl, then a route matches.
    req.baseUrl = '/users/7/orders';
    req.route = { path: '/:orderId' };
    req.params = { orderId: '9' };
    return req;
  }

  it('gives the route the template of the mount path, read back as the matched path', () => {
    const req = routedRequest();

    expect(routeTemplateOf(req)).toBe('/users/:userId/orders/:orderId');
    expect(req.baseUrl).toBe('/users/7/orders');
  });

  it('keeps the template after the router sets baseUrl back, and forgets it for a path outside', () => {
    const req = routedRequest();
    req.baseUrl = '';
    expect(routeTemplateOf(req)).toBe('/users/:userId/orders/:orderId');

    req.params = {};
    req.baseUrl = '/other';
    req.route = { path: '/x' };
    expect(routeTemplateOf(req)).toBe('/other/x');
  });

  it('keeps the value and gives up the template when params cannot be read', () => {
    trackRequestRoutes();
    const req = new IncomingMessage(new Socket()) as Routed;
    req.baseUrl = '';
    req.params = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('hostile');
        },
      },
    );
    req.baseUrl = '/users/7/orders';
    req.route = { path: '/:orderId' };

    expect(req.baseUrl).toBe('/users/7/orders');
    expect(routeTemplateOf(req)).toBe('/users/7/orders/:orderId');
  });
});
