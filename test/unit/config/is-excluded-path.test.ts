import { describe, expect, it } from 'vitest';
import { createPathMatcher } from '../../../src/config/index.js';

describe('excluded path matching', () => {
  const isExcluded = createPathMatcher(['/health', '/internal/*']);

  it('matches exact paths and ignores the query string', () => {
    expect(isExcluded('/health')).toBe(true);
    expect(isExcluded('/health?deep=1')).toBe(true);
    expect(isExcluded('/healthz')).toBe(false);
    expect(isExcluded('/health/db')).toBe(false);
  });

  it('matches prefixes for patterns ending in *', () => {
    expect(isExcluded('/internal/metrics')).toBe(true);
    expect(isExcluded('/internal/')).toBe(true);
    expect(isExcluded('/internals')).toBe(false);
  });

  it('matches nothing when the list is empty or the url is missing', () => {
    expect(createPathMatcher([])('/health')).toBe(false);
    expect(isExcluded(undefined)).toBe(false);
  });
});
