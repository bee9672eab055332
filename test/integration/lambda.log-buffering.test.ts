// Powertools' log buffering, configured through init() (logging.logBufferOptions), in a real
// Lambda runtime: DEBUG lines are held per invocation and written only when it logs an error.
import { afterEach, describe, expect, it } from 'vitest';
import { jsonLogLines, type LambdaFunction, startLambdaFunction } from '../helpers/lambda-function.js';
import { startLambdaRuntimeApi } from '../helpers/lambda-runtime-api.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';

let fn: LambdaFunction | undefined;
afterEach(async () => {
  await fn?.kill();
  fn = undefined;
});

describe('log buffering from init()', () => {
  it('holds DEBUG lines of a successful invocation and writes them before the error of a failed one', async () => {
    // Prepare
    const api = await startLambdaRuntimeApi();
    fn = await startLambdaFunction({
      api,
      taskRoot: fixture('lambda'),
      handler: 'buffer-handlers.work',
      env: { OTEL_TRACES_EXPORTER: 'none' },
    });

    // Act
    const ok = await api.invoke({ event: { order: 1 }, traceHeader: newLambdaTraceHeader().header });
    const failed = await api.invoke({
      event: { order: 2, fail: true },
      traceHeader: newLambdaTraceHeader().header,
    });
    await fn.waitForLine(/"Lambda invocation failed"/);
    await fn.kill();
    await api.close();

    // Assess
    expect(ok.status).toBe('success');
    expect(failed.status).toBe('error');
    const lines = jsonLogLines(fn).map((line) => ({
      level: line.level,
      message: line.message,
      order: line.order,
    }));
    expect(lines.filter((line) => line.order === 1)).toEqual([
      { level: 'INFO', message: 'handled order', order: 1 },
    ]);
    expect(lines.filter((line) => line.order === 2 || line.message === 'Lambda invocation failed')).toEqual([
      { level: 'INFO', message: 'handled order', order: 2 },
      { level: 'DEBUG', message: 'detail before the outcome', order: 2 },
      { level: 'ERROR', message: 'Lambda invocation failed', order: undefined },
    ]);
  });
});
