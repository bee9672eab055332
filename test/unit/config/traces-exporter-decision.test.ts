import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { resolveTracesExporters } from '../../../src/config/resolve-traces-exporters.js';
import { detectRuntime } from '../../../src/runtime/index.js';

const LAMBDA_ENV = { AWS_LAMBDA_FUNCTION_NAME: 'orders', AWS_REGION: 'eu-west-1' };
const APP = { name: 'orders-api', version: '1.0.0' };

function resolve(env: Record<string, string>, options?: Parameters<typeof resolveConfig>[0]['options']) {
  const { config } = resolveConfig({
    env,
    options,
    runtime: detectRuntime(env, () => undefined),
    appPackage: APP,
  });
  return { exporters: config.tracing.exporters, source: config.sources['tracing.exporter'] };
}

describe('the default span exporter', () => {
  it.each([
    { case: 'a server, nothing set', env: {}, exporters: ['otlp'], source: 'derived: not on AWS Lambda' },
    {
      case: 'Lambda, no collector',
      env: LAMBDA_ENV,
      exporters: ['xray'],
      source: 'derived: AWS Lambda with no collector configured',
    },
    {
      case: 'Lambda with a collector layer configured',
      env: { ...LAMBDA_ENV, OPENTELEMETRY_COLLECTOR_CONFIG_URI: '/var/task/collector.yaml' },
      exporters: ['otlp'],
      source: 'derived: collector configured by OPENTELEMETRY_COLLECTOR_CONFIG_URI',
    },
    {
      case: 'Lambda with OTEL_EXPORTER_OTLP_ENDPOINT',
      env: { ...LAMBDA_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' },
      exporters: ['otlp'],
      source: 'derived: OTLP endpoint set by OTEL_EXPORTER_OTLP_ENDPOINT',
    },
    {
      case: 'Lambda with OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      env: { ...LAMBDA_ENV, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4318/v1/traces' },
      exporters: ['otlp'],
      source: 'derived: OTLP endpoint set by OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    },
    {
      case: 'Lambda with LOOKOUT_OTLP_ENDPOINT',
      env: { ...LAMBDA_ENV, LOOKOUT_OTLP_ENDPOINT: 'http://localhost:4318' },
      exporters: ['otlp'],
      source: 'derived: OTLP endpoint set by LOOKOUT_OTLP_ENDPOINT',
    },
    {
      case: 'Lambda with LOOKOUT_TRACES_ENDPOINT',
      env: { ...LAMBDA_ENV, LOOKOUT_TRACES_ENDPOINT: 'http://localhost:4318/v1/traces' },
      exporters: ['otlp'],
      source: 'derived: OTLP endpoint set by LOOKOUT_TRACES_ENDPOINT',
    },
    {
      case: 'Lambda with OTEL_TRACES_EXPORTER=otlp chosen explicitly',
      env: { ...LAMBDA_ENV, OTEL_TRACES_EXPORTER: 'otlp' },
      exporters: ['otlp'],
      source: 'OTEL_TRACES_EXPORTER',
    },
    {
      case: 'a server with OTEL_TRACES_EXPORTER=xray',
      env: { OTEL_TRACES_EXPORTER: 'xray' },
      exporters: ['xray'],
      source: 'OTEL_TRACES_EXPORTER',
    },
    {
      case: 'Lambda with an empty OTLP endpoint variable (counts as unset)',
      env: { ...LAMBDA_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: '  ' },
      exporters: ['xray'],
      source: 'derived: AWS Lambda with no collector configured',
    },
  ])('$case: $exporters', ({ env, exporters, source }) => {
    expect(resolve(env)).toEqual({ exporters, source });
  });

  it('follows an OTLP endpoint passed in code on Lambda', () => {
    expect(resolve(LAMBDA_ENV, { otlp: { endpoint: 'http://collector:4318' } })).toEqual({
      exporters: ['otlp'],
      source: 'derived: OTLP endpoint set by option',
    });
  });

  it('follows an exporter passed in code over every rule', () => {
    expect(
      resolveTracesExporters({
        chosen: ['console'],
        onLambda: true,
        collectorConfigUri: undefined,
        otlpEndpointSource: 'default',
        tracesEndpointSource: 'default',
      }),
    ).toEqual({ exporters: ['console'], reason: undefined });
  });
});

describe('X-Ray settings', () => {
  it('reads the daemon address from AWS_XRAY_DAEMON_ADDRESS and the annotation list', () => {
    const { config } = resolveConfig({
      env: {
        AWS_XRAY_DAEMON_ADDRESS: 'udp:10.0.0.1:2000 tcp:10.0.0.1:2001',
        LOOKOUT_XRAY_ANNOTATIONS: 'http.route,tenant.id',
      },
      runtime: detectRuntime({}, () => undefined),
      appPackage: APP,
    });

    expect(config.xray).toEqual({
      daemonAddress: 'udp:10.0.0.1:2000 tcp:10.0.0.1:2001',
      annotations: ['http.route', 'tenant.id'],
    });
    expect(config.sources['xray.daemonAddress']).toBe('AWS_XRAY_DAEMON_ADDRESS');
  });

  it('warns about an invalid daemon address variable and uses the default', () => {
    const { config, warnings } = resolveConfig({
      env: { AWS_XRAY_DAEMON_ADDRESS: 'localhost:notaport' },
      runtime: detectRuntime({}, () => undefined),
      appPackage: APP,
    });

    expect(config.xray.daemonAddress).toBe('127.0.0.1:2000');
    expect(warnings.map((warning) => warning.variable)).toEqual(['AWS_XRAY_DAEMON_ADDRESS']);
    expect(warnings[0]?.message).toContain('udp:host:port tcp:host:port');
  });

  it('lets LOOKOUT_XRAY_DAEMON_ADDRESS win over AWS_XRAY_DAEMON_ADDRESS', () => {
    const { config } = resolveConfig({
      env: { AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000', LOOKOUT_XRAY_DAEMON_ADDRESS: '127.0.0.1:3000' },
      runtime: detectRuntime({}, () => undefined),
      appPackage: APP,
    });

    expect(config.xray.daemonAddress).toBe('127.0.0.1:3000');
  });

  it('throws for an invalid daemon address passed in code', () => {
    expect(() =>
      resolveConfig({
        env: {},
        options: { xray: { daemonAddress: 'nowhere' } },
        runtime: detectRuntime({}, () => undefined),
        appPackage: APP,
      }),
    ).toThrow(/xray\.daemonAddress.*udp:host:port/);
  });

  it('throws for more annotation attributes than X-Ray can index', () => {
    const annotations = Array.from({ length: 51 }, (_, i) => `a${i}`);

    expect(() =>
      resolveConfig({
        env: {},
        options: { xray: { annotations } },
        runtime: detectRuntime({}, () => undefined),
        appPackage: APP,
      }),
    ).toThrow(/xray\.annotations/);
  });
});
