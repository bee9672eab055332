// Handlers whose answer the runtime cannot serialise: a BigInt, a cycle. Real processes: the
// runtime interface client runs each handler against the Runtime API emulator, first as it is,
// then wrapped (or with Lookout's middy middleware), with Lookout's internal extension registered (the default on Lambda). The
// runtime reports such an answer as the invocation's error; the wrapped function must answer
// exactly that, keep its process, and say in its span, metrics and log that the invocation failed.
import { describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';

const sandbox = useLambdaSandbox();

const TIMEOUT_MS = 8000;

/** How the handler answers, and its name in test/fixtures/lambda/unserialisable-answers.mjs. */
const CASES: ReadonlyArray<readonly [string, string]> = [
  ['an async handler resolves with a BigInt', 'asyncBigInt'],
  ['an async handler resolves with a cycle', 'asyncCycle'],
  ['a plain handler returns a promise of a BigInt', 'plainPromiseBigInt'],
  ['a plain handler calls context.succeed with a BigInt', 'succeedBigInt'],
  ['a callback-style handler not waiting for the event loop calls back with a cycle', 'callbackNoWaitCycle'],
  ['a middy handler with Lookout’s middleware resolves with a BigInt', 'middyBigInt'],
];

async function answerOf(handler: string, env: Record<string, string>) {
  const fn = await sandbox.startFunction({
    taskRoot: fixture('lambda'),
    handler: `unserialisable-answers.${handler}`,
    freeze: true,
    env,
  });
  const trace = newLambdaTraceHeader();
  const outcome = await sandbox.api.invoke({ event: {}, timeoutMs: TIMEOUT_MS, traceHeader: trace.header });
  return { fn, trace, outcome };
}

describe.each(CASES)('when %s', (_what, handler) => {
  it('answers the runtime’s error, keeps the process, and records the invocation as failed', async () => {
    // Prepare
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'unserialisable' };
    const bare = await answerOf(`bare${handler[0]?.toUpperCase()}${handler.slice(1)}`, env);
    await bare.fn.kill();

    // Act
    const { fn, trace, outcome } = await answerOf(handler, env);
    // Only a process that lives on goes back to waiting for the next invocation: then it freezes.
    const freeze = await sandbox.api.frozen(outcome.requestId, TIMEOUT_MS + 2000);
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );
    const emfLine = await fn.waitForLine(/"Invocations"/);
    const errorLine = await fn.waitForLine(/Lambda invocation failed/);

    // Assess: the runtime's own answer
    expect(bare.outcome.status).toBe('error');
    expect(outcome.status).toBe('error');
    expect(outcome.error?.errorType).toBe(bare.outcome.error?.errorType);
    expect(outcome.error?.errorMessage).toBe(bare.outcome.error?.errorMessage);
    // the process lives on, and the environment froze once the delivery was done
    expect(fn.child.exitCode).toBeNull();
    expect(freeze.cause).toBe('ready');
    // the span, the metrics and the log say the invocation failed, with the runtime's reason
    expect(span?.status).toEqual({ code: 'ERROR', message: outcome.error?.errorMessage });
    const [document] = readEmf(emfLine.input ?? '').documents;
    expect(document?.root).toMatchObject({ Invocations: 1, Fault: 1 });
    expect(errorLine.input).toContain(String(outcome.error?.errorMessage));
    expect(errorLine.input).toContain(outcome.requestId);
  });
});

describe('when an HTTP handler answers with a body over the 6 MB a response may have', () => {
  it('records the invocation as failed, as Lambda answers it, with no status code', async () => {
    // Prepare
    const fn = await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'unserialisable-answers.asyncTooLarge',
      freeze: true,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'unserialisable' },
    });
    const trace = newLambdaTraceHeader();
    const event = {
      version: '2.0',
      routeKey: 'GET /report',
      rawPath: '/report',
      headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
      requestContext: {
        domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
        http: { method: 'GET', path: '/report', sourceIp: '203.0.113.9' },
        requestId: 'r-1',
        routeKey: 'GET /report',
      },
    };

    // Act
    const outcome = await sandbox.api.invoke({ event, timeoutMs: TIMEOUT_MS, traceHeader: trace.header });
    const freeze = await sandbox.api.frozen(outcome.requestId, TIMEOUT_MS + 2000);
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );
    const emfLine = await fn.waitForLine(/"Invocations"/);
    const errorLine = await fn.waitForLine(/Lambda invocation failed/);

    // Assess: Lambda refused the response
    expect(outcome.status).toBe('error');
    expect(outcome.error?.errorType).toBe('Function.ResponseSizeTooLarge');
    expect(freeze.cause).toBe('ready');
    // and the span, the metrics and the log say so, with no status code of the unsent result
    expect(span?.status.code).toBe('ERROR');
    expect(span?.status.message).toContain('Response payload size exceeded maximum allowed payload size');
    expect(span?.attributes['http.response.status_code']).toBeUndefined();
    expect(readEmf(emfLine.input ?? '').documents[0]?.root).toMatchObject({ Invocations: 1, Fault: 1 });
    expect(errorLine.input).toContain('Function.ResponseSizeTooLarge');
  });
});
