// The app measured by express-request-instructions.mjs: Express 5 under lookout/register
// (or alone, MODE=none), one route, with the middleware MODE asks for, serving N sequential keep-alive requests to
// itself, then exiting. Everything runs in one process so valgrind counts it all.
import http from 'node:http';
import express from 'express';
import { auditMiddleware, observe, securityMonitor } from 'lookout/express';

const mode = process.env.MODE ?? 'bare';
const requests = Number(process.env.N ?? 200);

const app = express();
if (mode === 'observe-no-log') app.use(observe({ accessLog: false }));
if (mode === 'observe' || mode === 'all') app.use(observe());
if (mode === 'all') {
  app.use(auditMiddleware());
  app.use(express.json());
  app.use(securityMonitor());
}
app.get('/orders/:id', (req, res) => res.json({ id: req.params.id }));

const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = () =>
  new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.address().port, path: '/orders/1', agent }, (response) => {
        response.resume();
        response.on('end', resolve);
      })
      .on('error', reject);
  });
for (let index = 0; index < requests; index++) await get();
agent.destroy();
server.close();
process.exit(0);
