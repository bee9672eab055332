import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import { acceptDimension, dimensionEntries } from '../../../src/metrics/accept-dimensions.js';
import { METRIC_PROBLEMS } from '../../../src/metrics/report-metric-problem.js';

let warnings: string[];
let restore: () => void;

beforeEach(() => {
  warnings = [];
  restore = diagnostics.captureForTesting((line) => warnings.push(line));
});
afterEach(() => {
  restore();
});

const TAKEN = { cause: METRIC_PROBLEMS.collision, reason: 'is taken' } as const;

describe('the dimension check both EMF writers share', () => {
  it('accepts a valid name and value that are not taken', () => {
    expect(acceptDimension('Route', '/orders/:id', () => undefined)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('checks the name first: an invalid name that is also taken is reported as invalid', () => {
    expect(acceptDimension('caf\u00e9', '', () => TAKEN)).toBe(false);

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('dimension name "caf\u00e9" must be printable ASCII');
  });

  it('checks a clash before the value: a taken name with an invalid value is reported as taken', () => {
    expect(acceptDimension('Taken', '', () => TAKEN)).toBe(false);

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('dimension name "Taken" is taken');
  });

  it('checks the value last', () => {
    expect(acceptDimension('Free', '', () => undefined)).toBe(false);

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('value of dimension "Free" "" must be a non-empty string');
  });

  it('takes the entries of an object, and reports anything else once', () => {
    expect(dimensionEntries({ Route: '/a' })).toEqual([['Route', '/a']]);
    expect(dimensionEntries(null)).toBeUndefined();
    expect(dimensionEntries('Route=/a')).toBeUndefined();

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('are not an object of strings');
  });
});
