// A small Express 5 app with no Lookout code in it: telemetry comes from
// `node --import lookout/register examples/hello-express/server.mjs`.
import express from 'express';

const app = express();
app.use(express.json());

app.get('/health', (_req, res) => {
  res.json({ status: 'healthy' });
});

app.get('/hello/:name', (req, res) => {
  res.json({ hello: req.params.name });
});

app.get('/chain', async (_req, res) => {
  // An outgoing call, so the trace shows a client span with propagated headers.
  const response = await fetch(`http://127.0.0.1:${server.address().port}/hello/downstream`);
  res.json({ downstream: await response.json() });
});

app.get('/boom', () => {
  throw new Error('example failure');
});

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, '127.0.0.1', () => {
  // The parent process waits for this line to know the app is ready.
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
