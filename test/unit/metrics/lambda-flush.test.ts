// Drives the Lambda flush API in-process the way the Lambda wrapper will: take the cold start
// once, run the handler, record the invocation and flush in `finally`. AWS Lambda itself is
// not involved; stdout is captured where the runtime would ship it to CloudWatch Logs.
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { diagnostics } from '../../../src/diag/index.js';
import {
  flushInvocationMetrics,
  type MetricsHandle,
  MetricUnit,
  metrics,
  recordInvocation,
  startMetrics,
} from '../../../src/metrics/index.js';
import { detectRuntime, takeColdStart } from '../../../src/runtime/index.js';
import { findSum, readEmf, sumEmf } from '../../helpers/emf-reader.js';

const ENV = { AWS_LAMBDA_FUNCTION_NAME: 'orders-fn', POWERTOOLS_SERVICE_NAME: 'orders', NODE_ENV: 'prod' };
const BASE = { Service: 'orders', Environment: 'prod' };

let stdout: MockInstance;
let part: MetricsHandle | undefined;
let restore: () => void;

beforeAll(() => {
  restore = diagnostics.captureForTesting(() => {});
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const { config } = resolveConfig({
    env: ENV,
    runtime: detectRuntime(ENV, () => undefined),
    appPackage: { name: undefined, version: undefined },
  });
  part = startMetrics(config);
});
afterAll(async () => {
  await part?.shutdown();
  vi.restoreAllMocks();
  restore();
});

function written(): string {
  return stdout.mock.calls.map(([chunk]) => String(chunk)).join('');
}

async function invoke<T>(handler: () => Promise<T>): Promise<T> {
  const coldStart = takeColdStart();
  const started = performance.now();
  let failed = false;
  try {
    return await handler();
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    recordInvocation({ durationMs: performance.now() - started, coldStart, failed });
    flushInvocationMetrics();
  }
}

describe('Lambda invocation metrics', () => {
  it('flushes at the end of every invocation, a throwing one included, with one ColdStart', async () => {
    expect(part).toBeDefined();
    const failure = new Error('boom');

    await invoke(async () => {
      metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);
    });
    const afterFirst = readEmf(written());
    await expect(
      invoke(async () => {
        metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);
        throw failure;
      }),
    ).rejects.toBe(failure);
    const afterSecond = readEmf(written());
    await invoke(async () => 'ok');

    // Everything an invocation recorded is on stdout before the invocation returns.
    expect(findSum(sumEmf(afterFirst.documents), 'Invocations', BASE)?.sum).toBe(1);
    expect(findSum(sumEmf(afterFirst.documents), 'OrderPlaced', BASE)?.sum).toBe(1);
    expect(findSum(sumEmf(afterSecond.documents), 'Fault', BASE)?.sum).toBe(1);
    expect(findSum(sumEmf(afterSecond.documents), 'OrderPlaced', BASE)?.sum).toBe(2);

    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    const sums = sumEmf(documents);
    expect(findSum(sums, 'Invocations', { ...BASE, Operation: 'Invoke' })?.sum).toBe(3);
    expect(findSum(sums, 'Fault', { ...BASE, Operation: 'Invoke' })?.sum).toBe(1);
    expect(findSum(sums, 'Latency', BASE)?.sampleCount).toBe(3);
    expect(findSum(sums, 'ColdStart', BASE)?.sum).toBe(1);
  });
});
