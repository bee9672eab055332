// The `powertools` peer: what a team using Powertools for AWS Lambda's Logger and Metrics on
// an Express server writes — an access log line and an EMF document per request, flushed per
// request. Loaded with `node --import ./benchmarks/peers/powertools.mjs app.mjs` so that every
// variant runs the same app; the `http.server.request.start` diagnostics channel plays the
// part of `app.use(middleware)`, called for each request before the app's own handlers.
import { subscribe } from 'node:diagnostics_channel';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

const logger = new Logger();
const metrics = new Metrics({ defaultDimensions: { environment: process.env.NODE_ENV ?? 'development' } });

subscribe('http.server.request.start', ({ request, response }) => {
  const started = performance.now();
  response.once('finish', () => {
    const durationMs = performance.now() - started;
    const route = request.route?.path ?? request.url?.split('?')[0];
    logger.info('request', {
      method: request.method,
      path: request.url,
      route,
      statusCode: response.statusCode,
      durationMs,
      userAgent: request.headers['user-agent'],
    });
    metrics.addDimension('route', String(route));
    metrics.addMetric('requests', MetricUnit.Count, 1);
    metrics.addMetric('latency', MetricUnit.Milliseconds, durationMs);
    if (response.statusCode >= 500) metrics.addMetric('errors', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  });
});
