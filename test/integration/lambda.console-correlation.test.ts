// console lines of a Lambda function, written by the real runtime interface client's own
// console (its line format kept), carry the invocation span's ids when asked for.
import { describe, expect, it } from 'vitest';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';

const sandbox = useLambdaSandbox();

async function invokeOnce(correlation: string | undefined) {
  const { api, receiver } = sandbox;
  const fn = await sandbox.startFunction({
    taskRoot: fixture('lambda'),
    handler: 'console-handlers.logs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, LOOKOUT_LOG_CORRELATION: correlation },
  });
  const outcome = await api.invoke({ event: { order: 42 }, traceHeader: newLambdaTraceHeader().header });
  const [server] = await receiver.waitForSpans((span) => span.kind === 'SERVER');
  await fn.waitForLine(/order 42 failed/);
  return { outcome, server, lines: [...fn.stdoutLines(), ...fn.stderrLines()] };
}

describe('console lines on Lambda', () => {
  it('end with the invocation span ids when LOOKOUT_LOG_CORRELATION includes console', async () => {
    // Act
    const { outcome, server, lines } = await invokeOnce('console');

    // Assess
    expect(outcome.response).toEqual({ ok: true });
    const ids = `trace_id=${server?.traceId} span_id=${server?.spanId} xray_trace_id=1-${server?.traceId.slice(0, 8)}-${server?.traceId.slice(8)}`;
    const inside = lines.find((line) => line.includes('inside the invocation'));
    expect(inside).toMatch(/\tINFO\tinside the invocation trace_id=/);
    expect(inside?.endsWith(ids)).toBe(true);
    const failed = lines.find((line) => line.includes('order 42 failed'));
    expect(failed).toMatch(/\tERROR\torder 42 failed trace_id=/);
    expect(failed?.endsWith(ids)).toBe(true);
    expect(lines.find((line) => line.includes('loading the handler module'))).not.toContain('trace_id=');
  });

  it('are left as the runtime writes them by default', async () => {
    // Act
    const { lines } = await invokeOnce(undefined);

    // Assess
    const inside = lines.find((line) => line.includes('inside the invocation'));
    expect(inside).toMatch(/\tINFO\tinside the invocation$/);
  });
});
