// The two routes of scenario b, as the load generator sends them. The decision scripts that
// profile or count a request (benchmarks/decisions/request-*.mjs) send the same requests, so
// their figures describe the scenario's requests and not look-alikes.
import { waitForFirst200 } from './server-process.mjs';

/** The realistic route's body: ~300 bytes of JSON, parsed and validated by the app. */
const ORDER_BODY = JSON.stringify({
  sku: 'SKU-12345',
  quantity: 2,
  customer: { id: 'cust-789', email: 'jane@example.com', tier: 'gold' },
  shipping: { method: 'express', address: { line1: '1 Main St', city: 'Dublin', country: 'IE' } },
  notes: 'Leave at the front desk',
});

export const STEADY_STATE_ROUTES = [
  { key: 'hello', method: 'GET', path: '/hello/world', expected: 200 },
  {
    key: 'orders',
    method: 'POST',
    path: '/orders',
    body: ORDER_BODY,
    headers: { 'content-type': 'application/json' },
    expected: 201,
  },
];

/**
 * The route named `key` (hello or orders), or an error naming the choices.
 * @param {string} key
 */
export function steadyStateRoute(key) {
  const route = STEADY_STATE_ROUTES.find((candidate) => candidate.key === key);
  if (route === undefined)
    throw new Error(
      `the route is ${STEADY_STATE_ROUTES.map((candidate) => candidate.key).join(' or ')}, not ${key}`,
    );
  return route;
}

/**
 * Resolves once the steady-state app answers 200 on `route` itself when it is a GET, else on
 * the hello route's readiness path; rejects if the app exits first.
 * @param {{ exited: Promise<unknown>, stderr: () => string }} app from spawnApp
 * @param {number} port
 * @param {{ method: string, path: string }} route
 */
export function waitForSteadyStateApp(app, port, route) {
  return waitForFirst200({
    port,
    path: route.method === 'GET' ? route.path : '/hello/ready',
    exited: app.exited,
    stderr: app.stderr,
  });
}
