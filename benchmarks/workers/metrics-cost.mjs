// Scenario "metrics-cost": what request metrics cost a server.
//
//   node benchmarks/workers/metrics-cost.mjs --variant <name> --result <file> [--quick]
//
// Variants (run each in its own process, alternated, against the built package in dist/):
//   server-without-metrics   Express hello app under lookout/register, no request metrics;
//   server-with-metrics      the same app recording every request with recordRequest();
//                            both report requests/second over keep-alive loopback HTTP,
//                            the app in a child process writing stdout to /dev/null.
//   emf-bytes-lookout        EMF bytes written for 10,000 requests with Lookout's aggregation,
//                            all within one flush interval (a busy server);
//   emf-bytes-lookout-sparse the same with a flush every 100 requests (100 requests per
//                            flush interval, a quiet server: the least aggregation);
//   emf-bytes-powertools     the same requests through a plain Powertools Metrics,
//                            publishStoredMetrics() after every request.
//   startup-powertools-metrics  milliseconds to import @aws-lambda-powertools/metrics and
//                            construct one Metrics: what the `metrics` export adds to start-up
//                            (it must be a real Powertools instance when 'lookout' is imported);
//   record-request-cpu       in-process: nanoseconds of CPU per recordRequest() call,
//                            aggregation and EMF writing (to a counting sink) included; far
//                            less noisy than throughput on a shared machine.
// All three byte variants record the same request mix (5 routes, 2xx/4xx/5xx, latencies).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    variant: { type: 'string' },
    result: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const root = fileURLToPath(new URL('../..', import.meta.url));
const REQUESTS_FOR_BYTES = 10_000;

// A deterministic request mix: the same for every byte variant and every run.
function* requestMix(count) {
  const routes = ['/orders/:id', '/orders', '/users/:id', '/health-check', '/search'];
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < count; i++) {
    const roll = random();
    const statusCode = roll < 0.9 ? 200 : roll < 0.97 ? 404 : 500;
    yield {
      method: i % 7 === 0 ? 'POST' : 'GET',
      route: routes[Math.floor(random() * routes.length)],
      statusCode,
      durationMs: 1 + random() * 80,
    };
  }
}

function countStdoutBytes() {
  let bytes = 0;
  let documents = 0;
  const original = process.stdout.write;
  process.stdout.write = (chunk, ...rest) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    bytes += Buffer.byteLength(text);
    documents += text.split('\n').filter((line) => line.includes('"_aws"')).length;
    const callback = rest.find((arg) => typeof arg === 'function');
    if (callback) callback();
    return true;
  };
  return {
    stop: () => {
      process.stdout.write = original;
      return { bytes, documents };
    },
  };
}

async function lookoutBytes(flushEvery) {
  const core = await import('../../dist/esm/core.js');
  core.init({
    serviceName: 'bench',
    environment: 'bench',
    tracing: { enabled: false },
    metrics: { flushIntervalMs: 3_600_000 },
    shutdown: { handleSignals: false },
  });
  const counter = countStdoutBytes();
  let index = 0;
  for (const record of requestMix(REQUESTS_FOR_BYTES)) {
    core.recordRequest(record);
    if (flushEvery !== undefined && ++index % flushEvery === 0) core.flushInvocationMetrics();
  }
  core.flushInvocationMetrics();
  const result = counter.stop();
  await core.shutdown();
  return result;
}

async function recordRequestCpu() {
  const core = await import('../../dist/esm/core.js');
  core.init({
    serviceName: 'bench',
    environment: 'bench',
    tracing: { enabled: false },
    metrics: { flushIntervalMs: 3_600_000 },
    shutdown: { handleSignals: false },
  });
  const records = [...requestMix(10_000)];
  const calls = values.quick ? 200_000 : 2_000_000;
  const counter = countStdoutBytes();
  for (let i = 0; i < 50_000; i++) core.recordRequest(records[i % records.length]); // warm-up
  const started = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < calls; i++) core.recordRequest(records[i % records.length]);
  core.flushInvocationMetrics();
  const cpu = process.cpuUsage(started);
  const elapsedMs = performance.now() - wall;
  counter.stop();
  await core.shutdown();
  return {
    calls,
    nsPerCallCpu: ((cpu.user + cpu.system) * 1000) / calls,
    nsPerCallWall: (elapsedMs * 1e6) / calls,
  };
}

