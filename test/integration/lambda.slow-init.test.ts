// A wrapped handler whose module goes on with synchronous init work after wrap() ran, for
// longer than the internal extension's registration may take. Real processes: the runtime
// interface client loads the module and polls the Runtime API emulator, which, as Lambda,
// ends the init phase only when the runtime and every registered extension wait on /next.
import { describe, expect, it } from 'vitest';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';

const sandbox = useLambdaSandbox();

describe('a wrapped handler whose module blocks the event loop after wrap()', () => {
  it('ends the init phase, answers first and delivers after', async () => {
    // Prepare
    const fn = await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'slow-init-handlers.echo',
      freeze: true,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url,
        LOOKOUT_SERVICE_NAME: 'slow-init',
        FIXTURE_INIT_BLOCK_MS: '2500',
      },
    });
    const trace = newLambdaTraceHeader();

    // Act
    const initDone = await sandbox.api.initDone(10_000);
    const outcome = await sandbox.api.invoke({
      event: { order: 1 },
      timeoutMs: 5000,
      traceHeader: trace.header,
    });
    const freeze = await sandbox.api.frozen(outcome.requestId, 10_000);
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );

    // Assess: the init phase ended, and the invocation answered
    expect(initDone).toBeGreaterThan(fn.spawnedAt);
    expect(outcome).toMatchObject({ status: 'success', response: { received: { order: 1 } } });
    // first, its span delivered after the response and before the freeze: the registration
    // counted its time from when the event loop could send it, not from wrap()
    const exportRequest = sandbox.receiver.requests().find((request) => request.path === '/v1/traces');
    expect(exportRequest?.arrivedAt).toBeGreaterThan(outcome.completedAt);
    expect(exportRequest?.arrivedAt).toBeLessThan(freeze.at);
    expect(freeze.cause).toBe('ready');
    expect(span?.attributes['faas.invocation_id']).toBe(outcome.requestId);
  });
});
