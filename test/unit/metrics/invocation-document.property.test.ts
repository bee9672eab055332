// The Lambda delivery writes an invocation's EMF document from its fixed text per Operation
// (docs/decisions/0014-lambda-delivery-after-the-response.md); these tests prove it byte for
// byte what the aggregator's path writes for the same invocation, and valid EMF.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import {
  type InvocationRecord,
  MetricRecorder,
  type MetricRecorderOptions,
} from '../../../src/metrics/index.js';
import { readEmf } from '../../helpers/emf-reader.js';

// A fixed time for both paths, within the window the EMF reader accepts.
const NOW = Math.trunc(Date.now());

let restore: () => void;
beforeEach(() => {
  restore = diagnostics.captureForTesting(() => {});
});
afterEach(() => restore());

/** A recorder writing into a string, at a fixed time. */
function create(options: Partial<MetricRecorderOptions>) {
  const writes: string[] = [];
  const recorder = new MetricRecorder({
    namespace: 'Lookout',
    service: 'orders',
    environment: 'test',
    storageResolution: 60,
    requestMetrics: true,
    maxGroups: 1000,
    write: (text) => {
      writes.push(text);
    },
    now: () => NOW,
    ...options,
  });
  return { recorder, writes };
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  maxLength: 40,
});
const options = fc.record({
  namespace: fc.oneof(
    fc.constantFrom('Lookout', 'Bench', 'My/App "ns"'),
    printable.filter((text) => text !== ''),
  ),
  service: fc.oneof(
    fc.constantFrom('orders', 'x'),
    printable.filter((text) => text.trim() !== ''),
  ),
  environment: fc.oneof(
    fc.constantFrom('prod', 'test'),
    printable.filter((text) => text.trim() !== ''),
  ),
  storageResolution: fc.constantFrom<1 | 60>(1, 60),
});
const record: fc.Arbitrary<InvocationRecord> = fc.record(
  {
    operation: fc.oneof(
      fc.constantFrom('GET /items/{id}', 'POST /orders', 'Invoke', '', '   '),
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'grapheme', maxLength: 10 }),
      fc.string({ minLength: 1000, maxLength: 1100 }),
    ),
    durationMs: fc.oneof(
      fc.double({ min: 0, max: 900_000, noNaN: true }),
      fc.constantFrom(0, -0, 1e-7, 12.3456789, Number.MAX_VALUE, -1, Number.NaN, Number.POSITIVE_INFINITY),
    ),
    coldStart: fc.boolean(),
    failed: fc.boolean(),
    statusCode: fc.oneof(
      fc.constantFrom(200, 201, 302, 400, 404, 499, 500, 503, 599, 99, 600, 200.5),
      fc.integer(),
    ),
  },
  { requiredKeys: ['durationMs', 'coldStart'] },
);

describe("an invocation's EMF document", () => {
  it('is what recordInvocation and flush write, for any invocation and configuration', () => {
    fc.assert(
      fc.property(options, record, (configured, invocation) => {
        const direct = create(configured);
        const aggregated = create(configured);

        direct.recorder.writeInvocation(invocation);
        aggregated.recorder.recordInvocation(invocation);
        aggregated.recorder.flush();

        expect(direct.writes.join('')).toBe(aggregated.writes.join(''));
        expect(direct.writes.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('is written from its fixed text in one write, valid EMF', () => {
    const { recorder, writes } = create({});

    recorder.writeInvocation({
      operation: 'GET /items/{id}',
      durationMs: 1.25,
      coldStart: false,
      statusCode: 404,
    });

    expect(writes).toHaveLength(1);
    const { invalid } = readEmf(writes.join(''));
    expect(invalid).toEqual([]);
    expect(writes.map((text) => JSON.parse(text))).toEqual([
      {
        _aws: {
          Timestamp: NOW,
          CloudWatchMetrics: [
            {
              Namespace: 'Lookout',
              Dimensions: [
                ['Service', 'Environment', 'Operation'],
                ['Service', 'Environment'],
              ],
              Metrics: [
                { Name: 'Invocations', Unit: 'Count' },
                { Name: 'Error', Unit: 'Count' },
                { Name: 'Fault', Unit: 'Count' },
                { Name: 'Latency', Unit: 'Milliseconds' },
              ],
            },
          ],
        },
        Service: 'orders',
        Environment: 'test',
        Operation: 'GET /items/{id}',
        Invocations: 1,
        Error: 1,
        Fault: 0,
        Latency: 1.25,
      },
    ]);
  });

  it('goes with what was aggregated before it, as a flush would write it', () => {
    const direct = create({});
    const aggregated = create({});
    for (const { recorder } of [direct, aggregated])
      recorder.count('AuditEvents', { Action: 'user.login', Status: 'success' }, 1);

    direct.recorder.writeInvocation({ operation: 'Invoke', durationMs: 3, coldStart: false });
    aggregated.recorder.recordInvocation({ operation: 'Invoke', durationMs: 3, coldStart: false });
    aggregated.recorder.flush();

    expect(direct.writes).toEqual(aggregated.writes);
  });
});
