// Handlers that return no promise: the runtime takes their answer from the callback or the
// context's legacy methods (context.done, succeed, fail: the cfn-response module of
// CloudFormation custom resources calls context.done) or, if none is called, answers null once
// the event loop is empty. Real processes: the runtime interface
// client runs the wrapped handlers against the Runtime API emulator, with Lookout's internal
// extension registered, so the emulator records when the environment froze.
import { describe, expect, it } from 'vitest';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';

const sandbox = useLambdaSandbox();

/** Long enough that an environment held until the deadline margin is told from one let go at once. */
const TIMEOUT_MS = 8000;

/** What the handler does, its name, how the invocation ends, its response, its span's status. */
const CASES: ReadonlyArray<readonly [string, string, 'success' | 'error', unknown, string]> = [
  ['nothing at all, never calling its callback', 'neverAnswers', 'success', null, 'UNSET'],
  ['context.done on a later turn', 'doneLater', 'success', { via: 'context.done', order: 1 }, 'UNSET'],
  ['context.succeed at once', 'succeedAtOnce', 'success', { via: 'context.succeed', order: 1 }, 'UNSET'],
  ['context.fail on a later turn', 'failLater', 'error', 'failed through context.fail', 'ERROR'],
  ['nothing but the value a plain function returns', 'returnsValue', 'success', null, 'UNSET'],
  [
    'context.succeed on a later turn, from a plain function of two parameters',
    'succeedLaterTwoParameters',
    'success',
    { via: 'context.succeed', order: 1 },
    'UNSET',
  ],
  [
    'context.fail on a later turn, from a plain function of two parameters',
    'failLaterTwoParameters',
    'error',
    'failed through context.fail',
    'ERROR',
  ],
];

describe.each(CASES)(
  'a wrapped handler that answers through %s',
  (_what, handler, status, response, spanStatus) => {
    it('answers as the runtime would, delivers its span, and lets the environment freeze', async () => {
      // Prepare
      await sandbox.startFunction({
        taskRoot: fixture('lambda'),
        handler: `no-promise-handlers.${handler}`,
        freeze: true,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'no-promise' },
      });
      const trace = newLambdaTraceHeader();

      // Act
      const outcome = await sandbox.api.invoke({
        event: { order: 1 },
        timeoutMs: TIMEOUT_MS,
        traceHeader: trace.header,
      });
      const freeze = await sandbox.api.frozen(outcome.requestId, TIMEOUT_MS + 2000);
      const [span] = await sandbox.receiver.waitForSpans(
        (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
      );

      // Assess: the answer is the one the runtime gives without Lookout
      expect(outcome.status).toBe(status);
      if (status === 'success') expect(outcome.response).toEqual(response);
      else expect(outcome.error?.errorMessage).toBe(response);
      // the environment froze once the delivery was done, long before the deadline margin
      expect(freeze.cause).toBe('ready');
      expect(freeze.at - outcome.completedAt).toBeLessThan(TIMEOUT_MS / 4);
      expect(span?.attributes['faas.invocation_id']).toBe(outcome.requestId);
      expect(span?.status.code).toBe(spanStatus);
    });
  },
);
