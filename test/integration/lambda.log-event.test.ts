// POWERTOOLS_LOGGER_LOG_EVENT through a real Lambda runtime (the runtime interface client and
// the Runtime API emulator; AWS itself is not here): `wrap()` and `middy()` log each event,
// redacted, inside the invocation, the way Powertools' Logger does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonLogLines, type LambdaFunction, startLambdaFunction } from '../helpers/lambda-function.js';
import { type LambdaRuntimeApi, startLambdaRuntimeApi } from '../helpers/lambda-runtime-api.js';
import { fixture } from '../helpers/node-process.js';

const CARD = '4111111111111111';
const EVENT = {
  orderId: 'o-7',
  customer: { email: 'ada@example.com', password: 'hunter2' },
  headers: { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl' },
  payment: { card: CARD },
};

let api: LambdaRuntimeApi;
let fn: LambdaFunction | undefined;

beforeEach(async () => {
  api = await startLambdaRuntimeApi();
});
afterEach(async () => {
  await fn?.kill();
  fn = undefined;
  await api.close();
});

function start(module: string, env: Record<string, string>) {
  return startLambdaFunction({
    api,
    taskRoot: fixture('lambda'),
    handler: `${module}.echo`,
    env: { OTEL_TRACES_EXPORTER: 'none', LOOKOUT_SERVICE_NAME: 'orders-fn', ...env },
  });
}

/** Resolves once the function's `handling` line (written after the event line) is out. */
async function linesOfInvocation(requestId: string): Promise<Array<Record<string, unknown>>> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const lines = jsonLogLines(fn!).filter((line) => line.function_request_id === requestId);
    if (lines.some((line) => line.message === 'handling')) return lines;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no log line of invocation ${requestId}:\n${fn!.stdoutLines().join('\n')}`);
}

describe.each([
  ['wrap()', 'handlers'],
  ['middy()', 'middy-handlers'],
] as const)('the invocation event in %s', (_form, module) => {
  it.each(['true', 'TRUE'])('is logged, redacted, with POWERTOOLS_LOGGER_LOG_EVENT=%s', async (value) => {
    // Prepare
    fn = await start(module, { POWERTOOLS_LOGGER_LOG_EVENT: value });

    // Act
    const outcome = await api.invoke({ event: EVENT, requestId: `req-${value}` });
    const lines = await linesOfInvocation(`req-${value}`);

    // Assess
    expect(outcome.status).toBe('success');
    const logged = lines.filter((line) => line.message === 'Lambda invocation event');
    expect(logged).toHaveLength(1);
    const [line] = logged;
    expect(line).toMatchObject({ level: 'INFO', service: 'orders-fn', function_name: expect.any(String) });
    const event = line!.event as typeof EVENT;
    expect(event.orderId).toBe('o-7');
    expect(event.customer.password).toBe('[REDACTED]');
    expect(event.headers.Authorization).toBe('[REDACTED]');
    expect(JSON.stringify(line)).not.toContain(CARD);
    expect(JSON.stringify(line)).not.toContain('hunter2');
    // Before the handler's own lines, as Powertools writes it.
    expect(lines.indexOf(line!)).toBeLessThan(lines.findIndex((entry) => entry.message === 'handling'));
  });

  it('is logged with the password inside the JSON body of an API Gateway event censored', async () => {
    // Prepare: a Lambda proxy event carries the request's JSON body as a string.
    fn = await start(module, { POWERTOOLS_LOGGER_LOG_EVENT: 'true' });
    const event = {
      httpMethod: 'POST',
      path: '/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ada', password: 'body-hunter2' }),
      isBase64Encoded: false,
    };

    // Act
    await api.invoke({ event, requestId: 'req-body' });
    const lines = await linesOfInvocation('req-body');

    // Assess
    const [line] = lines.filter((entry) => entry.message === 'Lambda invocation event');
    const logged = line!.event as typeof event;
    expect(JSON.parse(logged.body)).toEqual({ username: 'ada', password: '[REDACTED]' });
    expect(fn.stdoutLines().join('\n')).not.toContain('body-hunter2');
  });

  it.each([{}, { POWERTOOLS_LOGGER_LOG_EVENT: 'false' }])('is not logged with %j', async (env) => {
    fn = await start(module, env);

    await api.invoke({ event: EVENT, requestId: 'req-quiet' });
    const lines = await linesOfInvocation('req-quiet');

    expect(lines.map((line) => line.message)).not.toContain('Lambda invocation event');
  });

  // Powertools' own Logger throws at construction on such a value, which would fail the
  // function's init; Lookout warns once and runs with the default.
  it('is not logged, and the function still starts, with POWERTOOLS_LOGGER_LOG_EVENT=yes', async () => {
    fn = await start(module, { POWERTOOLS_LOGGER_LOG_EVENT: 'yes' });

    const outcome = await api.invoke({ event: EVENT, requestId: 'req-invalid' });
    const lines = await linesOfInvocation('req-invalid');

    expect(outcome.status).toBe('success');
    expect(lines.map((line) => line.message)).not.toContain('Lambda invocation event');
    expect(fn.stderrLines().join('\n')).toContain('POWERTOOLS_LOGGER_LOG_EVENT="yes" is ignored');
  });
});
