// Async handlers that answer through the context's legacy methods before their promise settles:
// `context.fail(error)`, `context.done(error)`, `context.succeed(result)`. Real processes: the
// runtime interface client runs each handler against the Runtime API emulator, first as it is,
// then wrapped, with Lookout's internal extension registered (the default on Lambda). The runtime
// answers with the first of those calls and ignores how the promise settles after it; the
// wrapped function must answer the same, and its span and metrics must say what the caller got.
import { describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';

const sandbox = useLambdaSandbox();

const TIMEOUT_MS = 8000;

/** How the handler answers, its name in test/fixtures/lambda/context-answers.mjs, and whether that answer is an error. */
const CASES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['calls context.fail with an error, then returns a result', 'failThenReturn', true],
  ['calls context.fail with nothing, then returns', 'failWithNothing', true],
  ['calls context.done with an error, then returns a result', 'doneWithError', true],
  ['calls context.succeed, then throws', 'succeedThenThrow', false],
  ['calls context.done with a result, then throws', 'doneWithResultThenThrow', false],
  ['under middy calls context.done with an error, then returns a result', 'middyDoneWithError', true],
  ['under middy calls context.done with a result, then throws', 'middyDoneWithResultThenThrow', false],
];

async function answerOf(handler: string) {
  const fn = await sandbox.startFunction({
    taskRoot: fixture('lambda'),
    handler: `context-answers.${handler}`,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'context-answers' },
  });
  const trace = newLambdaTraceHeader();
  const outcome = await sandbox.api.invoke({ event: {}, timeoutMs: TIMEOUT_MS, traceHeader: trace.header });
  return { fn, trace, outcome };
}

describe.each(CASES)('when an async handler %s', (_what, handler, failed) => {
  it('answers as the runtime does and records the answer the caller got', async () => {
    // Prepare
    const bare = await answerOf(`bare${handler[0]?.toUpperCase()}${handler.slice(1)}`);
    await bare.fn.kill();

    // Act
    const { fn, trace, outcome } = await answerOf(handler);
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );
    const emfLine = await fn.waitForLine(/"Invocations"/);

    // Assess: the runtime's own answer
    expect(bare.outcome.status).toBe(failed ? 'error' : 'success');
    expect(outcome.status).toBe(bare.outcome.status);
    expect(outcome.error?.errorType).toBe(bare.outcome.error?.errorType);
    expect(outcome.error?.errorMessage).toBe(bare.outcome.error?.errorMessage);
    expect(outcome.response).toEqual(bare.outcome.response);
    // the span and the metrics say what the caller got
    const [document] = readEmf(emfLine.input ?? '').documents;
    if (failed) {
      expect(span?.status).toEqual({ code: 'ERROR', message: outcome.error?.errorMessage });
      expect(document?.root).toMatchObject({ Invocations: 1, Fault: 1 });
    } else {
      expect(span?.status.code).not.toBe('ERROR');
      expect(document?.root).toMatchObject({ Invocations: 1, Fault: 0 });
    }
  });
});

describe('when an async handler answers through context.fail and its promise never settles', () => {
  it('ends the invocation at the answer, so its telemetry goes out', async () => {
    // Prepare: the runtime answers at once and waits for the next invocation
    const bare = await answerOf('bareFailThenWaitForever');
    await bare.fn.kill();

    // Act
    const { fn, trace, outcome } = await answerOf('failThenWaitForever');
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );
    const emfLine = await fn.waitForLine(/"Invocations"/);

    // Assess
    expect(outcome.error?.errorMessage).toBe(bare.outcome.error?.errorMessage);
    // Ended at the answer: else never, with no span, and Lookout's extension holding the
    // environment until the deadline margin.
    expect(span?.status).toEqual({ code: 'ERROR', message: 'order 13 refused' });
    expect(readEmf(emfLine.input ?? '').documents[0]?.root).toMatchObject({ Invocations: 1, Fault: 1 });
  });
});
