// The server half of the metrics-cost benchmark: an Express hello app started with
// `node --import lookout/register`. With METRICS_MIDDLEWARE=on a small middleware records
// every request through Lookout's recordRequest(), as the Express adapter will; with `off` the
// same app runs without it. Everything else (Lookout itself, Express, the routes) is identical.
import express from 'express';
import { recordRequest } from '../../dist/esm/core.js';

const app = express();
if (process.env.METRICS_MIDDLEWARE === 'on') {
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl ?? ''}${req.route.path}` : undefined;
      recordRequest({
        method: req.method,
        route,
        statusCode: res.statusCode,
        durationMs: performance.now() - started,
      });
    });
    next();
  });
}

app.get('/hello/:name', (req, res) => {
  res.json({ hello: req.params.name });
});

// PORT from the harness (benchmarks/lib/server-process.mjs); any free port by hand.
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stderr.write(`listening on ${server.address().port}\n`);
});
