// The app measured by express-request-instructions.mjs: Express 5 under lookout/register (or
// alone, MODE=none), one route, with the middleware MODE asks for, listening on PORT until it
// is stopped. The client runs in the measuring script's process, so only the server's work is
// counted.
import express from 'express';
import { auditMiddleware, observe, securityMonitor } from 'lookout/express';

const mode = process.env.MODE ?? 'bare';

const app = express();
if (mode === 'observe-no-log') app.use(observe({ accessLog: false }));
if (mode === 'observe' || mode === 'all') app.use(observe());
if (mode === 'all') {
  app.use(auditMiddleware());
  app.use(express.json());
  app.use(securityMonitor());
}
app.get('/orders/:id', (req, res) => res.json({ id: req.params.id }));

app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
