import { describe, expect, it } from 'vitest';
import { currentRoute, joinRoute, trackedRoute, trackRoute } from '../../../src/express/route-template.js';
import type { ExpressRequest } from '../../../src/express/types.js';

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

describe('trackRoute', () => {
  it('reads the mount path at the moment Express sets req.route, not at the end of the request', () => {
    const req = { headers: {}, baseUrl: '/api/orders' } as unknown as ExpressRequest & { baseUrl: string };
    trackRoute(req);
    expect(trackedRoute(req)).toBeUndefined();

    req.route = { path: '/:id/fail' };
    // Express restores baseUrl when an error leaves the router.
    (req as { baseUrl: string }).baseUrl = '';

    expect(trackedRoute(req)).toBe('/api/orders/:id/fail');
    expect(req.route).toEqual({ path: '/:id/fail' });
    expect(currentRoute(req)).toBe('/:id/fail');
  });
});
