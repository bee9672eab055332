// `npm run demo`: starts the example app under `node --import lookout/register` with the
// console exporter, sends a few requests, prints what came back and what was traced, exits 0.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const app = spawn(process.execPath, ['--import', 'lookout/register', 'examples/hello-express/server.mjs'], {
  cwd: root,
  env: { ...process.env, PORT: '0', OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'hello-express' },
  stdio: ['ignore', 'pipe', 'inherit'],
});

let output = '';
const ready = new Promise((resolve, reject) => {
  app.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(output);
    if (match) resolve(match[1]);
  });
  app.on('exit', (code) => reject(new Error(`the example app exited early (code ${code})`)));
});

const base = await ready;
for (const path of ['/hello/world', '/chain', '/boom', '/health']) {
  const response = await fetch(`${base}${path}`);
  console.log(`GET ${path} -> ${response.status}`);
}
// SIGTERM: Lookout flushes the batched spans to the console exporter before the app exits.
app.kill('SIGTERM');
await new Promise((resolve) => app.on('exit', resolve));
const spans = output.match(/^ {2}name: '.*'/gm) ?? [];
console.log(`\n${spans.length} spans printed by the console exporter:`);
for (const name of new Set(spans)) console.log(`  ${name.trim()}`);
