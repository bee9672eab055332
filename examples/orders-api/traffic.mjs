// A short burst of mixed traffic against the orders API: logins that work and fail, orders
// created, read, updated and deleted, requests without a token, a not-found, an endpoint that
// throws and a few attack-shaped requests. No health checks: they create no telemetry, and
// every request sent here makes one trace. Used by `npm run demo`; `driveTraffic(baseUrl)`
// resolves with what was sent.

async function send(baseUrl, method, path, { token, body, headers = {} } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      'user-agent': 'orders-api-traffic/1.0',
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { method, path, status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/**
 * Drives `rounds` rounds of mixed traffic against `baseUrl` and resolves with every request
 * sent (method, path, status) and a count per status.
 */
export async function driveTraffic(baseUrl, { rounds = 2 } = {}) {
  const sent = [];
  const call = async (...args) => {
    const result = await send(baseUrl, ...args);
    sent.push({ method: result.method, path: result.path, status: result.status });
    return result;
  };

  for (let round = 0; round < rounds; round++) {
    await call('POST', '/api/login', { body: { username: 'alice', password: 'wrong' } });
    await call('POST', '/api/login', { body: { username: 'mallory', password: 'guess' } });
    const login = await call('POST', '/api/login', {
      body: { username: 'alice', password: 'correct-horse-battery-staple' },
    });
    const token = login.body?.token;
    await call('GET', '/api/orders');
    await call('POST', '/api/orders', { token, body: {} });
    const created = await call('POST', '/api/orders', {
      token,
      body: { item: 'book', quantity: 2, price: 12.5 },
    });
    const id = created.body?.id;
    await call('GET', `/api/orders/${id}`, { token });
    await call('PUT', `/api/orders/${id}`, { token, body: { quantity: 3 } });
    await call('GET', '/api/orders/999999', { token });
    await call('DELETE', `/api/orders/${id}`, { token });
    await call('GET', '/api/reports/daily', { token });
    await call('GET', `/api/orders?q=${encodeURIComponent("1' OR '1'='1")}`, { token });
    await call('POST', '/api/login', { body: { username: '<script>alert(1)</script>', password: 'x' } });
    await call('POST', '/api/logout', { token });
  }

  const byStatus = {};
  for (const { status } of sent) byStatus[status] = (byStatus[status] ?? 0) + 1;
  return { sent, byStatus };
}
