// Scenario f, metrics: what request metrics cost a server, and how many EMF bytes they write.
//
//   node benchmarks/workers/metrics-cost.mjs --variant <name> --result <file> [--quick]
//
// Scenario metrics-cost (benchmarks/scenarios/metrics-cost.mjs), one app process per run:
//   server-without-metrics   Express hello app (apps/metrics-hello-server.mjs) under
//                            lookout/register, tracing off, no request metrics;
//   server-with-metrics      the same app recording every request with recordRequest();
//   server-with-runtime-metrics  the same with the runtime metrics on (LOOKOUT_RUNTIME_METRICS).
//   Metrics: requestsPerSecond, p50Ms, p99Ms (autocannon, LOAD in the scenario file) and
//   appCpuUsPerRequest (the app process's CPU time over the measured load ÷ requests).
//
// Scenario metrics-emf-bytes (benchmarks/scenarios/metrics-emf-bytes.mjs), in this process:
//   emf-bytes-powertools     10,000 requests through a plain Powertools Metrics,
//                            publishStoredMetrics() after every request;
//   emf-bytes-lookout        the same requests through Lookout's aggregation, all within one
//                            flush interval (a busy server);
//   emf-bytes-lookout-sparse the same with a flush every 100 requests (a quiet server: the
//                            least aggregation).
//   Metrics: emfBytes, emfDocuments, bytesPerRequest. Every document is parsed back and its
//   RequestCount values and Latency samples summed: a run that lost or doubled a request fails.
//
// Scenario runtime-metrics-cost (benchmarks/scenarios/runtime-metrics-cost.mjs), in-process:
//   runtime-metrics-cpu      CPU of the runtime metrics in this process: background µs per
//                            second, µs per sample, µs per GC collection observed, and µs per
//                            request amortised at AMORTISED_OVER_RPS.
//
// Standalone only (no scenario declares them; run them by hand as above):
//   record-request-cpu       nanoseconds of CPU per recordRequest() call in this process,
//                            aggregation and EMF writing (to a counting sink) included;
//   startup-powertools-metrics  ms to import @aws-lambda-powertools/metrics and construct one
//                            Metrics: what the `metrics` export adds to start-up.
import { PerformanceObserver } from 'node:perf_hooks';
import { useInfrastructure } from '../lib/infrastructure.mjs';
import { runLoad } from '../lib/load.mjs';
import { describeLaunch, getFreePort, readCpuMs, spawnApp, waitForFirst200 } from '../lib/server-process.mjs';
import { percentile } from '../lib/stats.mjs';
import { parseWorkerArgs, runWorker, writeResult } from '../lib/worker.mjs';
import { LOAD, METRICS_APP } from '../scenarios/metrics-cost.mjs';
import { AMORTISED_OVER_RPS } from '../scenarios/runtime-metrics-cost.mjs';

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

/**
 * Counts EMF text: bytes, documents, and the requests they describe (RequestCount values
 * summed, Latency samples counted), so the byte figures are checked to cover every request.
 */
function createEmfCounter() {
  const totals = { bytes: 0, documents: 0, requestCount: 0, latencySamples: 0 };
  let partial = '';
  return {
    totals,
    /** @param {string | Buffer} chunk */
    add(chunk) {
      const text = partial + chunk.toString();
      totals.bytes += Buffer.byteLength(chunk);
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes('"_aws"')) continue;
        const document = JSON.parse(line);
        totals.documents++;
        totals.requestCount += document.RequestCount ?? 0;
        totals.latencySamples += [document.Latency ?? []].flat().length;
      }
    },
  };
}

/** Sends this process's stdout to an EMF counter instead of fd 1, until `stop()`. */
function captureStdout() {
  const counter = createEmfCounter();
  const original = process.stdout.write;
  process.stdout.write = (chunk, ...rest) => {
    counter.add(chunk);
    rest.find((arg) => typeof arg === 'function')?.();
    return true;
  };
  return {
    stop: () => {
      process.stdout.write = original;
      return counter.totals;
    },
  };
}

async function initLookoutMetrics() {
  // The core module instance that `lookout` loads, so recordRequest() is the real recorder.
  const core = await import('../../dist/esm/core.js');
  core.init({
    serviceName: 'bench',
    environment: 'bench',
    tracing: { enabled: false },
    metrics: { flushIntervalMs: 3_600_000 },
    shutdown: { handleSignals: false },
  });
  return core;
}

async function lookoutBytes(flushEvery) {
  const core = await initLookoutMetrics();
  const capture = captureStdout();
  let index = 0;
  for (const record of requestMix(REQUESTS_FOR_BYTES)) {
    core.recordRequest(record);
    if (flushEvery !== undefined && ++index % flushEvery === 0) core.flushInvocationMetrics();
  }
  core.flushInvocationMetrics();
  const totals = capture.stop();
  await core.shutdown();
  return totals;
}

