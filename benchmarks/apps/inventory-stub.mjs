// The downstream service the realistic route calls: GET /inventory/:sku answers a small JSON
// document, as an internal inventory API would. Loopback only.
import { createServer } from 'node:http';

/**
 * Starts the stub on 127.0.0.1.
 * @param {{ port?: number }} [options]
 */
export async function startInventoryStub({ port = 0 } = {}) {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    const match = /^\/inventory\/([^/?]+)/.exec(request.url ?? '');
    if (request.method !== 'GET' || match === null) {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.stringify({
      sku: decodeURIComponent(match[1] ?? ''),
      available: 42,
      warehouse: 'eu-west-1a',
    });
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
  server.keepAliveTimeout = 30_000;
  await /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    })
  );
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`,
    stats: () => ({ requests }),
    reset: () => {
      requests = 0;
    },
    close: () =>
      /** @type {Promise<void>} */ (
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        })
      ),
  };
}
