// middy's early response: a middleware that returns a value ends the request there, and middy
// skips what is left (the handler, and the `after` middlewares that have not run), Lookout's
// `after` among them. The real runtime interface client runs the middy handlers against the
// Runtime API emulator; Lookout's internal extension is registered as on Lambda.
import { describe, expect, it } from 'vitest';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';

const sandbox = useLambdaSandbox();

describe('the middy middleware when another middleware answers early', () => {
  it.each([
    ['a before middleware (a warm-up event)', 'warmedUp', { source: 'warmup' }, 'warmed'],
    ['an after middleware', 'rewritten', { order: 7 }, { rewritten: true }],
  ])(
    'ends the invocation answered by %s: its span is delivered and the environment freezes',
    async (_what, handler, event, answer) => {
      // Prepare
      await sandbox.startFunction({
        taskRoot: fixture('lambda'),
        handler: `middy-handlers.${handler}`,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'orders-fn' },
      });

      // Act: a long timeout, so that an invocation left open holds the environment far past the wait
      const outcome = await sandbox.api.invoke({
        event,
        timeoutMs: 120_000,
        traceHeader: newLambdaTraceHeader().header,
      });
      const freeze = await sandbox.api.frozen(outcome.requestId);
      const [server] = await sandbox.receiver.waitForSpans((span) => span.kind === 'SERVER');

      // Assess
      expect([outcome.status, outcome.response]).toEqual(['success', answer]);
      expect(freeze.cause).toBe('ready');
      expect(server?.attributes['faas.invocation_id']).toBe(outcome.requestId);
      expect(server?.status.code).not.toBe('ERROR');
    },
  );

  it('ends the invocation failed by an onError middleware that throws: its span says so and the environment freezes', async () => {
    // Prepare: middy stops its onError chain at the throw, before Lookout's onError
    await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'middy-handlers.mappedError',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'orders-fn' },
    });

    // Act: a long timeout, so that an invocation left open holds the environment far past the wait
    const outcome = await sandbox.api.invoke({
      event: {},
      timeoutMs: 120_000,
      traceHeader: newLambdaTraceHeader().header,
    });
    const freeze = await sandbox.api.frozen(outcome.requestId);
    const [server] = await sandbox.receiver.waitForSpans((span) => span.kind === 'SERVER');

    // Assess
    expect([outcome.status, outcome.error?.errorMessage]).toEqual(['error', 'mapped: stock service down']);
    expect(freeze.cause).toBe('ready');
    expect(server?.attributes['faas.invocation_id']).toBe(outcome.requestId);
    expect(server?.status).toEqual({ code: 'ERROR', message: 'mapped: stock service down' });
  });

  it('ends once, with its telemetry out before the freeze, an invocation whose handler answers through context.succeed', async () => {
    // Prepare: the processes are stopped while the environment is frozen, so what the receiver
    // has once the environment froze was sent before
    await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'middy-handlers.succeedsItself',
      freeze: true,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'orders-fn' },
    });

    // Act
    const outcome = await sandbox.api.invoke({
      event: { order: 3 },
      timeoutMs: 120_000,
      traceHeader: newLambdaTraceHeader().header,
    });
    const freeze = await sandbox.api.frozen(outcome.requestId);
    const servers = sandbox.receiver.spans().filter((span) => span.kind === 'SERVER');

    // Assess
    expect([outcome.status, outcome.response]).toEqual(['success', { via: 'succeed', order: 3 }]);
    expect(freeze.cause).toBe('ready');
    expect(servers.map((span) => span.attributes['faas.invocation_id'])).toEqual([outcome.requestId]);
  });
});
