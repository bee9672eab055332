// Starts the orders API:
//   node --import lookout/register examples/orders-api/server.mjs
// PORT (default 3000; 0 picks a free port) and HOST (default 127.0.0.1) choose the address.
import { app } from './app.mjs';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(port, host, () => {
  const { port: actual } = server.address();
  // The demo (and anyone starting the app from a script) waits for this line.
  process.stderr.write(`listening on http://${host}:${actual}\n`);
});
