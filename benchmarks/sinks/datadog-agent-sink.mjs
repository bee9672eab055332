// A loopback stand-in for the Datadog agent, for the dd-trace peer: it accepts the tracer's
// trace payloads (PUT/POST /v0.4/traces, /v0.5/traces), reads every body to the end, counts
// the traces the tracer says it sent (its X-Datadog-Trace-Count header) and the bytes, and
// answers as the agent does (200 with a rate_by_service object). Anything else the tracer asks
// (GET /info, telemetry) gets 200 and an empty object, so nothing is retried.
//
// Standalone: `node benchmarks/sinks/datadog-agent-sink.mjs [port]` prints the base URL and
// serves until killed.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * Starts the sink on 127.0.0.1.
 * @param {number} [port]
 */
export function startDatadogAgentSink(port = 0) {
  const counts = { payloads: 0, traces: 0, bytes: 0, other: 0 };
  const server = createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk) => {
      bytes += chunk.length;
    });
    request.on('end', () => {
      const [path = ''] = (request.url ?? '').split('?');
      response.setHeader('content-type', 'application/json');
      if (/^\/v0\.[45]\/traces$/.test(path)) {
        counts.payloads += 1;
        counts.bytes += bytes;
        counts.traces += Number(request.headers['x-datadog-trace-count'] ?? 0);
        response.end('{"rate_by_service":{}}');
        return;
      }
      counts.other += 1;
      response.end('{}');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = /** @type {import('node:net').AddressInfo} */ (server.address()); // a TCP server's
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        stats: () => ({ ...counts }),
        reset: () => {
          counts.payloads = 0;
          counts.traces = 0;
          counts.bytes = 0;
          counts.other = 0;
        },
        close: () =>
          /** @type {Promise<void>} */ (
            new Promise((done) => {
              server.closeAllConnections();
              server.close(() => done());
            })
          ),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sink = await startDatadogAgentSink(Number(process.argv[2] ?? 0));
  process.stdout.write(`${sink.url}\n`);
}
