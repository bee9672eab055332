import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import { MetricRecorder } from '../../../src/metrics/index.js';
import { findSum, readEmf, sumEmf } from '../../helpers/emf-reader.js';

let restore: () => void;
beforeEach(() => {
  restore = diagnostics.captureForTesting(() => {});
});
afterEach(() => restore());

const request = fc.record({
  method: fc.constantFrom('GET', 'post', 'DELETE', 'BREW', ''),
  route: fc.constantFrom('/orders/:id', '/orders', undefined, '/ü/:x'),
  statusCode: fc.integer({ min: 100, max: 599 }),
  durationMs: fc.double({ min: 0, max: 60_000, noNaN: true }),
});
// Each step records a request or, sometimes, flushes: the timer racing with traffic.
const step = fc.oneof(
  { weight: 20, arbitrary: request },
  { weight: 1, arbitrary: fc.constant('flush' as const) },
);

describe('request metrics (properties)', () => {
  it('write exactly what was recorded, whatever the flush timing, in valid documents only', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 600 }), (steps) => {
        let output = '';
        const recorder = new MetricRecorder({
          namespace: 'Lookout',
          service: 'svc',
          environment: 'env',
          storageResolution: 60,
          requestMetrics: true,
          maxGroups: 1000,
          write: (text) => {
            output += text;
          },
        });
        const requests = steps.filter((entry) => entry !== 'flush');
        for (const entry of steps) {
          if (entry === 'flush') recorder.flush();
          else recorder.recordRequest(entry);
        }
        recorder.flush();

        const { documents, invalid } = readEmf(output);
        expect(invalid).toEqual([]);
        const sums = sumEmf(documents);
        const service = { Service: 'svc', Environment: 'env' };
        expect(findSum(sums, 'RequestCount', service)?.sum ?? 0).toBe(requests.length);
        expect(findSum(sums, 'Latency', service)?.sampleCount ?? 0).toBe(requests.length);
        expect(findSum(sums, 'Error', service)?.sum ?? 0).toBe(
          requests.filter((r) => r.statusCode >= 400 && r.statusCode < 500).length,
        );
        expect(findSum(sums, 'Fault', service)?.sum ?? 0).toBe(
          requests.filter((r) => r.statusCode >= 500).length,
        );
        // Operation only ever holds a method and a template (or UNMATCHED), never anything else.
        const operations = new Set(
          [...sums.values()]
            .map((entry) => entry.dimensions.Operation)
            .filter((value) => value !== undefined),
        );
        for (const operation of operations)
          expect(operation).toMatch(/^(GET|POST|DELETE|OTHER) (\/orders\/:id|\/orders|UNMATCHED|\/\?\/:x)$/);
      }),
      { numRuns: 80 },
    );
  });
});
