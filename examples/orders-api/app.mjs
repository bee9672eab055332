// The orders API: Express 5 with Lookout's middleware. Telemetry setup is the five `app.use`
// lines marked below; everything else is an ordinary app. `app` (and `createApp()`, for a
// fresh one) is the app without listening, so the same app runs behind a server (server.mjs)
// or on Lambda (lambda.mjs).
import express from 'express';
import { AUDIT_ACTIONS, AUDIT_STATUSES, getTracer, logAudit, logger, MetricUnit, metrics } from 'lookout';
import { auditMiddleware, errorHandler, health, observe, securityMonitor } from 'lookout/express';
import { createStore } from './store.mjs';

// Demo accounts. A real app checks a password hash, never a plain string.
const USERS = new Map([
  ['alice', { id: 'alice', password: 'correct-horse-battery-staple' }],
  ['bob', { id: 'bob', password: 'hunter2-but-longer' }],
]);

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Sets req.user from `Authorization: Bearer <token>`; answers 401 when it is missing or unknown. */
function requireUser(store) {
  return (req, res, next) => {
    const token = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    const userId = token === undefined ? undefined : store.userForToken(token);
    if (userId === undefined) {
      res.status(401).json({ error: 'Unauthorized' });
      return;
    }
    req.user = { id: userId };
    req.token = token;
    next();
  };
}

export function createApp({ store = createStore() } = {}) {
  const app = express();
  app.disable('x-powered-by');

  app.use(observe()); // request id, access log, request metrics, span enrichment
  app.use(auditMiddleware()); // one audit entry per request
  app.use(express.json());
  app.use(securityMonitor()); // warns on attack shapes; never blocks by default

  app.get('/health', health({ checks: { store: () => store.ping() } }));

  app.post('/api/login', (req, res) => {
    const { username, password } = req.body ?? {};
    const user = typeof username === 'string' ? USERS.get(username) : undefined;
    if (user === undefined || password !== user.password) {
      const reason = user === undefined ? 'unknown_user' : 'wrong_password';
      logAudit({
        action: AUDIT_ACTIONS.LOGIN,
        status: AUDIT_STATUSES.FAILED,
        userId: typeof username === 'string' ? username.slice(0, 64) : undefined,
        req,
        details: { reason },
      });
      res.status(401).json({ error: 'Invalid credentials' });
      return;
    }
    const token = store.openSession(user.id);
    logAudit({ action: AUDIT_ACTIONS.LOGIN, userId: user.id, req });
    res.json({ token });
  });

  const orders = express.Router();
  orders.use(requireUser(store));
  orders.get('/', (req, res) => {
    res.json(store.listOrders(req.user.id));
  });
  orders.get('/:id', (req, res) => {
    const order = store.getOrder(req.params.id);
    if (order === undefined || order.ownerId !== req.user.id) throw new HttpError(404, 'Order not found');
    res.json(order);
  });
  orders.post('/', (req, res) => {
    const { item, quantity, price } = req.body ?? {};
    if (typeof item !== 'string' || item === '') throw new HttpError(400, 'item is required');
    // A span of the app's own: it nests under the request's server span.
    const order = getTracer().startActiveSpan('orders.create', (span) => {
      try {
        return store.createOrder(req.user.id, { item, quantity, price });
      } finally {
        span.end();
      }
    });
    logger.info('order created', { orderId: order.id, item });
    metrics.addMetric('OrderPlaced', MetricUnit.Count, 1); // a business metric, as EMF
    res.status(201).json(order);
  });
  orders.put('/:id', (req, res) => {
    const existing = store.getOrder(req.params.id);
    if (existing === undefined || existing.ownerId !== req.user.id)
      throw new HttpError(404, 'Order not found');
    res.json(store.updateOrder(req.params.id, { quantity: req.body?.quantity ?? existing.quantity }));
  });
  orders.delete('/:id', (req, res) => {
    const existing = store.getOrder(req.params.id);
    if (existing === undefined || existing.ownerId !== req.user.id)
      throw new HttpError(404, 'Order not found');
    store.deleteOrder(req.params.id);
    // The handler audits the delete itself, with what was deleted; the middleware then skips it.
    logAudit({
      action: AUDIT_ACTIONS.DELETE,
      resource: `order:${existing.id}`,
      req,
      details: { order: existing },
    });
    res.status(204).end();
  });
  app.use('/api/orders', orders);

  app.post('/api/logout', requireUser(store), (req, res) => {
    store.closeSession(req.token);
    logAudit({ action: AUDIT_ACTIONS.LOGOUT, req });
    res.status(204).end();
  });

  // An endpoint that fails, to show the error path: one log line with the stack, the
  // exception on the span, a 500 without internals in production.
  app.get('/api/reports/daily', async () => {
    throw new Error('report backend unavailable: connection refused by reports-db:5432');
  });

  app.use(errorHandler()); // after every route
  return app;
}

/** The app, with its own in-memory store, not listening. */
export const app = createApp();
