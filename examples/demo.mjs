// `npm run demo`: runs the example app under `lookout dev` (the local viewer), drives a burst
// of traffic through it, prints the viewer's address and a summary of what arrived, and keeps
// serving until Ctrl-C. `npm run demo -- --once` exits after the summary.
//
// Options passed on to `lookout dev`: --port N, --otlp-port N, --xray-port N (0 = a free port).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The app the demo runs, relative to the repository root. */
const APP = 'examples/orders-api/server.mjs';
/** The traffic module: exports `driveTraffic(baseUrl)`, resolving when the burst is sent. */
const TRAFFIC = './orders-api/traffic.mjs';
/** The service name the app reports, unless OTEL_SERVICE_NAME says otherwise. */
const SERVICE = 'orders-api';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const once = argv.includes('--once');
const passThrough = [];
for (let i = 0; i < argv.length; i += 1) {
  if (['--port', '--otlp-port', '--xray-port'].includes(argv[i])) passThrough.push(argv[i], argv[++i]);
  else if (/^--(port|otlp-port|xray-port)=/.test(argv[i])) passThrough.push(argv[i]);
  else if (argv[i] !== '--once') {
    console.error(
      `demo: unknown option ${argv[i]} (accepted: --once, --port N, --otlp-port N, --xray-port N)`,
    );
    process.exit(2);
  }
}

const dev = spawn(
  process.execPath,
  ['bin/lookout.mjs', 'dev', ...passThrough, '--', process.execPath, '--import', 'lookout/register', APP],
  // The app's own output is in the viewer; the demo keeps its terminal for the summary.
  {
    cwd: root,
    env: {
      ...process.env,
      PORT: process.env.PORT ?? '0',
      OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME ?? SERVICE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
const recent = [];
const found = {};
const ready = new Promise((resolve, reject) => {
  const read = (chunk) => {
    for (const line of String(chunk).split('\n')) {
      recent.push(line);
      if (recent.length > 40) recent.shift();
      const viewer = /^lookout dev: viewer\s+(http:\/\/\S+)/.exec(line);
      if (viewer) found.viewer = viewer[1];
      const app = /listening on (http:\/\/\S+)/.exec(line);
      if (app) found.app = app[1];
    }
    if (found.viewer && found.app) resolve(found);
  };
  dev.stdout.on('data', read);
  dev.stderr.on('data', read);
  dev.on('exit', (code) => reject(new Error(`lookout dev exited (code ${code}):\n${recent.join('\n')}`)));
});

const { viewer, app } = await ready.catch((error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
const api = async (path, init) => (await fetch(`${viewer}${path}`, init)).json();

const { driveTraffic } = await import(TRAFFIC);
const sent = await driveTraffic(app);

if (once) {
  // Stopping the app makes it flush every span and metric before the counts are read.
  await api('/api/app/stop', { method: 'POST', headers: { 'x-lookout-dev': '1' } });
} else {
  // Wait until the telemetry of the burst has arrived: the counts stop moving.
  let previous = '';
  for (let tries = 0; tries < 30; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stats = await api('/api/stats');
    const counts = JSON.stringify([stats.traces.receivedSpans, stats.logs.received, stats.metrics.received]);
    if (counts === previous && stats.metrics.received > 0) break;
    previous = counts;
  }
}

const stats = await api('/api/stats');
const { traces: failed } = await api('/api/traces?status=error');
const lines = [
  '',
  `Lookout demo: the viewer is at ${viewer}`,
  `  app          ${APP} at ${app}`,
  `  requests     ${typeof sent === 'number' ? sent : (sent?.sent?.length ?? 'sent')}`,
  `  traces       ${stats.traces.traces} (${stats.traces.spans} spans, ${failed.length} with errors)`,
  `  log lines    ${stats.logs.received}`,
  `  metrics      ${stats.metrics.received} points`,
  `  audit        ${stats.audit.received} events`,
  '',
];
console.log(lines.join('\n'));

const stop = () =>
  new Promise((resolve) => {
    dev.once('exit', resolve);
    dev.kill('SIGINT');
  });
if (once) {
  await stop();
} else {
  console.log(`Open ${viewer} in a browser. Ctrl-C to stop.`);
  process.once('SIGINT', () => stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => stop().then(() => process.exit(0)));
}
