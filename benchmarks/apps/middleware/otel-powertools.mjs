// The stack a team builds by hand from the upstream parts: OpenTelemetry auto-instrumentation
// (preloaded with `--require @opentelemetry/auto-instrumentations-node/register`) for traces,
// and an Express middleware that writes a Powertools access-log line carrying the trace ids
// and one EMF document per request through Powertools Metrics.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { trace } from '@opentelemetry/api';

const logger = new Logger();
const metrics = new Metrics();

/** @param {import('express').Express} app */
export function before(app) {
  app.use((req, res, next) => {
    const started = performance.now();
    const span = trace.getActiveSpan();
    res.once('finish', () => {
      const durationMs = performance.now() - started;
      const route = req.route?.path === undefined ? undefined : `${req.baseUrl ?? ''}${req.route.path}`;
      const ids = span?.spanContext();
      logger.info('request completed', {
        trace_id: ids?.traceId,
        span_id: ids?.spanId,
        method: req.method,
        route,
        path: req.path,
        status: res.statusCode,
        duration_ms: durationMs,
        user_agent: req.headers['user-agent'],
        client_ip: req.ip,
      });
      metrics.addDimension('Operation', `${req.method} ${route ?? 'UNMATCHED'}`);
      metrics.addMetric('RequestCount', MetricUnit.Count, 1);
      metrics.addMetric('Latency', MetricUnit.Milliseconds, durationMs);
      if (res.statusCode >= 500) metrics.addMetric('Fault', MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    });
    next();
  });
}

/** @param {import('express').Express} app */
export function after(app) {
  app.use((error, _req, res, _next) => {
    logger.error('request failed', { error });
    res.status(500).json({ error: 'internal error' });
  });
}
