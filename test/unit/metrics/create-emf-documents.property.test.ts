import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmfDocuments, EMF_UNITS, type EmfMetricInput } from '../../../src/metrics/index.js';
import { findSum, readEmf, sumEmf } from '../../helpers/emf-reader.js';

const NOW = 1_700_000_000_000;

const metricName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{0,30}$/);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });
const metric = fc.record({
  unit: fc.constantFrom(...EMF_UNITS),
  storageResolution: fc.constantFrom(1 as const, 60 as const),
  value: fc.oneof(finite, fc.array(finite, { minLength: 1, maxLength: 450 })),
});

describe('EMF document shaping (properties)', () => {
  it('always writes valid documents that carry every value exactly once', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(metricName, metric), { maxLength: 230, selector: ([name]) => name }),
        fc.dictionary(
          fc.stringMatching(/^D[a-z]{0,8}$/),
          fc.stringMatching(/^[ -~]{1,40}$/).filter((v) => v.trim() !== ''),
          {
            maxKeys: 30,
          },
        ),
        (entries, dimensions) => {
          // Dimension names and metric names must differ, as the recorder guarantees.
          const metrics: EmfMetricInput[] = entries
            .filter(([name]) => !(name in dimensions))
            .map(([name, rest]) => ({ name, ...rest }));
          const group = { timestamp: NOW, dimensions, dimensionSets: [Object.keys(dimensions)], metrics };

          const lines = createEmfDocuments('Lookout', group, NOW);

          const { documents, invalid } = readEmf(`${lines.join('\n')}\n`, NOW);
          expect(invalid).toEqual([]);
          const sums = sumEmf(documents);
          for (const input of metrics) {
            // CloudWatch takes 0 and magnitudes from 2^-360 to 2^360; other values are dropped.
            const expected = (typeof input.value === 'number' ? [input.value] : input.value).filter(
              (value) => value === 0 || (Math.abs(value) >= 2 ** -360 && Math.abs(value) <= 2 ** 360),
            );
            // JSON has no negative zero: -0 is written (and read back) as 0.
            expect(findSum(sums, input.name, dimensions)?.values ?? []).toEqual(
              expected.map((value) => value + 0),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
