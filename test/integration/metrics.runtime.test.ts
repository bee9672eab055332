// Runtime metrics as EMF, from a real server process and from a real Lambda runtime, read back
// with the EMF reader (every document validated against the EMF specification).
import { afterEach, describe, expect, it } from 'vitest';
import { type EmfDocument, readEmf } from '../helpers/emf-reader.js';
import { request } from '../helpers/http.js';
import { type LambdaFunction, startLambdaFunction } from '../helpers/lambda-function.js';
import { startLambdaRuntimeApi } from '../helpers/lambda-runtime-api.js';
import { fixture } from '../helpers/node-process.js';
import { spawnApp } from '../helpers/spawn-app.js';

const RUNTIME_NAMES = [
  'nodejs.eventloop.delay.p50',
  'nodejs.eventloop.delay.p99',
  'nodejs.eventloop.utilization',
  'v8js.memory.heap.used',
  'v8js.memory.heap.limit',
  'process.memory.usage',
  'v8js.resource.active',
];

function metricNames(document: EmfDocument): string[] {
  return document.directives.flatMap((directive) => directive.Metrics.map((metric) => metric.Name));
}

function samples(documents: readonly EmfDocument[], name: string): number[] {
  return documents.flatMap((document) => {
    const value = document.root[name];
    if (value === undefined || !metricNames(document).includes(name)) return [];
    return Array.isArray(value) ? (value as number[]) : [value as number];
  });
}

/** Resolves once `count` stdout lines match, checked on each chunk the process writes. */
function waitForLineCount(app: LambdaFunction, pattern: RegExp, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (app.stdoutLines().filter((line) => pattern.test(line)).length < count) return;
      app.child.stdout?.off('data', onData);
      clearTimeout(timer);
      resolve();
    };
    // Lines are split by the helper's own listener, registered first: check on the next turn.
    const onData = () => setImmediate(check);
    const timer = setTimeout(() => {
      app.child.stdout?.off('data', onData);
      reject(new Error(`fewer than ${count} lines matching ${pattern}:\n${app.stdoutLines().join('\n')}`));
    }, 15_000);
    app.child.stdout?.on('data', onData);
    check();
  });
}

describe('runtime metrics on a server', () => {
  it('are written as valid EMF under Service and Environment, with GC pauses by kind', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/runtime-metrics-app.mjs'],
      env: {
        OTEL_TRACES_EXPORTER: 'none',
        LOOKOUT_SERVICE_NAME: 'runtime-app',
        LOOKOUT_ENVIRONMENT: 'itest',
        LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '200',
      },
    });

    // Act
    for (let i = 0; i < 5; i++) expect((await request(`${app.url}/allocate`)).status).toBe(200);
    await app.waitForLine(/"v8js\.gc\.type":"minor"/);
    await app.waitForLine(/nodejs\.eventloop\.delay\.p99/);
    await app.stop();

    // Assess
    const { documents, invalid } = readEmf(app.stdoutLines().join('\n'));
    expect(invalid).toEqual([]);
    const runtime = documents.filter((document) =>
      metricNames(document).includes('nodejs.eventloop.delay.p99'),
    );
    expect(runtime.length).toBeGreaterThan(0);
    const first = runtime[0] as EmfDocument;
    expect(first.root).toMatchObject({ Service: 'runtime-app', Environment: 'itest' });
    expect(first.directives[0]?.Dimensions).toEqual([['Service', 'Environment']]);
    expect(new Set(metricNames(first))).toEqual(new Set(RUNTIME_NAMES));
    const units = Object.fromEntries(
      first.directives[0]?.Metrics.map((metric) => [metric.Name, metric.Unit]) ?? [],
    );
    expect(units).toEqual({
      'nodejs.eventloop.delay.p50': 'Seconds',
      'nodejs.eventloop.delay.p99': 'Seconds',
      'nodejs.eventloop.utilization': 'None',
      'v8js.memory.heap.used': 'Bytes',
      'v8js.memory.heap.limit': 'Bytes',
      'process.memory.usage': 'Bytes',
      'v8js.resource.active': 'Count',
    });
    const heapUsed = samples(runtime, 'v8js.memory.heap.used');
    const heapLimit = samples(runtime, 'v8js.memory.heap.limit');
    expect(Math.max(...heapUsed)).toBeLessThan(Math.min(...heapLimit));
    expect(Math.min(...samples(runtime, 'process.memory.usage'))).toBeGreaterThan(Math.max(...heapUsed) / 2);
    for (const value of samples(runtime, 'nodejs.eventloop.utilization'))
      expect(value).toBeLessThanOrEqual(1);
    for (const value of samples(runtime, 'nodejs.eventloop.delay.p99'))
      expect(value).toBeGreaterThanOrEqual(Math.min(...samples(runtime, 'nodejs.eventloop.delay.p50')));
    expect(Math.min(...samples(runtime, 'v8js.resource.active'))).toBeGreaterThanOrEqual(1);
    const gc = documents.filter((document) => document.root['v8js.gc.type'] === 'minor');
    expect(gc[0]?.directives[0]?.Dimensions).toEqual([['Service', 'Environment', 'v8js.gc.type']]);
    expect(samples(gc, 'v8js.gc.duration').every((seconds) => seconds > 0)).toBe(true);
  });

  it('are not written with LOOKOUT_RUNTIME_METRICS=false', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/runtime-metrics-app.mjs'],
      env: {
        OTEL_TRACES_EXPORTER: 'none',
        LOOKOUT_RUNTIME_METRICS: 'false',
        LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '200',
      },
    });

    // Act
    await request(`${app.url}/allocate`);
    const exit = await app.stop();

    // Assess
    expect(exit.signal ?? exit.code).toBeDefined();
    expect(
      app.stdoutLines().filter((line) => line.includes('nodejs.eventloop') || line.includes('v8js.')),
    ).toEqual([]);
  });
});

