// The runtime interface client ends the process, synchronously, when an invocation leaves an
// unhandled rejection (exit 128) or an uncaught exception (exit 129): it posts the error and calls
// process.exit() in its own listener, so no event loop turn follows. Real processes: the runtime
// client runs the wrapped handler against the Runtime API emulator, with Lookout's internal
// extension registered and log lines held for the end of their turn. What can be written
// synchronously must still come out at the exit: the invocation's EMF document (with the fault),
// the log lines it held, and the error line with the reason.
import { describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';
import { assembleTraces, startXRayDaemon } from '../helpers/xray-daemon.js';

const sandbox = useLambdaSandbox();

/** The handler, the exit code the runtime ends with, and the reason the invocation failed with. */
const CASES: ReadonlyArray<readonly [string, number, string]> = [
  ['unhandledRejection', 128, 'nobody caught this'],
  ['uncaughtException', 129, 'thrown in a timer'],
];

describe.each(CASES)('when the runtime exits on an invocation’s %s', (handler, exitCode, reason) => {
  it('writes the invocation’s metrics, its held log lines and its error before the process ends', async () => {
    // Prepare
    const fn = await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: `exit-handlers.${handler}`,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url,
        LOOKOUT_SERVICE_NAME: 'exits',
        LOOKOUT_LAMBDA_LOG_LINES_AFTER_RESPONSE: 'true',
      },
    });

    // Act
    const outcome = await sandbox.api.invoke({ event: {}, timeoutMs: 8000 });
    const exit = await fn.exited;

    // Assess: the runtime answered with the error and ended the process
    expect(outcome.status).toBe('error');
    expect(exit.code).toBe(exitCode);
    const lines = fn.stdoutLines();
    // the invocation's metrics, with the app's own, counted as a fault
    const documents = lines.flatMap((line) => (line.includes('"_aws"') ? readEmf(line).documents : []));
    expect(documents.find((document) => document.root.Invocations !== undefined)?.root).toMatchObject({
      Invocations: 1,
      Fault: 1,
    });
    expect(documents.some((document) => document.root.OrdersStarted === 1)).toBe(true);
    // the line the handler logged, and the error with its reason, both with the request id
    const logged = lines.filter((line) => line.includes(outcome.requestId) && line.startsWith('{'));
    expect(logged.some((line) => line.includes('working on the order'))).toBe(true);
    const failed = logged.find((line) => line.includes('Lambda invocation failed'));
    expect(failed).toContain(reason);
  });
});

describe('when the runtime exits on an unhandled rejection, with spans going to the X-Ray daemon', () => {
  it('sends the invocation’s segment, failed with the reason, before the process ends', async () => {
    // Prepare: no collector, so Lambda's default is the direct X-Ray exporter; a first
    // invocation opens its socket
    const daemon = await startXRayDaemon();
    try {
      const fn = await sandbox.startFunction({
        taskRoot: fixture('lambda'),
        handler: 'exit-handlers.rejectsWhenAsked',
        env: { AWS_XRAY_DAEMON_ADDRESS: daemon.address, LOOKOUT_SERVICE_NAME: 'exits' },
      });
      const first = newLambdaTraceHeader();
      await sandbox.api.invoke({ event: {}, timeoutMs: 8000, traceHeader: first.header });
      await daemon.waitForDocuments((datagrams) =>
        datagrams.some((entry) => entry.document.trace_id === first.root),
      );
      const trace = newLambdaTraceHeader();

      // Act
      const outcome = await sandbox.api.invoke({
        event: { reject: true },
        timeoutMs: 8000,
        traceHeader: trace.header,
      });
      const exit = await fn.exited;
      await daemon.waitForDocuments((datagrams) =>
        datagrams.some((entry) => entry.document.trace_id === trace.root),
      );

      // Assess: the runtime ended the process, and the invocation's segment arrived, failed
      expect(outcome.status).toBe('error');
      expect(exit.code).toBe(128);
      const invocation = assembleTraces(daemon.documents()).get(trace.root)?.roots[0]?.document;
      expect(invocation?.metadata?.default?.['faas.invocation_id']).toBe(outcome.requestId);
      expect(invocation?.fault).toBe(true);
      expect(JSON.stringify(invocation?.cause)).toContain('nobody caught this');
    } finally {
      await daemon.close();
    }
  });
});

describe('when Lambda ends the environment at an invocation’s timeout', () => {
  it('ends the invocation as failed and delivers its span, metrics and error before the process ends', async () => {
    // Prepare
    const fn = await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'exit-handlers.runsPastTheDeadline',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'exits' },
    });
    const trace = newLambdaTraceHeader();
    const outcome = await sandbox.api.invoke({ event: {}, timeoutMs: 1500, traceHeader: trace.header });

    // Act: Lambda resets the environment after a timeout: SIGTERM to the runtime
    const shutdown = await fn.shutdown(2000);
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );

    // Assess: the invocation timed out, and its telemetry came out before the process ended
    expect(outcome.status).toBe('timeout');
    expect(shutdown.killed).toBe(false);
    expect(span?.attributes['faas.invocation_id']).toBe(outcome.requestId);
    expect(span?.status.code).toBe('ERROR');
    expect(span?.status.message).toContain('it timed out');
    const lines = fn.stdoutLines();
    const documents = lines.flatMap((line) => (line.includes('"_aws"') ? readEmf(line).documents : []));
    expect(documents.find((document) => document.root.Invocations !== undefined)?.root).toMatchObject({
      Invocations: 1,
      Fault: 1,
    });
    const failed = lines.find((line) => line.includes('Lambda invocation failed'));
    expect(failed).toContain(outcome.requestId);
  });
});
