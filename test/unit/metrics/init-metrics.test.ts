import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { readEmf } from '../../helpers/emf-reader.js';

let stdout: MockInstance;
beforeEach(() => {
  vi.resetModules();
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.stubEnv('OTEL_SDK_DISABLED', 'true');
  vi.stubEnv('LOOKOUT_DIAGNOSTICS_LEVEL', 'none');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function written(): string {
  return stdout.mock.calls.map(([chunk]) => String(chunk)).join('');
}

describe('the metrics object and init()', () => {
  it('is importable before init() and carries init()’s configuration afterwards, same object', async () => {
    const lookout = await import('../../../src/index.js');
    const before = lookout.metrics;

    const handle = lookout.init({
      serviceName: 'orders',
      environment: 'staging',
      metrics: { namespace: 'Shop', highResolution: true },
      shutdown: { handleSignals: false },
    });
    lookout.metrics.addMetric('OrderPlaced', lookout.MetricUnit.Count, 1);
    await handle.shutdown();

    expect(lookout.metrics).toBe(before);
    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    const placed = documents.find((document) => document.root.OrderPlaced === 1);
    expect(placed?.directives[0]).toEqual({
      Namespace: 'Shop',
      Dimensions: [['Service', 'Environment']],
      Metrics: [{ Name: 'OrderPlaced', Unit: 'Count', StorageResolution: 1 }],
    });
    expect(placed?.root).toMatchObject({ Service: 'orders', Environment: 'staging' });
  });

  it('writes nothing when Lookout is disabled', async () => {
    const lookout = await import('../../../src/index.js');
    const core = await import('../../../src/core.js');

    const handle = lookout.init({ enabled: false });
    lookout.metrics.addMetric('OrderPlaced', lookout.MetricUnit.Count, 1);
    lookout.metrics.publishStoredMetrics();
    core.recordRequest({ method: 'GET', route: '/a', statusCode: 200, durationMs: 1 });
    core.flushInvocationMetrics();
    await handle.shutdown();

    expect(written()).toBe('');
  });
});
