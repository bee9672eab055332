// `correlationIdPath` through wrap() and middy(), with Powertools' built-in paths, in a real
// Lambda runtime: the id is the `correlation_id` of every log line of the invocation.
import { afterEach, describe, expect, it } from 'vitest';
import { jsonLogLines, type LambdaFunction, startLambdaFunction } from '../helpers/lambda-function.js';
import { startLambdaRuntimeApi } from '../helpers/lambda-runtime-api.js';
import { fixture } from '../helpers/node-process.js';

let fn: LambdaFunction | undefined;
afterEach(async () => {
  await fn?.kill();
  fn = undefined;
});

const CASES = [
  {
    handler: 'apiGateway',
    event: { resource: '/orders', httpMethod: 'POST', requestContext: { requestId: 'req-api-1' }, order: 1 },
    expected: 'req-api-1',
  },
  {
    handler: 'alb',
    event: {
      requestContext: {
        elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/t/1' },
      },
      httpMethod: 'GET',
      path: '/orders',
      headers: { 'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678' },
      order: 2,
    },
    expected: 'Root=1-67891233-abcdef012345678912345678',
  },
  {
    handler: 'eventBridge',
    event: { id: 'evt-7', 'detail-type': 'OrderPlaced', source: 'shop', detail: { order: 3 } },
    expected: 'evt-7',
  },
  {
    handler: 'custom',
    event: { detail: { orders: [{ 'order-id': 'ord-9' }] }, order: 4 },
    expected: 'ord-9',
  },
] as const;

describe('correlationIdPath', () => {
  it.each(CASES)(
    'puts the id at the path on the log lines of $handler',
    async ({ handler, event, expected }) => {
      // Prepare
      const api = await startLambdaRuntimeApi();
      fn = await startLambdaFunction({
        api,
        taskRoot: fixture('lambda'),
        handler: `correlation-handlers.${handler}`,
        env: { OTEL_TRACES_EXPORTER: 'none' },
      });

      // Act
      const outcome = await api.invoke({ event });
      await fn.waitForLine(/"handling order"/);
      const second = await api.invoke({ event: { order: 5 } });
      await fn.waitForLine(/"order":5/);
      await fn.kill();
      await api.close();

      // Assess
      expect(outcome.response).toEqual({ ok: true });
      expect(second.response).toEqual({ ok: true });
      const lines = jsonLogLines(fn).filter((line) => line.message === 'handling order');
      expect(lines.map((line) => line.correlation_id)).toEqual([expected, undefined]);
    },
  );
});
