// Lookout's Express middleware as the docs recommend mounting it (docs/express.md): observe()
// first (access log, request metrics, request id), errorHandler() last. Tracing, logging,
// metrics and redaction come from `--import lookout/register`.
import { errorHandler, observe } from 'lookout/express';

/** @param {import('express').Express} app */
export function before(app) {
  app.use(observe());
}

/** @param {import('express').Express} app */
export function after(app) {
  app.use(errorHandler());
}
