import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import {
  checkDimensionName,
  checkMetricName,
  checkNamespace,
  DEFAULT_METRICS_NAMESPACE,
  DIMENSION_NAMES,
  EMF_LIMITS,
  EMF_UNITS,
  LOOKOUT_METRICS,
  METRIC_NAMES,
} from '../../../src/metrics/index.js';

describe('metric names, units and dimensions', () => {
  it('accepts exactly the units Powertools accepts', () => {
    expect([...EMF_UNITS].sort()).toEqual(Object.values(MetricUnit).sort());
  });

  it('defines every metric name once, with a valid name, unit and dimension sets', () => {
    const names = Object.values(METRIC_NAMES);
    expect(Object.keys(LOOKOUT_METRICS).sort()).toEqual([...names].sort());
    const dimensionNames = new Set<string>(Object.values(DIMENSION_NAMES));
    for (const [key, definition] of Object.entries(LOOKOUT_METRICS)) {
      expect(definition.name).toBe(key);
      expect(checkMetricName(definition.name)).toBeUndefined();
      expect(EMF_UNITS).toContain(definition.unit);
      expect(dimensionNames.has(definition.name)).toBe(false);
      for (const set of definition.dimensionSets) {
        expect(set.length).toBeLessThanOrEqual(EMF_LIMITS.maxDimensionsPerSet);
        for (const dimension of set) expect(dimensionNames.has(dimension)).toBe(true);
      }
    }
    for (const dimension of dimensionNames) expect(checkDimensionName(dimension)).toBeUndefined();
  });

  it('uses the Application Signals names for request metrics', () => {
    expect([METRIC_NAMES.latency, METRIC_NAMES.error, METRIC_NAMES.fault]).toEqual([
      'Latency',
      'Error',
      'Fault',
    ]);
    expect([DIMENSION_NAMES.service, DIMENSION_NAMES.operation, DIMENSION_NAMES.environment]).toEqual([
      'Service',
      'Operation',
      'Environment',
    ]);
  });

  it('has a valid default namespace', () => {
    expect(checkNamespace(DEFAULT_METRICS_NAMESPACE)).toBeUndefined();
  });

  it.each(['', ' ', 'AWS/Lambda', 'shop!', 'x'.repeat(256)])('rejects the namespace %j', (namespace) => {
    expect(checkNamespace(namespace)).toBeDefined();
  });
});