async function powertoolsBytes() {
  const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics');
  const metrics = new Metrics({
    namespace: 'Lookout',
    serviceName: 'bench',
    defaultDimensions: { Environment: 'bench' },
  });
  const capture = captureStdout();
  for (const { method, route, statusCode, durationMs } of requestMix(REQUESTS_FOR_BYTES)) {
    metrics.addDimension('Operation', `${method} ${route}`);
    metrics.addMetric('RequestCount', MetricUnit.Count, 1);
    metrics.addMetric('Error', MetricUnit.Count, statusCode >= 400 && statusCode < 500 ? 1 : 0);
    metrics.addMetric('Fault', MetricUnit.Count, statusCode >= 500 ? 1 : 0);
    metrics.addMetric('Latency', MetricUnit.Milliseconds, durationMs);
    metrics.publishStoredMetrics();
  }
  return capture.stop();
}

/** The byte variants' result, after checking that the documents describe every request. */
function bytesResult(totals) {
  if (totals.requestCount !== REQUESTS_FOR_BYTES || totals.latencySamples !== REQUESTS_FOR_BYTES)
    throw new Error(
      `EMF documents describe ${totals.requestCount} requests and ${totals.latencySamples} latency samples, not ${REQUESTS_FOR_BYTES}`,
    );
  return {
    metrics: {
      emfBytes: totals.bytes,
      emfDocuments: totals.documents,
      bytesPerRequest: totals.bytes / REQUESTS_FOR_BYTES,
    },
    details: { requests: REQUESTS_FOR_BYTES, ...totals },
  };
}

async function serverCost(variant, quick) {
  const load = quick ? LOAD.quick : LOAD.full;
  const infrastructure = await useInfrastructure();
  const port = await getFreePort();
  const launch = await describeLaunch(variant, METRICS_APP.path, infrastructure, port);
  // The app's EMF goes to a pipe and is counted, as evidence that the "with" variant recorded
  // its requests (a few hundred bytes per 100 requests: too little to load the worker).
  const emf = createEmfCounter();
  const app = spawnApp(launch, { onStdout: (chunk) => emf.add(chunk) });
  try {
    await waitForFirst200({ port, path: '/hello/ready', exited: app.exited, stderr: app.stderr });
    const options = { connections: LOAD.connections, sampleIntervalMs: load.sampleIntervalMs };
    if (load.warmupSeconds > 0)
      await runLoad(port, METRICS_APP.route, { ...options, seconds: load.warmupSeconds });
    const cpuBefore = readCpuMs(app.child.pid);
    const measured = await runLoad(port, METRICS_APP.route, {
      ...options,
      seconds: load.measureSeconds,
      amount: load.measureRequests,
    });
    const cpuMs = readCpuMs(app.child.pid) - cpuBefore;
    // The variants must differ in what they claim to: EMF from the app with metrics (it
    // flushes an operation at 100 latency samples), none from the app without.
    const recorded = emf.totals.requestCount;
    if (variant === 'server-without-metrics' && recorded > 0)
      throw new Error(`the app without metrics wrote EMF for ${recorded} requests`);
    if (variant !== 'server-without-metrics' && measured.requests >= 200 && recorded === 0)
      throw new Error(`the app with metrics wrote no EMF after ${measured.requests} requests`);
    return {
      metrics: {
        requestsPerSecond: measured.rps,
        p50Ms: percentile(measured.latencies, 50),
        p99Ms: percentile(measured.latencies, 99),
        appCpuUsPerRequest: (cpuMs * 1000) / measured.requests,
      },
      details: {
        command: `node ${launch.args.join(' ')}`,
        env: launch.variantEnv,
        connections: LOAD.connections,
        ...load,
        requests: measured.requests,
        seconds: measured.seconds,
        appCpuMs: cpuMs,
        // Flushed so far (at 100 latency samples per operation); what is still aggregated
        // when the app is killed is not counted.
        emfDocuments: emf.totals.documents,
        emfRequestCount: emf.totals.requestCount,
        stderr: app.stderr(),
      },
    };
  } finally {
    await app.stop();
    await infrastructure.close();
  }
}

async function recordRequestCpu(quick) {
  const core = await initLookoutMetrics();
  const records = [...requestMix(10_000)];
  const calls = quick ? 200_000 : 2_000_000;
  const capture = captureStdout();
  for (let i = 0; i < 50_000; i++) core.recordRequest(records[i % records.length]); // warm-up
  const started = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < calls; i++) core.recordRequest(records[i % records.length]);
  core.flushInvocationMetrics();
  const cpu = process.cpuUsage(started);
  const elapsedMs = performance.now() - wall;
  capture.stop();
  await core.shutdown();
  return {
    metrics: {
      nsPerCallCpu: ((cpu.user + cpu.system) * 1000) / calls,
      nsPerCallWall: (elapsedMs * 1e6) / calls,
    },
    details: { calls },
  };
}

