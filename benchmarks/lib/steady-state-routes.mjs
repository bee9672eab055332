// The two routes of scenario b, as the load generator sends them. The decision scripts that
// profile or count a request (benchmarks/decisions/request-*.mjs) send the same requests, so
// their figures describe the scenario's requests and not look-alikes.

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
