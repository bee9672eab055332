// Handlers that throw what is not an Error: null, undefined, a string. Real processes: the
// runtime interface client runs each handler against the Runtime API emulator, first as it is,
// then wrapped, with Lookout's internal extension registered. The wrapped function must answer
// exactly what the runtime answers for the bare handler, and its span must fail exactly when
// that answer is an error.
import { describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';

const sandbox = useLambdaSandbox();

const TIMEOUT_MS = 8000;

/** How the handler throws, and its name in test/fixtures/lambda/non-error-throws.mjs. */
const CASES: ReadonlyArray<readonly [string, string]> = [
  ['a callback-style handler throws null', 'callbackThrowsNull'],
  ['a callback-style handler throws undefined', 'callbackThrowsUndefined'],
  ['a plain handler throws null', 'plainThrowsNull'],
  ['a callback-style handler throws a string', 'callbackThrowsString'],
  ['an async handler throws null', 'asyncThrowsNull'],
];

async function answerOf(handler: string, env: Record<string, string>) {
  const fn = await sandbox.startFunction({
    taskRoot: fixture('lambda'),
    handler: `non-error-throws.${handler}`,
    env,
  });
  const trace = newLambdaTraceHeader();
  const outcome = await sandbox.api.invoke({ event: {}, timeoutMs: TIMEOUT_MS, traceHeader: trace.header });
  return { fn, trace, outcome };
}

describe.each(CASES)('when %s', (_what, handler) => {
  it('answers as the runtime does without Lookout, and fails the span only when that answer is an error', async () => {
    // Prepare
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'non-error' };
    const bare = await answerOf(`bare${handler[0]?.toUpperCase()}${handler.slice(1)}`, env);
    await bare.fn.kill();

    // Act
    const { fn, trace, outcome } = await answerOf(handler, env);
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );
    const emfLine = await fn.waitForLine(/"Invocations"/);

    // Assess: the runtime's own answer
    expect(outcome.status).toBe(bare.outcome.status);
    expect(outcome.rawBody).toBe(bare.outcome.rawBody);
    // and the span and metrics agree with it
    const failed = bare.outcome.status === 'error';
    expect(span?.status.code).toBe(failed ? 'ERROR' : 'UNSET');
    expect(readEmf(emfLine.input ?? '').documents[0]?.root).toMatchObject({
      Invocations: 1,
      Fault: failed ? 1 : 0,
    });
  });
});
