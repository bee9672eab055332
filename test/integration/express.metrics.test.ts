// Real processes: an Express 5 app started with `node --import lookout/register`, real HTTP
// over loopback, and its real stdout read back by the EMF reader. The sums CloudWatch would
// extract must equal exactly what was sent: nothing lost, nothing counted twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findSum, readEmf, sumEmf } from '../helpers/emf-reader.js';
import { request as httpRequest } from '../helpers/http.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = 'test/fixtures/metrics-express-app.mjs';
const BASE = { Service: 'metrics-fixture', Environment: 'itest' };

interface App {
  readonly url: string;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends SIGTERM and resolves with everything the process wrote once it has exited. */
  stop(): Promise<{ stdout: string; stderr: string; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(OTEL_|LOOKOUT_|POWERTOOLS_|AWS_|NODE_ENV$)/.test(key)) env[key] = value;
  }
  return env;
}

async function startApp(env: Record<string, string>): Promise<App> {
  const child = spawn(process.execPath, ['--import', 'lookout/register', FIXTURE], {
    cwd: ROOT,
    env: {
      ...cleanEnv(),
      LOOKOUT_SERVICE_NAME: 'metrics-fixture',
      LOOKOUT_ENVIRONMENT: 'itest',
      OTEL_TRACES_EXPORTER: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    };
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`fixture exited early (${code}): ${stderr}`)));
  });
  return {
    url,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      const signal = await exited;
      return { stdout, stderr, signal };
    },
  };
}

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  readonly status: number;
}

/** The traffic plan: known statuses, distinct ids in every path, an unmatched route. */
function plan(count: number, offset = 0): Sent[] {
  const sent: Sent[] = [];
  for (let i = offset; i < offset + count; i++) {
    switch (i % 6) {
      case 0:
      case 1:
        sent.push({ method: 'GET', path: `/orders/${i}`, operation: 'GET /orders/:id', status: 200 });
        break;
      case 2:
        sent.push({ method: 'POST', path: '/orders', operation: 'POST /orders', status: 201 });
        break;
      case 3:
        sent.push({
          method: 'GET',
          path: `/orders/${i}/status/${i % 12 === 3 ? 404 : 409}`,
          operation: 'GET /orders/:id/status/:code',
          status: i % 12 === 3 ? 404 : 409,
        });
        break;
      case 4:
        sent.push({ method: 'GET', path: '/boom', operation: 'GET /boom', status: 500 });
        break;
      default:
        sent.push({ method: 'GET', path: `/no/such/route/${i}`, operation: 'GET UNMATCHED', status: 404 });
    }
  }
  return sent;
}

async function send(url: string, requests: readonly Sent[], concurrency = 8): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++] as Sent;
      // One connection per request (no keep-alive): a pooled socket that the server closes
      // while idle on a loaded machine would fail a request that was never received, and a
      // retry could not tell that apart from one that was.
      const response = await httpRequest(`${url}${request.path}`, { method: request.method });
      expect(response.status).toBe(request.status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function expectExactSums(stdout: string, sent: readonly Sent[]): void {
  const { documents, invalid } = readEmf(stdout);
  expect(invalid).toEqual([]);
  const sums = sumEmf(documents);

  const byOperation = new Map<string, Sent[]>();
  for (const request of sent)
    byOperation.set(request.operation, [...(byOperation.get(request.operation) ?? []), request]);
  for (const [operation, requests] of byOperation) {
    const dimensions = { ...BASE, Operation: operation };
    expect(findSum(sums, 'RequestCount', dimensions)?.sum, operation).toBe(requests.length);
    expect(findSum(sums, 'Latency', dimensions)?.sampleCount, operation).toBe(requests.length);
    expect(findSum(sums, 'Error', dimensions)?.sum, operation).toBe(
      requests.filter((r) => r.status >= 400 && r.status < 500).length,
    );
    expect(findSum(sums, 'Fault', dimensions)?.sum, operation).toBe(
      requests.filter((r) => r.status >= 500).length,
    );
  }
  expect(findSum(sums, 'RequestCount', BASE)?.sum).toBe(sent.length);
  expect(findSum(sums, 'Latency', BASE)?.sampleCount).toBe(sent.length);
  expect(findSum(sums, 'OrderPlaced', BASE)?.sum).toBe(sent.filter((r) => r.method === 'POST').length);

  // Operation holds route templates only: never an id, never a raw path.
  const operations = new Set(
    [...sums.values()].map((entry) => entry.dimensions.Operation).filter((value) => value !== undefined),
  );
  expect([...operations].sort()).toEqual([...byOperation.keys()].sort());
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('request metrics from an Express app', () => {
  it('sums to exactly the requests sent, including what shutdown() flushes on SIGTERM', async () => {
    // No timer flush during the test: everything not written by a full (100-sample) group
    // reaches stdout only through shutdown().
    const app = await startApp({ LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '3600000' });
    const sent = plan(420);

    await send(app.url, sent);
    const beforeShutdown = readEmf(app.stdout());
    const { stdout, signal } = await app.stop();

    expect(signal).toBe('SIGTERM');
    // GET /orders/:id got 140 requests: one group reached 100 samples and was written at once.
    expect(beforeShutdown.documents.length).toBeGreaterThan(0);
    expect(readEmf(stdout).documents.length).toBeGreaterThan(beforeShutdown.documents.length);
    expectExactSums(stdout, sent);
  });

  it('loses and doubles nothing when a short flush interval races with traffic', async () => {
    const app = await startApp({ LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '25' });
    const first = plan(60);
    const second = plan(540, 60);

    await send(app.url, first);
    // The timer has flushed at least once before the second wave starts...
    await waitFor(() => readEmf(app.stdout()).documents.length > 0, 'a timer flush');
    // ...and keeps flushing while it runs.
    await send(app.url, second, 16);
    const { stdout } = await app.stop();

    expectExactSums(stdout, [...first, ...second]);
  });

  it('writes what was aggregated when the app calls process.exit() without shutdown()', async () => {
    const app = await startApp({ LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '3600000' });
    const sent = [...plan(30), { method: 'GET', path: '/exit', operation: 'GET /exit', status: 200 }];
    const exited = new Promise<number | null>((resolve) => app.child.on('exit', (code) => resolve(code)));

    await send(app.url, sent, 1);
    const code = await exited;

    expect(code).toBe(0);
    expectExactSums(app.stdout(), sent);
  });

  it('counts a response with a status past 599 that Node sends (it takes 100 to 999), as a fault', async () => {
    // Prepare
    const app = await startApp({ LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '3600000' });
    const sent = [
      ...[600, 999, 200].map((status) => ({
        method: 'GET',
        path: `/orders/7/status/${status}`,
        operation: 'GET /orders/:id/status/:code',
        status,
      })),
      { method: 'POST', path: '/orders', operation: 'POST /orders', status: 201 },
    ];

    // Act
    await send(app.url, sent, 1);
    const { stdout } = await app.stop();

    // Assess: every request is in RequestCount and Latency, the 600 and the 999 in Fault as
    // their spans are ERROR
    expectExactSums(stdout, sent);
  });

  it('writes nothing to stdout when POWERTOOLS_METRICS_DISABLED=true', async () => {
    const app = await startApp({
      POWERTOOLS_METRICS_DISABLED: 'true',
      LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '25',
    });

    await send(app.url, plan(12));
    const { stdout } = await app.stop();

    expect(stdout).toBe('');
  });
});
