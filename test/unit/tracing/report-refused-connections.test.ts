import { createServer, request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import { createRefusalReportingAgentFactory } from '../../../src/tracing/report-refused-connections.js';

let output: string[] = [];
let restore: () => void = () => {};

beforeEach(() => {
  output = [];
  restore = diagnostics.captureForTesting((line) => output.push(line));
});
afterEach(() => {
  restore();
});

/** A port on loopback, and whether something (an HTTP server answering 200) listens there while `use` runs. */
async function withPort<T>(listening: boolean, use: (url: string) => Promise<T>): Promise<T> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/traces`;
  if (!listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  try {
    return await use(url);
  } finally {
    if (listening) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

/** POSTs through the agent; resolves with the status, or the error code when the request fails. */
function post(url: string, agent: ReturnType<ReturnType<typeof createRefusalReportingAgentFactory>>) {
  return new Promise<number | string>((resolve) => {
    const req = request(url, { method: 'POST', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end('{}');
  });
}

describe('createRefusalReportingAgentFactory', () => {
  it('says once, when the first connection is refused, which endpoint and how to start one', async () => {
    await withPort(false, async (url) => {
      const agent = createRefusalReportingAgentFactory(url, 'spans')('http:');

      expect(await post(url, agent)).toBe('ECONNREFUSED');
      expect(await post(url, agent)).toBe('ECONNREFUSED');

      expect(output).toHaveLength(1);
      expect(output[0]).toMatch(
        /^lookout WARN \[LOOKOUT_ENDPOINT_REFUSED\] Nothing is listening at http:\/\/127\.0\.0\.1:\d+\/v1\/traces/,
      );
      expect(output[0]).toContain('spans are retried, then dropped');
      expect(output[0]).toContain('npx lookout dev');
      expect(diagnostics.counts().get(`endpoint-refused:${url}`)).toBe(2);
      agent.destroy();
    });
  });

  it('says nothing when the endpoint answers', async () => {
    await withPort(true, async (url) => {
      const agent = createRefusalReportingAgentFactory(url, 'metrics')('http:');

      expect(await post(url, agent)).toBe(200);
      expect(output).toEqual([]);
      agent.destroy();
    });
  });
});
