import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import { EMF_UNITS, LookoutMetrics } from '../../../src/metrics/index.js';
import { readEmf } from '../../helpers/emf-reader.js';

let restore: () => void;
let stdout: MockInstance;
beforeEach(() => {
  restore = diagnostics.captureForTesting(() => {});
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  restore();
  vi.restoreAllMocks();
});

// Names and values an app might plausibly (or carelessly) pass: short names so collisions
// between metric, dimension and metadata keys happen often, plus hostile values.
const key = fc.oneof(
  fc.constantFrom('A', 'B', 'Service', '_aws', '', ' ', ':x', 'Zürich'),
  fc.string({ maxLength: 6 }),
);
const value = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
  fc.anything(),
);
const unit = fc.oneof(fc.constantFrom(...EMF_UNITS), fc.string({ maxLength: 8 }));
const call = fc.oneof(
  fc.record({
    kind: fc.constant('metric' as const),
    name: key,
    unit,
    value,
    resolution: fc.constantFrom(undefined, 1, 60, 5),
  }),
  fc.record({ kind: fc.constant('dimension' as const), name: key, value: fc.oneof(key, fc.anything()) }),
  fc.record({ kind: fc.constant('dimensions' as const), entries: fc.dictionary(key, key, { maxKeys: 35 }) }),
  fc.record({ kind: fc.constant('metadata' as const), name: key, value: key }),
  fc.record({ kind: fc.constant('timestamp' as const), value: fc.oneof(fc.integer(), fc.double()) }),
  fc.constant({ kind: 'publish' as const }),
  fc.constant({ kind: 'single' as const }),
);

describe('the metrics object (properties)', () => {
  it('never throws and never writes an invalid document, whatever the app passes', () => {
    let documentsWritten = 0;
    fc.assert(
      fc.property(fc.array(call, { maxLength: 60 }), (calls) => {
        stdout.mockClear();
        const metrics = new LookoutMetrics();
        metrics.configure({
          namespace: 'Shop',
          defaultDimensions: { Service: 'orders', Environment: 'test' },
          disabled: false,
          defaultResolution: 60,
        });
        for (const entry of calls) {
          switch (entry.kind) {
            case 'metric':
              metrics.addMetric(
                entry.name,
                entry.unit as 'Count',
                entry.value as number,
                entry.resolution as 1,
              );
              break;
            case 'dimension':
              metrics.addDimension(entry.name, entry.value as string);
              break;
            case 'dimensions':
              metrics.addDimensions(entry.entries);
              break;
            case 'metadata':
              metrics.addMetadata(entry.name, entry.value);
              break;
            case 'timestamp':
              metrics.setTimestamp(entry.value);
              break;
            case 'publish':
              metrics.publishStoredMetrics();
              break;
            case 'single':
              metrics.singleMetric().addMetric('Single', 'Count', 1);
              break;
          }
        }
        metrics.publishStoredMetrics();

        const text = stdout.mock.calls.map(([chunk]) => String(chunk)).join('');
        const { documents, invalid } = readEmf(text);
        expect(invalid).toEqual([]);
        documentsWritten += documents.length;
      }),
      { numRuns: 300 },
    );
    // The property is only meaningful if valid input got through and was written.
    expect(documentsWritten).toBeGreaterThan(100);
  });
});