describe('runtime metrics in a process with worker threads', () => {
  // A worker inherits `--import lookout/register`, and its Lookout would sample its own thread's
  // heap and event loop under the same Service and Environment as the main thread's: one
  // metric, two threads' values mixed, and alarms on it misled.
  it("come from the main thread only, while a worker's own metrics are still written", async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/runtime-metrics-worker.mjs'],
      env: {
        OTEL_TRACES_EXPORTER: 'none',
        LOOKOUT_SERVICE_NAME: 'runtime-main',
        RUNTIME_WORKER_SERVICE: 'runtime-worker',
        LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '100',
      },
      readyPattern: null,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code).toBe(0);
    expect(app.stdoutLines()).toContain('worker exited with 0');
    const { documents, invalid } = readEmf(app.stdoutLines().join('\n'));
    expect(invalid).toEqual([]);
    const ofService = (service: string) => documents.filter((document) => document.root.Service === service);
    expect(samples(ofService('runtime-worker'), 'WorkerJobs')).toEqual([1]);
    const runtimeOf = (service: string) =>
      ofService(service).filter((document) =>
        metricNames(document).some((name) => RUNTIME_NAMES.includes(name)),
      );
    expect(runtimeOf('runtime-main').length).toBeGreaterThan(0);
    expect(runtimeOf('runtime-worker')).toEqual([]);
    expect(
      ofService('runtime-worker').filter((document) => document.root['v8js.gc.type'] !== undefined),
    ).toEqual([]);
  });
});

describe('runtime metrics on Lambda', () => {
  let fn: LambdaFunction | undefined;
  afterEach(async () => {
    await fn?.kill();
    fn = undefined;
  });

  it.each([
    ['off by default', undefined, 0],
    ['one sample per invocation when turned on', 'true', 2],
  ])('are %s', async (_name, setting, expected) => {
    // Prepare
    const api = await startLambdaRuntimeApi();
    fn = await startLambdaFunction({
      api,
      taskRoot: fixture('lambda'),
      handler: 'handlers.echo',
      env: { OTEL_TRACES_EXPORTER: 'none', LOOKOUT_RUNTIME_METRICS: setting },
    });

    // Act
    await api.invoke({ event: { order: 1 } });
    await api.invoke({ event: { order: 2 } });
    // Each invocation's metrics are flushed after its response: wait for both flushes.
    await waitForLineCount(fn, /"Invocations"/, 2);
    await fn.kill();
    await api.close();

    // Assess
    const { documents, invalid } = readEmf(fn.stdoutLines().join('\n'));
    expect(invalid).toEqual([]);
    expect(samples(documents, 'nodejs.eventloop.delay.p99')).toHaveLength(expected);
    expect(samples(documents, 'Invocations').length).toBeGreaterThanOrEqual(2);
  });

  it('do not read the time the environment was frozen between invocations as event-loop delay', async () => {
    // Prepare: the environment is frozen (SIGSTOP) between invocations, as Lambda freezes it.
    const api = await startLambdaRuntimeApi();
    fn = await startLambdaFunction({
      api,
      taskRoot: fixture('lambda'),
      handler: 'handlers.logsAroundWait',
      freeze: true,
      env: { OTEL_TRACES_EXPORTER: 'none', LOOKOUT_RUNTIME_METRICS: 'true' },
    });

    // Act: two invocations that wait on a timer for 300 ms, 2 s apart, frozen in between.
    await api.invoke({ event: { waitMs: 300 } });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await api.invoke({ event: { waitMs: 300 } });
    await waitForLineCount(fn, /"Invocations"/, 2);
    await fn.kill();
    await api.close();

    // Assess: the loop was never blocked; the 2 s it spent frozen are not a delay.
    const { documents } = readEmf(fn.stdoutLines().join('\n'));
    const delays = samples(documents, 'nodejs.eventloop.delay.p99');
    expect(delays).toHaveLength(2);
    expect(Math.max(...delays)).toBeLessThan(1);
  });
});
