// `npm run demo`: starts the orders API under `node --import lookout/register`, with spans
// going to a loopback OTLP receiver started here; drives a short burst of mixed traffic;
// stops the app (which flushes everything) and prints what Lookout produced and where it went.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { summarizeOutput } from './orders-api/summarize-output.mjs';
import { driveTraffic } from './orders-api/traffic.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A stand-in collector on 127.0.0.1: accepts OTLP/JSON span exports and counts the spans. */
function startSpanReceiver() {
  const spans = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        for (const resource of body.resourceSpans ?? [])
          for (const scope of resource.scopeSpans ?? []) spans.push(...(scope.spans ?? []));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, spans, server }),
    ),
  );
}

function startApp(receiverUrl) {
  const child = spawn(process.execPath, ['--import', 'lookout/register', 'examples/orders-api/server.mjs'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      OTEL_SERVICE_NAME: 'orders-api',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      LOOKOUT_ENVIRONMENT: 'demo',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve(match[1]);
    });
    exited.then(() => reject(new Error(`the orders API exited before listening:\n${stderr}`)));
    setTimeout(
      () => reject(new Error(`the orders API did not start within 20 s:\n${stderr}`)),
      20_000,
    ).unref();
  });
  return { child, ready, exited, stdout: () => stdout };
}

const receiver = await startSpanReceiver();
const app = startApp(receiver.url);
try {
  const baseUrl = await app.ready;
  console.log(`orders API listening on ${baseUrl} (node --import lookout/register)\n`);
  const { sent, byStatus } = await driveTraffic(baseUrl);
  console.log(
    `sent ${sent.length} requests: ${Object.entries(byStatus)
      .map(([s, n]) => `${n}x ${s}`)
      .join(', ')}`,
  );
} finally {
  // SIGTERM: Lookout flushes spans, metrics and logs before the app exits.
  app.child.kill('SIGTERM');
  await app.exited;
  receiver.server.close();
}

const { summary, audits } = summarizeOutput(app.stdout());
const names = [...new Set(receiver.spans.filter((span) => span.kind === 2).map((span) => span.name))];
console.log(`
Telemetry produced:
  stdout (CloudWatch Logs on AWS):
    ${summary.logLines} log lines, ${summary.accessLogLines} of them access-log lines, ${summary.errorLines} at ERROR
    ${summary.auditEntries} audit entries (${[...new Set(audits.map((entry) => `${entry.action}/${entry.status}`))].join(', ')})
    ${summary.emfDocuments} EMF documents: ${Object.entries(summary.metrics)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ')}
  OTLP traces -> ${receiver.url}/v1/traces (an ADOT collector, then X-Ray, on AWS):
    ${receiver.spans.length} spans, server spans: ${names.join(', ')}
`);
const healthy =
  summary.logLines > 0 && summary.auditEntries > 0 && summary.emfDocuments > 0 && receiver.spans.length > 0;
if (!healthy) {
  console.error('The demo expected log lines, audit entries, EMF documents and spans; something is missing.');
  process.exitCode = 1;
}
