// One autocannon load run against an app on loopback, shared by the server workers (b, and
// f's metrics cost), so every server figure comes from the same load generator.
import autocannon from 'autocannon';

/**
 * @typedef {object} Route
 * @property {string} method
 * @property {string} path
 * @property {number} expected          the status a correct answer has
 * @property {string} [body]
 * @property {Record<string, string>} [headers]
 */

/**
 * Loads one route for `seconds`, or until `amount` requests when it is given (quick runs: a
 * loaded machine still completes some, where a short duration could end with none). Any error, timeout or non-2xx response rejects, so a broken
 * variant fails its run instead of reporting fast failures as throughput.
 * @param {number} port
 * @param {Route} route
 * @param {{ connections: number, seconds?: number, amount?: number, sampleIntervalMs?: number }} load
 * @returns {Promise<{ rps: number, latencies: number[], requests: number, seconds: number }>}
 *   rps counts 2xx per second; latencies are every expected response's own time in ms
 *   (autocannon's histogram rounds to whole milliseconds)
 */
export function runLoad(port, route, { connections, seconds, amount, sampleIntervalMs = 1000 }) {
  /** @type {number[]} */
  const latencies = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}${route.path}`,
        method: route.method,
        body: route.body,
        headers: route.headers,
        connections,
        pipelining: 1,
        ...(amount === undefined ? { duration: seconds } : { amount }),
        // autocannon checks for the end of a run once per sample interval.
        sampleInt: sampleIntervalMs,
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const bad = result.errors + result.timeouts + result.non2xx;
        if (bad > 0) {
          reject(
            new Error(
              `${route.method} ${route.path}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
            ),
          );
          return;
        }
        const okResponses = result['2xx'];
        resolve({
          rps: okResponses / result.duration,
          latencies,
          requests: okResponses,
          seconds: result.duration,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === route.expected) latencies.push(responseTime);
    });
  });
}