async function powertoolsBytes() {
  const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics');
  const metrics = new Metrics({
    namespace: 'Lookout',
    serviceName: 'bench',
    defaultDimensions: { Environment: 'bench' },
  });
  const counter = countStdoutBytes();
  for (const { method, route, statusCode, durationMs } of requestMix(REQUESTS_FOR_BYTES)) {
    metrics.addDimension('Operation', `${method} ${route}`);
    metrics.addMetric('RequestCount', MetricUnit.Count, 1);
    metrics.addMetric('Error', MetricUnit.Count, statusCode >= 400 && statusCode < 500 ? 1 : 0);
    metrics.addMetric('Fault', MetricUnit.Count, statusCode >= 500 ? 1 : 0);
    metrics.addMetric('Latency', MetricUnit.Milliseconds, durationMs);
    metrics.publishStoredMetrics();
  }
  return counter.stop();
}

async function startServer(withMetrics) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(OTEL_|LOOKOUT_|POWERTOOLS_|AWS_)/.test(key)) delete env[key];
  const child = spawn(
    process.execPath,
    ['--import', 'lookout/register', 'benchmarks/apps/metrics-hello-server.mjs'],
    {
      cwd: root,
      env: {
        ...env,
        // Tracing off in both variants so the comparison isolates request metrics.
        OTEL_SDK_DISABLED: 'true',
        LOOKOUT_SERVICE_NAME: 'bench',
        METRICS_MIDDLEWARE: withMetrics ? 'on' : 'off',
      },
      // The app's stdout (the EMF documents) goes to /dev/null: a null sink, as in pino's benchmarks.
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const port = await new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (\d+)/.exec(stderr);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
  return { child, port };
}

async function drive(port, durationMs, connections) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let completed = 0;
  let failed = 0;
  const deadline = performance.now() + durationMs;
  const one = (i) =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: `/hello/user-${i}`, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) completed++;
          else failed++;
          resolve();
        });
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, lane) => {
      let i = lane;
      while (performance.now() < deadline) {
        await one(i);
        i += connections;
      }
    }),
  );
  const elapsed = performance.now() - started;
  agent.destroy();
  return { completed, failed, elapsedMs: elapsed };
}

async function serverThroughput(withMetrics) {
  const { child, port } = await startServer(withMetrics);
  try {
    await drive(port, values.quick ? 300 : 2_000, 16); // warm-up, discarded
    const { completed, failed, elapsedMs } = await drive(port, values.quick ? 1_000 : 8_000, 16);
    return { requestsPerSecond: (completed / elapsedMs) * 1000, requests: completed, failed, elapsedMs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
  }
}

async function startupPowertoolsMetrics() {
  const started = performance.now();
  const { Metrics } = await import('@aws-lambda-powertools/metrics');
  const imported = performance.now();
  new Metrics({ namespace: 'bench' });
  return { importMs: imported - started, constructMs: performance.now() - imported };
}

const VARIANTS = {
  'startup-powertools-metrics': () => startupPowertoolsMetrics(),
  'server-without-metrics': () => serverThroughput(false),
  'server-with-metrics': () => serverThroughput(true),
  'emf-bytes-lookout': () => lookoutBytes(undefined),
  'emf-bytes-lookout-sparse': () => lookoutBytes(100),
  'emf-bytes-powertools': () => powertoolsBytes(),
  'record-request-cpu': () => recordRequestCpu(),
};

const run = VARIANTS[values.variant];
if (!run || !values.result) {
  process.stderr.write(
    `usage: metrics-cost.mjs --variant <${Object.keys(VARIANTS).join('|')}> --result <file> [--quick]\n`,
  );
  process.exit(2);
}
const measured = await run();
const result = {
  scenario: 'metrics-cost',
  variant: values.variant,
  quick: values.quick,
  node: process.version,
  ...(measured.bytes === undefined
    ? measured
    : { ...measured, requests: REQUESTS_FOR_BYTES, bytesPerRequest: measured.bytes / REQUESTS_FOR_BYTES }),
};
writeFileSync(values.result, `${JSON.stringify(result, null, 2)}\n`);
