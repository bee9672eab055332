// Measures what each way of composing OpenTelemetry tracing adds to an Express 5 app's cold
// start (spawn -> first HTTP 200), to decide between @opentelemetry/sdk-node and a leaner
// composition of @opentelemetry/sdk-trace-node (docs/decisions/0001-tracing-composition.md).
//
//   node benchmarks/decisions/tracing-composition.mjs [--runs 15]
//
// Every variant loads the same instrumentations (http, express) and an OTLP/protobuf exporter
// pointed at a loopback port; runs are alternated (A B C D A B C D ...) and each variant's
// median is compared with the bare app's median from the same rounds.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../lib/stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const scratch = mkdtempSync(join(tmpdir(), 'lookout-composition-'));
const req = (name) => `require(${JSON.stringify(join(root, 'node_modules', name))})`;

const app = join(scratch, 'app.cjs');
writeFileSync(
  app,
  `const express = ${req('express')};
const app = express();
app.get('/', (_req, res) => res.send('ok'));
app.listen(Number(process.env.PORT), '127.0.0.1');
`,
);
writeFileSync(
  join(scratch, 'sdk-node.cjs'),
  `const { NodeSDK } = ${req('@opentelemetry/sdk-node')};
const { HttpInstrumentation } = ${req('@opentelemetry/instrumentation-http')};
const { ExpressInstrumentation } = ${req('@opentelemetry/instrumentation-express')};
const { OTLPTraceExporter } = ${req('@opentelemetry/exporter-trace-otlp-proto')};
new NodeSDK({ traceExporter: new OTLPTraceExporter(), instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()] }).start();
`,
);
writeFileSync(
  join(scratch, 'lean.cjs'),
  `const { NodeTracerProvider } = ${req('@opentelemetry/sdk-trace-node')};
const { BatchSpanProcessor } = ${req('@opentelemetry/sdk-trace-base')};
const { registerInstrumentations } = ${req('@opentelemetry/instrumentation')};
const { HttpInstrumentation } = ${req('@opentelemetry/instrumentation-http')};
const { ExpressInstrumentation } = ${req('@opentelemetry/instrumentation-express')};
const { OTLPTraceExporter } = ${req('@opentelemetry/exporter-trace-otlp-proto')};
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
provider.register();
registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()] });
`,
);

const variants = {
  bare: [],
  'sdk-node': ['--require', join(scratch, 'sdk-node.cjs')],
  'lean (unbundled)': ['--require', join(scratch, 'lean.cjs')],
  'lookout (lean, bundled)': ['--require', join(root, 'dist/cjs/register.js')],
};
const env = {
  PATH: process.env.PATH,
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
  OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express',
  LOOKOUT_HANDLE_SIGNALS: 'false',
};

const get = (port) =>
  new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/' }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
      .on('error', () => resolve(0));
  });

let nextPort = 41000 + Math.floor(Math.random() * 10000);
async function spawnToFirst200(args) {
  const port = nextPort++;
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...args, app], {
    env: { ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  while ((await get(port)) !== 200) await new Promise((resolve) => setTimeout(resolve, 2));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  child.kill();
  await new Promise((resolve) => child.on('exit', resolve));
  return ms;
}

const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let round = 0; round < runs; round++) {
  for (const [name, args] of Object.entries(variants)) samples[name].push(await spawnToFirst200(args));
  process.stderr.write(`\rround ${round + 1}/${runs}`);
}
process.stderr.write('\n');
const bare = median(samples.bare);
console.log(`node ${process.version}, ${runs} alternated rounds, spawn -> first 200 (ms)`);
console.log('| variant | median | min | max | added over bare (median) |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, values] of Object.entries(samples)) {
  const m = median(values);
  console.log(
    `| ${name} | ${m.toFixed(0)} | ${Math.min(...values).toFixed(0)} | ${Math.max(...values).toFixed(0)} | ${name === 'bare' ? '—' : `+${(m - bare).toFixed(0)}`} |`,
  );
}
