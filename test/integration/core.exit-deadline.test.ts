// A process that ends on its own waits for its last export (spans, metrics, log records) at most the shutdown timeout
// (LOOKOUT_SHUTDOWN_TIMEOUT_MS): a retry within it still delivers, a collector that stays
// unreachable no longer holds the process through every retry of the export (about 13 s with
// a 30 s OTLP timeout before, docs/decisions/0054-other-dependency-internals.md). The receiver
// is a real OTLP/HTTP peer; the unreachable one a loopback port nothing listens on.
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});

/** A loopback port nothing listens on: one the system gave out, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A collector that accepts every connection, reads what it is sent and never answers, as a hung
 * one does; `close()` drops the connections.
 */
async function silentCollector(): Promise<{
  url: string;
  connections: () => number;
  /** performance.now() when the first connection was accepted. */
  firstConnectedAt: () => number | undefined;
  close: () => Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let firstConnectedAt: number | undefined;
  const server = createServer((socket) => {
    connections += 1;
    firstConnectedAt ??= performance.now();
    sockets.add(socket);
    socket.resume();
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    firstConnectedAt: () => firstConnectedAt,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const ONE_REQUEST = 'test/fixtures/one-request-then-end.mjs';
const EVERY_SIGNAL = 'test/fixtures/every-signal-then-end.mjs';
const WHILE_EXPORTING = 'test/fixtures/one-request-then-end-while-exporting.mjs';

/** Runs `fixture` under `--import lookout/register` with `env` until it ends on its own. */
async function runUntilEnded(fixture: string, env: Readonly<Record<string, string>>) {
  const started = Date.now();
  const app = await spawnApp({ args: ['--import', 'lookout/register', fixture], env, readyPattern: null });
  const exit = await app.exited;
  return { app, exit, aliveMs: Date.now() - started };
}

/**
 * Runs `fixture` exporting to `endpoint`, which never answers in time: a 30 s OTLP timeout, a
 * 500 ms shutdown timeout.
 */
function runGivingUp(fixture: string, env: Readonly<Record<string, string>>, endpoint: string) {
  return runUntilEnded(fixture, {
    ...env,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_TIMEOUT: '30000',
    LOOKOUT_SHUTDOWN_TIMEOUT_MS: '500',
  });
}

/**
 * Runs `fixture` exporting to the receiver, which answers the first export as `first` says and
 * the rest at once, with a 5 s shutdown timeout.
 */
async function runAgainstReceiver(
  first: Parameters<OtlpReceiver['respondWith']>[0],
  fixture: string,
  env: Readonly<Record<string, string>>,
) {
  receiver.clear();
  receiver.respondWith(first);
  const run = await runUntilEnded(fixture, {
    ...env,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    LOOKOUT_SHUTDOWN_TIMEOUT_MS: '5000',
  });
  receiver.respondWith();
  return run;
}

type EndedRun = Awaited<ReturnType<typeof runUntilEnded>>;

/**
 * Asserts that `run` ended cleanly through its exit flush giving up (`LOOKOUT_FLUSH_TIMEOUT`)
 * after its export had reached `collector`; returns when the app said it was closing.
 */
function expectGaveUpOnExport(
  run: EndedRun,
  collector: { firstConnectedAt: () => number | undefined },
): number {
  expect(run.exit.code).toBe(0);
  const closedAt = run.app.stdoutLinesRead().find(({ line }) => line === 'closing')?.readAt;
  expect(closedAt).toBeDefined();
  expect(collector.firstConnectedAt()).toBeLessThan(closedAt!);
  expect(run.app.stderrLines().some((line) => line.includes('LOOKOUT_FLUSH_TIMEOUT'))).toBe(true);
  return closedAt!;
}

describe('a process that ends on its own', () => {
  it('exits once the shutdown timeout has passed when the collector cannot be reached', async () => {
    // Prepare, Act
    const port = await closedPort();
    const { app, exit, aliveMs } = await runGivingUp(ONE_REQUEST, {}, `http://127.0.0.1:${port}`);

    // Assess: the export's retries (1 s, 1.5 s, 2.25 s, … within its 30 s) no longer keep it up
    expect(exit.code).toBe(0);
    expect(app.stdoutLines()).toContain('answered');
    expect(app.stderrLines().some((line) => line.includes('LOOKOUT_FLUSH_TIMEOUT'))).toBe(true);
    expect(aliveMs).toBeLessThan(6000);
  });

  it('still delivers its spans through a retry that comes within the shutdown timeout', async () => {
    // Prepare, Act: the collector refuses the first export (503), then takes them
    const { exit } = await runAgainstReceiver({ status: 503, times: 1 }, ONE_REQUEST, {});

    // Assess
    expect(exit.code).toBe(0);
    const statuses = receiver
      .requests()
      .filter((request) => request.path === '/v1/traces')
      .map((request) => request.status);
    expect(statuses).toEqual([503, 200]);
    expect(
      receiver
        .spans()
        .map((span) => span.kind)
        .sort(),
    ).toEqual(['CLIENT', 'SERVER']);
  });
});

/** One signal's exporter turned on (the others off), how to find what it delivered. */
const EXPORTERS = {
  metrics: {
    env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'otlp' },
    path: '/v1/metrics',
    delivered: (receiver: OtlpReceiver) =>
      receiver.metrics().filter((point) => point.name === 'fixture.script.runs').length,
  },
  logs: {
    env: { OTEL_TRACES_EXPORTER: 'none', LOOKOUT_LOGS_EXPORTER: 'otlp' },
    path: '/v1/logs',
    delivered: (receiver: OtlpReceiver) =>
      receiver.logs().filter((record) => record.body === 'script ran').length,
  },
  traces: {
    env: {},
    path: '/v1/traces',
    delivered: (receiver: OtlpReceiver) => receiver.spans().filter((span) => span.kind === 'SERVER').length,
  },
} as const;

type Signal = keyof typeof EXPORTERS;
const exporting = (signal: Signal, protocol: 'http/protobuf' | 'http/json') => ({
  signal,
  protocol,
  ...EXPORTERS[signal],
});

// Spans over protobuf go through Lookout's own encoder and transport, tested on their own above.
const SIGNALS = [
  exporting('metrics', 'http/protobuf'),
  exporting('metrics', 'http/json'),
  exporting('logs', 'http/protobuf'),
  exporting('logs', 'http/json'),
  exporting('traces', 'http/json'),
];

describe.each(SIGNALS)(
  'a process that ends on its own, exporting $signal over $protocol',
  ({ protocol, env, path, delivered }) => {
    it('exits once the shutdown timeout has passed when the collector cannot be reached', async () => {
      // Prepare, Act
      const port = await closedPort();
      const { app, exit, aliveMs } = await runGivingUp(
        EVERY_SIGNAL,
        { ...env, OTEL_EXPORTER_OTLP_PROTOCOL: protocol },
        `http://127.0.0.1:${port}`,
      );

      // Assess: the export's retries (1 s, 1.5 s, 2.25 s, … within its 30 s) no longer keep it
      // up, and the failure is reported as one (the logs SDK's own error handler logged it as an
      // internal error, stack and all)
      expect(exit.code).toBe(0);
      expect(app.stdoutLines()).toContain('answered');
      expect(app.stderrLines().some((line) => line.includes('LOOKOUT_FLUSH_TIMEOUT'))).toBe(true);
      expect(app.stderrLines().some((line) => line.includes('LOOKOUT_EXPORT_FAILED'))).toBe(true);
      expect(app.stderrLines().filter((line) => line.includes('LOOKOUT_INTERNAL'))).toEqual([]);
      expect(aliveMs).toBeLessThan(6000);
    });

    it('still delivers through a retry that comes within the shutdown timeout', async () => {
      // Prepare, Act: the collector refuses the first export (503), then takes them
      const { exit } = await runAgainstReceiver({ status: 503, times: 1 }, EVERY_SIGNAL, {
        ...env,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      });

      // Assess
      expect(exit.code).toBe(0);
      const statuses = receiver
        .requests()
        .filter((request) => request.path === path)
        .map((request) => request.status);
      expect(statuses).toEqual([503, 200]);
      expect(delivered(receiver)).toBe(1);
    });
  },
);

describe.each([
  exporting('metrics', 'http/protobuf'),
  exporting('logs', 'http/protobuf'),
  exporting('traces', 'http/protobuf'),
])(
  'a process that ends on its own, exporting $signal over $protocol to a collector slow to answer',
  ({ protocol, env, path, delivered }) => {
    it('exits once the shutdown timeout has passed when the collector never answers', async () => {
      // Prepare: the collector takes the request and says nothing; the request's own timeout is 30 s
      const collector = await silentCollector();

      // Act
      const { app, exit, aliveMs } = await runGivingUp(
        EVERY_SIGNAL,
        { ...env, OTEL_EXPORTER_OTLP_PROTOCOL: protocol },
        collector.url,
      );
      await collector.close();

      // Assess: the export was sent, and its unanswered request no longer keeps the process up
      expect(exit.code).toBe(0);
      expect(collector.connections()).toBeGreaterThan(0);
      expect(app.stderrLines().some((line) => line.includes('LOOKOUT_FLUSH_TIMEOUT'))).toBe(true);
      expect(aliveMs).toBeLessThan(6000);
    });

    it('still delivers when the collector answers within the shutdown timeout', async () => {
      // Prepare, Act: the collector takes a second to answer the first export
      const { app, exit } = await runAgainstReceiver({ delayMs: 1000, times: 1 }, EVERY_SIGNAL, {
        ...env,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      });

      // Assess
      expect(exit.code).toBe(0);
      expect(receiver.requests().filter((request) => request.path === path).length).toBe(1);
      expect(delivered(receiver)).toBe(1);
      expect(app.stderrLines().some((line) => line.includes('LOOKOUT_FLUSH_TIMEOUT'))).toBe(false);
    });
  },
);

// The batch timer (100 ms here) exports the app's spans while it still runs; the app ends
// (FIXTURE_LINGER_MS later) with that export still waiting for the collector's answer.
describe.each(['http/protobuf', 'http/json'] as const)(
  "a process that ends on its own while the batch timer's export of its last spans is under way, over %s",
  (protocol) => {
    const env = {
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      FIXTURE_LINGER_MS: '1000',
    };

    it('exits once the shutdown timeout has passed when the collector never answers', async () => {
      // Prepare: the collector takes the request and says nothing; the request's own timeout is 30 s
      const collector = await silentCollector();

      // Act
      const run = await runGivingUp(WHILE_EXPORTING, env, collector.url);
      await collector.close();

      // Assess: the timer's export had reached the collector before the app ended, and its
      // unanswered request no longer keeps the process up past the 500 ms shutdown timeout
      expectGaveUpOnExport(run, collector);
      expect(run.aliveMs).toBeLessThan(6000);
    });

    it('still delivers when the collector answers within the shutdown timeout', async () => {
      // Prepare, Act: the collector takes two seconds to answer the timer's export, which is
      // still waiting when the app ends a second after it started
      const { app, exit } = await runAgainstReceiver({ delayMs: 2000, times: 1 }, WHILE_EXPORTING, env);

      // Assess: one request, sent before the app ended, delivered; nothing timed out
      expect(exit.code).toBe(0);
      const exports = receiver.requests().filter((request) => request.path === '/v1/traces');
      const closedAt = app.stdoutLinesRead().find(({ line }) => line === 'closing')?.readAt;
      expect(exports.map((request) => request.status)).toEqual([200]);
      expect(exports[0]!.arrivedAt).toBeLessThan(closedAt!);
      expect(
        receiver
          .spans()
          .map((span) => span.kind)
          .sort(),
      ).toEqual(['CLIENT', 'SERVER']);
      expect(app.stderrLines().some((line) => line.includes('LOOKOUT_FLUSH_TIMEOUT'))).toBe(false);
    });
  },
);

// The metric reader's interval and the log record processor's delay (3 s here) start an export
// while the app still runs; the app ends (FIXTURE_LINGER_MS, 3.5 s, after its request) with that
// export still waiting for the collector's answer. Its export timeout is 3 s for metrics (never
// more than the interval), 30 s for log records.
const EVERY_SIGNAL_WHILE_EXPORTING = 'test/fixtures/every-signal-then-end-while-exporting.mjs';
describe.each([
  { ...exporting('metrics', 'http/protobuf'), delay: { OTEL_METRIC_EXPORT_INTERVAL: '3000' } },
  { ...exporting('metrics', 'http/json'), delay: { OTEL_METRIC_EXPORT_INTERVAL: '3000' } },
  { ...exporting('logs', 'http/protobuf'), delay: { OTEL_BLRP_SCHEDULE_DELAY: '3000' } },
  { ...exporting('logs', 'http/json'), delay: { OTEL_BLRP_SCHEDULE_DELAY: '3000' } },
])(
  'a process that ends on its own while the periodic export of its $signal over $protocol is under way',
  ({ protocol, env, path, delivered, delay }) => {
    const variables = { ...env, ...delay, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, FIXTURE_LINGER_MS: '3500' };

    it('exits once the shutdown timeout has passed when the collector never answers', async () => {
      // Prepare: the collector takes the request and says nothing; the request's own timeout is 30 s
      const collector = await silentCollector();

      // Act
      const run = await runGivingUp(EVERY_SIGNAL_WHILE_EXPORTING, variables, collector.url);
      const exitedAt = performance.now();
      await collector.close();

      // Assess: the periodic export had reached the collector before the app ended, and neither
      // its unanswered request nor its export timeout keeps the process up much past the 500 ms
      // shutdown timeout (they did for 30 s, and for the 3 s export timeout)
      const closedAt = expectGaveUpOnExport(run, collector);
      expect(exitedAt - closedAt).toBeLessThan(2000);
    });

    it('still delivers when the collector answers within the shutdown timeout', async () => {
      // Prepare, Act: the collector takes two seconds to answer the periodic export, which is
      // still waiting when the app ends
      const { app, exit } = await runAgainstReceiver(
        { delayMs: 2000, times: 1 },
        EVERY_SIGNAL_WHILE_EXPORTING,
        variables,
      );

      // Assess: the export sent before the app ended was delivered; nothing timed out
      expect(exit.code).toBe(0);
      const exports = receiver.requests().filter((request) => request.path === path);
      const closedAt = app.stdoutLinesRead().find(({ line }) => line === 'closing')?.readAt;
      expect(exports[0]!.status).toBe(200);
      expect(exports[0]!.arrivedAt).toBeLessThan(closedAt!);
      expect(delivered(receiver)).toBeGreaterThan(0);
      expect(app.stderrLines().some((line) => line.includes('LOOKOUT_FLUSH_TIMEOUT'))).toBe(false);
    });
  },
);

describe('a process that ends on its own while Lookout reads an endpoint of its own', () => {
  it('does not wait for an X-Ray sampling proxy that never answers', async () => {
    // Prepare: the sampling proxy takes the rules request and says nothing; Lookout gives such
    // a request up after 2 s
    const proxy = await silentCollector();

    // Act: the app serves its request and ends while the first rules request is unanswered
    const { app, exit } = await runAgainstReceiver({ status: 200, times: 1 }, ONE_REQUEST, {
      OTEL_TRACES_SAMPLER: 'xray',
      OTEL_TRACES_SAMPLER_ARG: `endpoint=${proxy.url}`,
    });
    const exitedAt = performance.now();
    await proxy.close();

    // Assess: the request reached the proxy, and the process ended without waiting out its 2 s
    expect(exit.code).toBe(0);
    expect(app.stdoutLines()).toContain('answered');
    expect(proxy.firstConnectedAt()).toBeDefined();
    expect(exitedAt - proxy.firstConnectedAt()!).toBeLessThan(2000);
  });
});
