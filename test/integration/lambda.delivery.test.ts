// Answer first, deliver after: a wrapped invocation's response goes back at once and its spans and
// metrics are delivered after it, before the environment freezes, through Lookout's internal
// Lambda extension. Real processes: the runtime interface client runs the function against the
// Runtime API emulator, which serves the Extensions API and freezes the function (SIGSTOP) the
// moment the runtime and every extension wait on /next again, as Lambda does. Anything a sink
// receives while the function is frozen was therefore sent before the freeze.
import { setTimeout } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmf, sumEmf } from '../helpers/emf-reader.js';
import { type ExtractedLayer, extractLayer } from '../helpers/lambda-layer.js';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';

let layer: ExtractedLayer;
beforeAll(async () => {
  layer = await extractLayer('lookout-delivery-');
});
afterAll(() => {
  layer.remove();
});

const sandbox = useLambdaSandbox();

type Form = { taskRoot: () => string; handler: string; layer: boolean };
const FORMS: ReadonlyArray<[string, Form]> = [
  [
    'an ES module handler through wrap()',
    { taskRoot: () => fixture('lambda'), handler: 'handlers.echo', layer: false },
  ],
  [
    'a CommonJS handler through wrap()',
    { taskRoot: () => fixture('lambda'), handler: 'commonjs-handlers.echo', layer: false },
  ],
  [
    'an ES module handler through the layer',
    { taskRoot: () => layer.taskRoot('esm-app'), handler: 'index.handler', layer: true },
  ],
  [
    'a CommonJS handler through the layer',
    { taskRoot: () => layer.taskRoot('cjs-app'), handler: 'index.handler', layer: true },
  ],
];

function start(form: Form, env: Record<string, string> = {}) {
  return sandbox.startFunction({
    taskRoot: form.taskRoot(),
    handler: form.handler,
    ...(form.layer ? { optDir: layer.opt } : {}),
    freeze: true,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url,
      LOOKOUT_SERVICE_NAME: 'delivery',
      ...(form.layer ? { AWS_LAMBDA_EXEC_WRAPPER: layer.execWrapper } : {}),
      ...env,
    },
  });
}

describe.each(FORMS)('answer first, deliver after: %s', (_name, form) => {
  it('registers the extension before the runtime asks for its first invocation, answers, then delivers before the freeze', async () => {
    // Prepare
    const fn = await start(form);
    const trace = newLambdaTraceHeader();

    // Act
    const outcome = await sandbox.api.invoke({ event: { order: 1 }, traceHeader: trace.header });
    const freeze = await sandbox.api.frozen(outcome.requestId);
    // Frozen (stopped) from here on: whatever arrives now was sent before the freeze.
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );
    const emfLine = await fn.waitForLine(/"_aws"/);

    // Assess: the registration came in during init, as an internal extension
    const [registration] = sandbox.api.registrations();
    expect(registration).toMatchObject({ name: 'lookout', status: 200 });
    expect(registration?.at).toBeLessThan(fn.initDoneAt);
    expect(sandbox.api.extensions()).toMatchObject([
      { name: 'lookout', external: false, events: ['INVOKE'] },
    ]);
    // the response went back first, unchanged
    expect(outcome.status).toBe('success');
    const exportRequest = sandbox.receiver.requests().find((request) => request.path === '/v1/traces');
    expect(exportRequest?.arrivedAt).toBeGreaterThan(outcome.completedAt);
    // and the span and the metrics were out before the freeze
    expect(freeze.cause).toBe('ready');
    expect(exportRequest?.arrivedAt).toBeLessThan(freeze.at);
    expect(span?.attributes['faas.invocation_id']).toBe(outcome.requestId);
    expect(readEmf(emfLine.input ?? '').documents.length).toBe(1);
  });

  it('registers no extension when Lookout is turned off (LOOKOUT_ENABLED=false)', async () => {
    // Prepare
    await start(form, { LOOKOUT_ENABLED: 'false' });

    // Act
    const outcome = await sandbox.api.invoke({ event: { order: 2 } });
    const freeze = await sandbox.api.frozen(outcome.requestId);

    // Assess: nothing of Lookout's holds the init or the freeze
    expect(outcome.status).toBe('success');
    expect(freeze.cause).toBe('ready');
    expect(sandbox.api.registrations()).toEqual([]);
  });
});

