// The two routes of scenario b's app that the decision scripts load: the hello route, and the
// realistic route (a JSON body, redaction, a fetch() to the inventory stub).

/** @type {Record<string, import('../../lib/load.mjs').Route>} */
export const REQUEST_ROUTES = {
  hello: { method: 'GET', path: '/hello/world', expected: 200 },
  orders: {
    method: 'POST',
    path: '/orders',
    body: JSON.stringify({
      sku: 'SKU-12345',
      quantity: 2,
      customer: { id: 'cust-789', email: 'jane@example.com' },
    }),
    headers: { 'content-type': 'application/json' },
    expected: 201,
  },
};
