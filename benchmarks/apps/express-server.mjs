// The app for the steady-state scenario (and the memory scenario that reads it): an Express 5
// API with no telemetry code in it, so every variant runs the same app and differs only in
// what its `node` flags preload.
//
//   GET  /hello/:name  the hello route: route parameter in, small JSON out.
//   POST /orders       the realistic route: JSON body parsed and validated, one outgoing
//                      fetch to the inventory service (a loopback stub at INVENTORY_URL), one
//                      JSON log line on stdout, 201 with a JSON body.
//
// PORT picks the port (0 for any); the app prints nothing else, so its stdout can go to
// /dev/null. A bench-only app rather than a route added to examples/: the example stays
// readable and the realistic route needs the stub's address.
//
// BENCH_MIDDLEWARE names a module in ./middleware/ whose before(app) runs before the routes
// and after(app) after them: the middleware a variant's users mount in their own app
// (Lookout's observe() and errorHandler(), or a hand-built access log). Unset: none.
import express from 'express';

const inventoryUrl = process.env.INVENTORY_URL ?? 'http://127.0.0.1:3001';
const middlewareName = process.env.BENCH_MIDDLEWARE;
const middleware =
  middlewareName === undefined || middlewareName === ''
    ? undefined
    : await import(new URL(`./middleware/${middlewareName}.mjs`, import.meta.url).href);
const app = express();
middleware?.before(app);
app.use(express.json());

app.get('/hello/:name', (req, res) => {
  res.json({ hello: req.params.name });
});

let nextOrder = 1;
app.post('/orders', async (req, res, next) => {
  try {
    const { sku, quantity, customer } = req.body ?? {};
    if (
      typeof sku !== 'string' ||
      !Number.isInteger(quantity) ||
      quantity < 1 ||
      typeof customer?.id !== 'string'
    ) {
      res.status(400).json({ error: 'sku (string), quantity (integer >= 1) and customer.id are required' });
      return;
    }
    const stock = await fetch(`${inventoryUrl}/inventory/${encodeURIComponent(sku)}`);
    if (!stock.ok) throw new Error(`inventory answered ${stock.status}`);
    const { available } = await stock.json();
    if (available < quantity) {
      res.status(409).json({ error: 'not enough stock', available });
      return;
    }
    const order = { id: `ord-${nextOrder++}`, sku, quantity, customerId: customer.id, status: 'accepted' };
    process.stdout.write(
      `${JSON.stringify({ level: 'INFO', message: 'order accepted', orderId: order.id, sku, quantity, timestamp: new Date().toISOString() })}\n`,
    );
    res.status(201).json(order);
  } catch (error) {
    next(error);
  }
});

middleware?.after(app);

const port = Number(process.env.PORT ?? 3000);
app.listen(port, '127.0.0.1');