describe('answer first, deliver after, bounded by the deadline', () => {
  const form = FORMS[0]![1];

  it('lets the next invocation start within the deadline margin when the collector hangs', async () => {
    // Prepare: a collector that takes the request and never answers in time
    sandbox.receiver.respondWith({ delayMs: 60_000 });
    await start(form, { LOOKOUT_LAMBDA_DEADLINE_MARGIN_MS: '1000' });

    // Act
    const first = await sandbox.api.invoke({
      event: { order: 1 },
      timeoutMs: 3000,
      traceHeader: newLambdaTraceHeader().header,
    });
    const freeze = await sandbox.api.frozen(first.requestId);
    const second = await sandbox.api.invoke({
      event: { order: 2 },
      timeoutMs: 3000,
      traceHeader: newLambdaTraceHeader().header,
    });

    // Assess: the first answered at once; its delivery gave up before the deadline, not at it
    expect(first.status).toBe('success');
    expect(freeze.cause).toBe('ready');
    expect(second.status).toBe('success');
    expect(second.deliveredAt).toBeGreaterThanOrEqual(freeze.at);
  });

  it('ends the span and times the invocation when the handler returns, not when the delivery runs', async () => {
    // Prepare: a handler that keeps the process busy for 300 ms between its response and the
    // delivery it hands over
    const busyMs = 300;
    const fn = await sandbox.startFunction({
      taskRoot: form.taskRoot(),
      handler: 'handlers.busyAfterResponse',
      freeze: true,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'delivery' },
    });
    const trace = newLambdaTraceHeader();

    // Act
    const outcome = await sandbox.api.invoke({ event: { busyMs }, traceHeader: trace.header });
    const freeze = await sandbox.api.frozen(outcome.requestId);
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );
    await fn.waitForLine(/"Latency"/);

    // Assess: the busy time came between the response and the freeze, so the delivery ran after it
    expect(outcome.status).toBe('success');
    expect(freeze.at - outcome.completedAt).toBeGreaterThanOrEqual(busyMs);
    // and neither the span nor the invocation's Latency counts it: both end with the handler
    expect(span?.durationMs).toBeLessThan(busyMs);
    const emf = readEmf(fn.stdoutLines().join('\n'));
    const latency = [...sumEmf(emf.documents).values()].find((sum) => sum.name === 'Latency');
    expect(latency?.values.length).toBe(1);
    expect(latency?.values[0]).toBeLessThan(busyMs);
  });

  it('flushes what is left at shutdown: SIGTERM reaches the runtime because an extension is registered', async () => {
    // Prepare: the handler leaves work running whose span ends after the delivery
    const fn = await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'handlers.lingering',
      freeze: true,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'delivery' },
    });
    const trace = newLambdaTraceHeader();
    const outcome = await sandbox.api.invoke({ event: { order: 1 }, traceHeader: trace.header });
    await sandbox.api.frozen(outcome.requestId);
    await sandbox.receiver.waitForSpans((span) => span.kind === 'SERVER' && span.traceId === trace.traceId);
    const beforeShutdown = sandbox.receiver.spans().map((span) => span.name);

    // Act
    const shutdown = await fn.shutdown(4000);
    const [lingering] = await sandbox.receiver.waitForSpans((span) => span.name === 'lingering-work');

    // Assess: frozen with the lingering span still buffered; sent by the shutdown flush
    expect(outcome.status).toBe('success');
    expect(beforeShutdown).not.toContain('lingering-work');
    expect(lingering?.traceId).toBe(trace.traceId);
    expect(shutdown.killed).toBe(false);
    expect(shutdown.runtime.signal).toBe('SIGTERM');
  });

  it('flushes at shutdown after a registration Lambda accepted once Lookout had given up on it', async () => {
    // Prepare: Lambda answers the registration after Lookout's 2 s; it has accepted it all the
    // same, so it ends the environment with SIGTERM. Invocations wait for their telemetry then,
    // and the handler's lingering work ends 100 ms after the response: not frozen here, so that
    // it ends, and is buffered, before the shutdown.
    sandbox.api.delayRegistrationAnswers(2500);
    const fn = await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'handlers.lingeringLonger',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'delivery' },
    });
    const trace = newLambdaTraceHeader();
    const outcome = await sandbox.api.invoke({ event: { order: 1 }, traceHeader: trace.header });
    await sandbox.receiver.waitForSpans((span) => span.kind === 'SERVER' && span.traceId === trace.traceId);
    await setTimeout(400);
    const beforeShutdown = sandbox.receiver.spans().map((span) => span.name);

    // Act
    const shutdown = await fn.shutdown(4000);
    const [lingering] = await sandbox.receiver.waitForSpans((span) => span.name === 'lingering-work', {
      timeoutMs: 2000,
    });

    // Assess: the work's span, still buffered, sent by the flush on SIGTERM
    expect(sandbox.api.extensions().map((extension) => extension.name)).toEqual(['lookout']);
    expect(outcome.status).toBe('success');
    expect(beforeShutdown).not.toContain('lingering-work');
    expect(lingering?.traceId).toBe(trace.traceId);
    expect(shutdown.killed).toBe(false);
  }, 20_000);

  it('delivers log records and OpenTelemetry metrics that go over OTLP before the freeze, with the spans', async () => {
    // Prepare
    await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'handlers.measured',
      freeze: true,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url,
        LOOKOUT_SERVICE_NAME: 'delivery',
        LOOKOUT_LOGS_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'otlp',
      },
    });
    const trace = newLambdaTraceHeader();

    // Act
    const outcome = await sandbox.api.invoke({ event: { order: 1 }, traceHeader: trace.header });
    const freeze = await sandbox.api.frozen(outcome.requestId);
    // Frozen from here on: whatever arrives now was sent before the freeze.
    const [log] = await sandbox.receiver.waitForLogs((record) => record.body === 'measured');
    const [point] = await sandbox.receiver.waitForMetrics((metric) => metric.name === 'orders.measured');
    await sandbox.receiver.waitForSpans((span) => span.kind === 'SERVER' && span.traceId === trace.traceId);

    // Assess
    expect(outcome.status).toBe('success');
    expect(freeze.cause).toBe('ready');
    expect(log?.traceId).toBe(trace.traceId);
    expect(point).toBeDefined();
    const arrivals = ['/v1/logs', '/v1/metrics', '/v1/traces'].map((path) =>
      sandbox.receiver.requests().find((request) => request.path === path),
    );
    for (const request of arrivals) expect(request?.arrivedAt).toBeLessThan(freeze.at);
  });

  it('waits for the delivery before answering when the setting is off', async () => {
    // Prepare
    await start(form, { LOOKOUT_LAMBDA_DELIVER_AFTER_RESPONSE: 'false' });

    // Act
    const outcome = await sandbox.api.invoke({
      event: { order: 1 },
      traceHeader: newLambdaTraceHeader().header,
    });

    // Assess
    expect(sandbox.api.registrations()).toEqual([]);
    const exportRequest = sandbox.receiver.requests().find((request) => request.path === '/v1/traces');
    expect(exportRequest?.arrivedAt).toBeLessThan(outcome.completedAt);
  });
});