/** CPU microseconds this process used while `work()` ran. */
async function cpuDuring(work) {
  const started = process.cpuUsage();
  await work();
  const used = process.cpuUsage(started);
  return used.user + used.system;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the runtime metrics cost, measured in-process without a server, so that a loaded machine
 * does not drown microseconds in the noise of a whole request: the background (the event-loop
 * delay histogram's timer; alternated idle phases with the collector on and off), one sample
 * (`collect()`), and the GC observer (a fixed allocating workload, alternated on and off).
 * Amortised per request at `rps`: background per second ÷ rps + one sample every 10 s ÷ (10 ×
 * rps) + GC observer cost per collection × collections per request.
 */
async function runtimeMetricsCpu(quick) {
  // BENCH_DELAY_RESOLUTION_MS: to compare histogram resolutions by hand.
  const resolution =
    process.env.BENCH_DELAY_RESOLUTION_MS === undefined
      ? undefined
      : Number(process.env.BENCH_DELAY_RESOLUTION_MS);
  const { RuntimeMetricsCollector } = await import('../../dist/esm/core.js');
  const phaseMs = quick ? 200 : 2000;
  const rounds = quick ? 1 : 5;
  const idle = { on: [], off: [] };
  const workload = { on: [], off: [] };
  let collections = 0;
  const counter = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  counter.observe({ entryTypes: ['gc'] });
  const allocate = async () => {
    let kept = 0;
    for (let i = 0; i < 2_000_000; i++) kept += new Array(16).fill(i).length;
    return kept;
  };
  for (let round = 0; round < rounds; round++) {
    idle.off.push(await cpuDuring(() => sleep(phaseMs)));
    workload.off.push(await cpuDuring(allocate));
    const collector = new RuntimeMetricsCollector(
      resolution === undefined ? {} : { delayResolutionMs: resolution },
    );
    idle.on.push(await cpuDuring(() => sleep(phaseMs)));
    workload.on.push(await cpuDuring(allocate));
    collector.stop();
  }
  const collector = new RuntimeMetricsCollector();
  const samples = quick ? 100 : 1000;
  const sampleCpu = await cpuDuring(async () => {
    for (let i = 0; i < samples; i++) collector.collect();
  });
  collector.stop();
  counter.disconnect();
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const backgroundUsPerSecond = ((median(idle.on) - median(idle.off)) * 1000) / phaseMs;
  const gcCollectionsPerWorkload = collections / (2 * rounds);
  const gcObserverUsPerCollection = (median(workload.on) - median(workload.off)) / gcCollectionsPerWorkload;
  const sampleUs = sampleCpu / samples;
  // A server samples every 10 s (src/metrics/start-metrics.ts).
  const usPerRequest = (backgroundUsPerSecond + sampleUs / 10) / AMORTISED_OVER_RPS;
  return {
    metrics: {
      usPerRequest,
      backgroundUsPerSecond,
      sampleUs,
      gcObserverUsPerCollection,
    },
    details: {
      phaseMs,
      rounds,
      idleCpuUs: idle,
      workloadCpuUs: workload,
      gcCollectionsPerWorkload,
      samples,
    },
  };
}

async function startupPowertoolsMetrics() {
  const started = performance.now();
  const { Metrics } = await import('@aws-lambda-powertools/metrics');
  const imported = performance.now();
  new Metrics({ namespace: 'bench' });
  return { metrics: { importMs: imported - started, constructMs: performance.now() - imported } };
}

const VARIANTS = {
  'server-without-metrics': (quick) => serverCost('server-without-metrics', quick),
  'server-with-metrics': (quick) => serverCost('server-with-metrics', quick),
  'server-with-runtime-metrics': (quick) => serverCost('server-with-runtime-metrics', quick),
  'emf-bytes-powertools': async () => bytesResult(await powertoolsBytes()),
  'emf-bytes-lookout': async () => bytesResult(await lookoutBytes(undefined)),
  'emf-bytes-lookout-sparse': async () => bytesResult(await lookoutBytes(100)),
  'record-request-cpu': (quick) => recordRequestCpu(quick),
  'startup-powertools-metrics': () => startupPowertoolsMetrics(),
  'runtime-metrics-cpu': (quick) => runtimeMetricsCpu(quick),
};

runWorker(async () => {
  const { variant, result, quick } = parseWorkerArgs();
  const run = VARIANTS[variant];
  if (run === undefined)
    throw new Error(`unknown variant ${variant}; known: ${Object.keys(VARIANTS).join(', ')}`);
  writeResult(result, await run(quick));
});
