import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { LookoutConfigError } from '../../../src/errors/index.js';
import { detectRuntime } from '../../../src/runtime/index.js';

const APP = { name: 'shop-api', version: '1.0.0' };

function resolve(
  env: Record<string, string> = {},
  options: Parameters<typeof resolveConfig>[0]['options'] = {},
) {
  return resolveConfig({ env, options, appPackage: APP, runtime: detectRuntime(env, () => undefined) });
}

describe('metrics settings', () => {
  it('defaults to EMF on, namespace Lookout, a 60 s flush and no OpenTelemetry exporter', () => {
    const { config } = resolve();

    expect(config.metrics).toMatchObject({
      enabled: true,
      namespace: 'Lookout',
      flushIntervalMs: 60_000,
      highResolution: false,
      requestMetrics: true,
      exporters: [],
      exportIntervalMs: 60_000,
    });
    expect(config.metrics.otlp).toMatchObject({
      url: 'http://localhost:4318/v1/metrics',
      protocol: 'http/protobuf',
    });
  });

  it('takes the namespace from LOOKOUT_METRICS_NAMESPACE over POWERTOOLS_METRICS_NAMESPACE', () => {
    expect(resolve({ POWERTOOLS_METRICS_NAMESPACE: 'Shop' }).config.metrics.namespace).toBe('Shop');
    expect(
      resolve({ POWERTOOLS_METRICS_NAMESPACE: 'Shop', LOOKOUT_METRICS_NAMESPACE: 'Shop/Api' }).config.metrics
        .namespace,
    ).toBe('Shop/Api');
  });

  it('skips an invalid namespace variable with a warning and uses the next source', () => {
    const { config, warnings } = resolve({
      LOOKOUT_METRICS_NAMESPACE: 'AWS/Lambda',
      POWERTOOLS_METRICS_NAMESPACE: 'Shop',
    });

    expect(config.metrics.namespace).toBe('Shop');
    expect(warnings.map((warning) => warning.variable)).toEqual(['LOOKOUT_METRICS_NAMESPACE']);
  });

  it('throws LookoutConfigError for an invalid namespace passed in code', () => {
    expect(() => resolve({}, { metrics: { namespace: 'shop!' } })).toThrow(LookoutConfigError);
  });

  it.each([
    [{ POWERTOOLS_METRICS_DISABLED: 'true' }, false],
    [{ POWERTOOLS_METRICS_DISABLED: '1' }, false],
    [{ POWERTOOLS_METRICS_DISABLED: 'yes' }, false],
    [{ POWERTOOLS_METRICS_DISABLED: 'false' }, true],
    [{ POWERTOOLS_METRICS_DISABLED: 'maybe' }, true],
    [{ POWERTOOLS_DEV: 'true' }, false],
    [{ POWERTOOLS_DEV: 'true', POWERTOOLS_METRICS_DISABLED: 'false' }, true],
    [{ POWERTOOLS_METRICS_DISABLED: 'true', LOOKOUT_METRICS_ENABLED: 'true' }, true],
  ])('with %o metrics are enabled: %s (Powertools’ rule)', (env, enabled) => {
    expect(resolve(env).config.metrics.enabled).toBe(enabled);
  });

  it('reads OTEL_METRICS_EXPORTER and the metrics OTLP variables', () => {
    const { config } = resolve({
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=2',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'b=3',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
    });

    expect(config.metrics.exporters).toEqual(['otlp']);
    expect(config.metrics.exportIntervalMs).toBe(5000);
    expect(config.metrics.otlp).toEqual({
      url: 'http://collector:4318/v1/metrics',
      protocol: 'http/json',
      headers: { a: '1', b: '3' },
      // What the exporter must not read again itself (test/integration/core.otlp-headers.test.ts).
      exporterVariables: [
        'OTEL_EXPORTER_OTLP_HEADERS',
        'OTEL_EXPORTER_OTLP_METRICS_HEADERS',
        'OTEL_EXPORTER_OTLP_CERTIFICATE',
        'OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE',
        'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE',
        'OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE',
        'OTEL_EXPORTER_OTLP_CLIENT_KEY',
        'OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY',
      ],
      timeoutMs: 10_000,
      tls: {},
    });
  });

  it.each([
    [{}, 10_000],
    [{ OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '4000' }, 4000],
    [{ OTEL_METRIC_EXPORT_TIMEOUT: '45000' }, 45_000],
    [{ OTEL_METRIC_EXPORT_TIMEOUT: '45000', OTEL_METRIC_EXPORT_INTERVAL: '20000' }, 20_000],
    [{ LOOKOUT_METRICS_EXPORT_TIMEOUT_MS: '500', OTEL_METRIC_EXPORT_TIMEOUT: '45000' }, 500],
  ])('with %o a metrics export may take %i ms', (env, timeoutMs) => {
    expect(resolve(env).config.metrics.exportTimeoutMs).toBe(timeoutMs);
  });

  it('uses a full metrics endpoint as is', () => {
    const { config } = resolve({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318/custom' });

    expect(config.metrics.otlp.url).toBe('http://c:4318/custom');
  });

  it('says once that OTEL_SDK_DISABLED=true leaves the metrics and logs exporters asked for unused', () => {
    const { config, warnings } = resolve(
      { OTEL_SDK_DISABLED: 'true', OTEL_METRICS_EXPORTER: 'otlp' },
      { logs: { exporter: 'otlp' } },
    );

    expect(config.metrics.exporters).toEqual([]);
    expect(config.logs.exporters).toEqual([]);
    expect(config.sources['logs.exporter']).toBe('derived: OTEL_SDK_DISABLED=true');
    expect(warnings).toEqual([
      {
        variable: 'OTEL_SDK_DISABLED',
        message:
          'OTEL_SDK_DISABLED=true turns the OpenTelemetry SDK off: metrics.exporter otlp (from OTEL_METRICS_EXPORTER) and logs.exporter otlp (from init() options) not run. EMF metrics and log lines are unaffected.',
      },
    ]);
    expect(resolve({ OTEL_SDK_DISABLED: 'true' }).warnings).toEqual([]);
  });

  it('runs no OpenTelemetry metrics exporter when OTEL_SDK_DISABLED=true', () => {
    expect(
      resolve({ OTEL_METRICS_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }).config.metrics.exporters,
    ).toEqual([]);
  });

  it('warns about an unknown exporter and keeps the known ones', () => {
    const { config, warnings } = resolve({ OTEL_METRICS_EXPORTER: 'prometheus,otlp' });

    expect(config.metrics.exporters).toEqual(['otlp']);
    expect(warnings).toHaveLength(1);
  });

  it('rejects a flush interval out of range in code and falls back from the environment', () => {
    expect(() => resolve({}, { metrics: { flushIntervalMs: 0 } })).toThrow(LookoutConfigError);
    const { config, warnings } = resolve({ LOOKOUT_METRICS_FLUSH_INTERVAL_MS: 'soon' });
    expect(config.metrics.flushIntervalMs).toBe(60_000);
    expect(warnings).toHaveLength(1);
  });
});
