import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { joinRoute, routeTemplateOf, trackRequestRoutes } from '../../../src/tracing/http/request-route.js';

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
