import express from 'express';
import { describe, expect, it } from 'vitest';
import {
  auditMiddleware,
  errorHandler,
  health,
  observe,
  securityMonitor,
} from '../../../src/express/index.js';

// Compiled by `npm run typecheck`: the middleware types must fit Express's own, without casts.
describe('lookout/express types', () => {
  it("fit Express's app.use() and app.get() as they are", () => {
    const app = express();
    app.use(observe());
    app.use(auditMiddleware({ excludePaths: ['/internal/*'] }));
    app.use(express.json());
    app.use(securityMonitor({ block: false, disabledRules: ['path-traversal'] }));
    app.get('/health', health({ checks: { db: async () => true }, timeoutMs: 500 }));
    const router = express.Router();
    router.use(observe());
    app.use('/api', router);
    app.use(errorHandler({ production: true }));

    expect(typeof app).toBe('function');
  });
});
