// The `powertools-middy` peer: the same handler with the Powertools for AWS Lambda trio as its
// documentation shows it, through middy: Tracer (a subsegment per invocation, sent to the X-Ray
// daemon by aws-xray-sdk-core), Logger with the Lambda context, Metrics flushed per invocation
// with the cold start metric. One log line and one metric per invocation, as `wrapped.mjs` does.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';

const logger = new Logger();
const metrics = new Metrics();
const tracer = new Tracer();

export const handler = middy(async (event) => {
  logger.info('order handled', { path: event.rawPath });
  metrics.addMetric('OrdersHandled', MetricUnit.Count, 1);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ok: true, path: event.rawPath }),
  };
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
