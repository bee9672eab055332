// Contract tests for the Powertools Metrics members Lookout reaches although its types mark them
// private (src/metrics/internals/powertools-metrics-internals.ts,
// docs/decisions/0052-powertools-metrics-internals.md). Each runs the real, pinned Metrics, so an
// upgrade that removes or changes a member fails here, naming the member, before it fails
// anywhere else.
import { Console } from 'node:console';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  getMetricsConsole,
  getMetricsNamespace,
  guardEnvironmentReading,
  type MetricsConsole,
  replaceConsoleSetup,
  setMetricsConsole,
  setMetricsDisabled,
  setMetricsNamespace,
} from '../../../src/metrics/internals/powertools-metrics-internals.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

function capturing(metrics: Metrics): string[] {
  const written: string[] = [];
  const console: MetricsConsole = { log: (text) => written.push(text) };
  setMetricsConsole(metrics, console);
  return written;
}

/** Exposes the protected `isDisabled()` the way a subclass (LookoutMetrics) reads it. */
class Readable extends Metrics {
  disabledNow(): boolean {
    return this.isDisabled();
  }
}

describe('Powertools Metrics private members (pinned version)', () => {
  it('console is what each document is written with, one JSON string per call', () => {
    const metrics = new Metrics({ namespace: 'Contract' });
    expect(typeof getMetricsConsole(metrics).log, 'Metrics no longer has a console member').toBe('function');
    expect(
      getMetricsConsole(metrics),
      'outside dev mode the console is its own, not the global one',
    ).not.toBe(globalThis.console);
    const written = capturing(metrics);

    metrics.addMetric('Orders', MetricUnit.Count, 2);
    metrics.publishStoredMetrics();

    expect(written, 'Metrics no longer writes through its console member').toHaveLength(1);
    expect(JSON.parse(written[0] as string)).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Contract', Metrics: [{ Name: 'Orders', Unit: 'Count' }] }] },
      Orders: 2,
    });
  });

  it('console is the global console in POWERTOOLS_DEV mode', () => {
    vi.stubEnv('POWERTOOLS_DEV', 'true');

    expect(getMetricsConsole(new Metrics({ namespace: 'Contract' }))).toBe(globalThis.console);
  });

  it('namespace is read from the options and is the one documents are written under', () => {
    const metrics = new Metrics({ namespace: 'Before' });
    expect(getMetricsNamespace(metrics), 'namespace no longer holds the option').toBe('Before');
    const written = capturing(metrics);

    setMetricsNamespace(metrics, 'After');
    metrics.addMetric('Orders', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();

    expect(
      (JSON.parse(written[0] as string) as { _aws: { CloudWatchMetrics: Array<{ Namespace: string }> } })._aws
        .CloudWatchMetrics[0]?.Namespace,
      'documents no longer take the namespace member',
    ).toBe('After');
  });

  it('disabled turns writing off and on for an instance that exists, as isDisabled() reports', () => {
    const metrics = new Readable({ namespace: 'Contract' });
    const written = capturing(metrics);

    setMetricsDisabled(metrics, true);
    expect(metrics.disabledNow(), 'isDisabled() no longer reads the disabled member').toBe(true);
    metrics.addMetric('Orders', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    expect(written, 'a disabled instance still wrote').toEqual([]);

    setMetricsDisabled(metrics, false);
    expect(metrics.disabledNow()).toBe(false);
    metrics.addMetric('Orders', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    expect(written).toHaveLength(1);
  });

  it('setEnvConfig is where the constructor reads POWERTOOLS_METRICS_DISABLED and throws on a bad value', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'perhaps');
    expect(
      () => new Metrics({ namespace: 'Contract' }),
      'Powertools no longer throws on a bad value: the guard may go',
    ).toThrow();

    const errors: unknown[] = [];
    class Guarded extends Metrics {}
    guardEnvironmentReading(Guarded.prototype, (error) => errors.push(error));

    expect(
      () => new Guarded({ namespace: 'Contract' }),
      'setEnvConfig is no longer what throws',
    ).not.toThrow();
    expect(errors).toHaveLength(1);
  });

  it('setConsole is where the constructor builds its Console, and replacing it builds none', () => {
    const own = new Metrics({ namespace: 'Contract' });
    expect(
      getMetricsConsole(own),
      'Powertools no longer builds a Console per instance: the replacement may go',
    ).toBeInstanceOf(Console);

    const replaced: MetricsConsole = { log: () => {} };
    class Replaced extends Metrics {}
    replaceConsoleSetup(Replaced.prototype, () => replaced);
    const metrics = new Replaced({ namespace: 'Contract' });

    expect(getMetricsConsole(metrics), 'setConsole no longer sets the console').toBe(replaced);
    const written = capturing(metrics);
    metrics.addMetric('Orders', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    expect(written).toHaveLength(1);
  });
});