describe('log lines: written at once by default, after the response with lambda.logLinesAfterResponse', () => {
  const AFTER_RESPONSE = { LOOKOUT_LAMBDA_LOG_LINES_AFTER_RESPONSE: 'true' };
  const LOGGING_FORMS: ReadonlyArray<[string, Form, RegExp]> = [
    ['an ES module handler through wrap()', FORMS[0]![1], /"message":"handling"/],
    ['a CommonJS handler through the layer', FORMS[3]![1], /"message":"from the function"/],
  ];

  function startIn(handler: string, env: Record<string, string> = {}) {
    return sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: `handlers.${handler}`,
      freeze: true,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'delivery', ...env },
    });
  }

  /** When this process read the first stdout line that matches. */
  function readAt(fn: { stdoutLinesRead(): Array<{ line: string; readAt: number }> }, line: RegExp) {
    return fn.stdoutLinesRead().find((entry) => line.test(entry.line))?.readAt;
  }

  /** Invokes the function and waits until the environment froze after it. */
  async function invokeUntilFrozen(event: unknown) {
    const outcome = await sandbox.api.invoke({ event, traceHeader: newLambdaTraceHeader().header });
    await sandbox.api.frozen(outcome.requestId);
    return outcome;
  }

  it('writes a line at once by default: a handler that then blocks the event loop has it out already', async () => {
    // Prepare
    const busyMs = 400;
    const fn = await startIn('logsThenBlocks');

    // Act
    const outcome = await invokeUntilFrozen({ busyMs });

    // Assess: read while the handler was still blocking, well before the response
    expect(outcome.status).toBe('success');
    expect(readAt(fn, /"message":"logged before blocking"/)).toBeLessThan(outcome.completedAt - busyMs / 2);
  });

  it('with the setting on, writes the line of a blocking handler only when its turn ends: after the response', async () => {
    // Prepare
    const busyMs = 400;
    const fn = await startIn('logsThenBlocks', AFTER_RESPONSE);

    // Act
    const outcome = await invokeUntilFrozen({ busyMs });
    await fn.waitForLine(/"message":"logged before blocking"/);

    // Assess: the trade-off the setting documents
    expect(outcome.status).toBe('success');
    expect(readAt(fn, /"message":"logged before blocking"/)).toBeGreaterThan(outcome.completedAt);
  });

  it.each(LOGGING_FORMS)(
    'with the setting on, writes a line logged before the handler returns after the response and before the freeze: %s',
    async (_name, form, line) => {
      // Prepare
      const fn = await start(form, AFTER_RESPONSE);

      // Act
      const outcome = await invokeUntilFrozen({ order: 1 });
      // Frozen from here on: a line read now was written before the freeze.
      await fn.waitForLine(line);

      // Assess: written once the runtime had posted the response (it reads the answer to its POST
      // only after the stand-in took the response in)
      expect(outcome.status).toBe('success');
      expect(readAt(fn, line)).toBeGreaterThan(outcome.completedAt);
    },
  );

  it('with the setting on, writes a line at the end of the turn it was logged in: a handler that waits has it out while it waits', async () => {
    // Prepare
    const waitMs = 400;
    const fn = await startIn('logsAroundWait', AFTER_RESPONSE);

    // Act
    const outcome = await invokeUntilFrozen({ waitMs });
    await fn.waitForLine(/"message":"after the wait"/);

    // Assess: the first line came out while the handler waited, the second after the response
    expect(outcome.status).toBe('success');
    expect(readAt(fn, /"message":"before the wait"/)).toBeLessThan(outcome.completedAt - waitMs / 2);
    expect(readAt(fn, /"message":"after the wait"/)).toBeGreaterThan(outcome.completedAt);
  });

  it('with the setting on, writes a line logged in the turn the process exits in', async () => {
    // Prepare
    const fn = await startIn('logsThenExits', AFTER_RESPONSE);

    // Act
    void sandbox.api.invoke({ event: {}, timeoutMs: 3000, traceHeader: newLambdaTraceHeader().header });
    const exit = await fn.exited;

    // Assess
    expect(exit.code).toBe(3);
    expect(fn.stdoutLines().some((entry) => entry.includes('"message":"logged just before the exit"'))).toBe(
      true,
    );
  });
});
