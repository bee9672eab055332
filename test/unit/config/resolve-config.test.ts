import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { LookoutConfigError } from '../../../src/errors/index.js';
import { detectRuntime, type RuntimeInfo } from '../../../src/runtime/index.js';

const LOCAL: RuntimeInfo = detectRuntime({}, () => undefined);
const APP = { name: 'orders-app', version: '2.3.4' };

function resolve(env: Record<string, string> = {}, options?: Parameters<typeof resolveConfig>[0]['options']) {
  return resolveConfig({ env, options, runtime: detectRuntime(env, () => undefined), appPackage: APP });
}

describe('configuration precedence', () => {
  it('prefers the option in code over every variable', () => {
    const { config } = resolve(
      {
        LOOKOUT_SERVICE_NAME: 'from-lookout',
        OTEL_SERVICE_NAME: 'from-otel',
        POWERTOOLS_SERVICE_NAME: 'from-pt',
      },
      { serviceName: 'from-code' },
    );

    expect(config.serviceName).toBe('from-code');
    expect(config.sources.serviceName).toBe('option');
  });

  it('prefers LOOKOUT_* over OTEL_* over POWERTOOLS_*', () => {
    expect(
      resolve({ LOOKOUT_SERVICE_NAME: 'a', OTEL_SERVICE_NAME: 'b', POWERTOOLS_SERVICE_NAME: 'c' }).config
        .serviceName,
    ).toBe('a');
    expect(resolve({ OTEL_SERVICE_NAME: 'b', POWERTOOLS_SERVICE_NAME: 'c' }).config.serviceName).toBe('b');
    expect(resolve({ POWERTOOLS_SERVICE_NAME: 'c' }).config.sources.serviceName).toBe(
      'POWERTOOLS_SERVICE_NAME',
    );
  });

  it('treats empty and whitespace-only variables as unset', () => {
    const { config, warnings } = resolve({ OTEL_SERVICE_NAME: '   ', OTEL_TRACES_SAMPLER: '' });

    expect(config.serviceName).toBe('orders-app');
    expect(config.tracing.sampler).toBe('parentbased_always_on');
    expect(warnings).toEqual([]);
  });

  it('falls back to the next source with one warning naming the variable, value and accepted values', () => {
    const { config, warnings } = resolve({
      LOOKOUT_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER: 'always_off',
    });

    expect(config.tracing.sampler).toBe('always_off');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.variable).toBe('LOOKOUT_TRACES_SAMPLER');
    expect(warnings[0]?.message).toContain('"sometimes"');
    expect(warnings[0]?.message).toContain('always_on, always_off');
    expect(warnings[0]?.message).toContain('from OTEL_TRACES_SAMPLER');
  });

  it('falls back to the default when every source is invalid', () => {
    const { config, warnings } = resolve({ OTEL_TRACES_SAMPLER_ARG: '1.5' });

    expect(config.tracing.samplerArg).toBe(1);
    expect(warnings[0]?.message).toContain('using the default 1');
  });
});

describe('service identity defaults', () => {
  it('takes the Lambda function name, then the package name, then unknown_service:node', () => {
    expect(resolve({ AWS_LAMBDA_FUNCTION_NAME: 'checkout-fn' }).config.serviceName).toBe('checkout-fn');
    expect(resolve().config.serviceName).toBe('orders-app');
    const bare = resolveConfig({
      env: {},
      runtime: LOCAL,
      appPackage: { name: undefined, version: undefined },
    });
    expect(bare.config.serviceName).toBe('unknown_service:node');
  });

  it('uses service.name from OTEL_RESOURCE_ATTRIBUTES only when no service-name variable is set', () => {
    expect(resolve({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs' }).config.serviceName).toBe(
      'from-attrs',
    );
    expect(
      resolve({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs', OTEL_SERVICE_NAME: 'from-env' }).config
        .serviceName,
    ).toBe('from-env');
    expect(
      resolve({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs', POWERTOOLS_SERVICE_NAME: 'from-pt' })
        .config.serviceName,
    ).toBe('from-pt');
  });

  // An empty service name or environment is no name: X-Ray refuses a segment without a name,
  // CloudWatch a dimension without a value. As an empty variable, an empty attribute is unset.
  it.each([
    ['empty', ''],
    ['blank', '%20%20'],
  ])(
    'falls back past %s service.name, service.version and environment in OTEL_RESOURCE_ATTRIBUTES',
    (_, empty) => {
      const { config } = resolve({
        OTEL_RESOURCE_ATTRIBUTES: `service.name=${empty},service.version=${empty},deployment.environment.name=${empty},deployment.environment=staging`,
      });

      expect(config.serviceName).toBe('orders-app');
      expect(config.serviceVersion).toBe('2.3.4');
      expect(config.environment).toBe('staging');
    },
  );

  it('takes the version from the Lambda function version, then package.json', () => {
    expect(
      resolve({ AWS_LAMBDA_FUNCTION_NAME: 'f', AWS_LAMBDA_FUNCTION_VERSION: '7' }).config.serviceVersion,
    ).toBe('7');
    expect(resolve().config.serviceVersion).toBe('2.3.4');
  });

  // The specification: ',' and '=' in keys and values MUST be percent-encoded, so keys are
  // decoded like values (as OpenTelemetry's own resource detector does).
  it('percent-decodes the keys of OTEL_RESOURCE_ATTRIBUTES as well as the values', () => {
    const { config, warnings } = resolve({
      OTEL_RESOURCE_ATTRIBUTES: 'team%3Dname=orders,region%2Czone=eu%2C1,service.name=shop%20api,bad%ZZ=x',
    });

    expect(config.resourceAttributes).toEqual({
      'team=name': 'orders',
      'region,zone': 'eu,1',
      'service.name': 'shop api',
    });
    expect(config.serviceName).toBe('shop api');
    expect(warnings.map((warning) => warning.message)).toEqual([
      'OTEL_RESOURCE_ATTRIBUTES: ignored "bad%ZZ": bad percent-encoding',
    ]);
  });

  it('derives the environment from resource attributes, then NODE_ENV, then the runtime', () => {
    expect(
      resolve({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging' }).config.environment,
    ).toBe('staging');
    expect(resolve({ NODE_ENV: 'test' }).config.environment).toBe('test');
    expect(resolve().config.environment).toBe('development');
    expect(resolve({ AWS_LAMBDA_FUNCTION_NAME: 'f' }).config.environment).toBe('production');
    expect(resolve({ LOOKOUT_ENVIRONMENT: 'qa', NODE_ENV: 'test' }).config.environment).toBe('qa');
  });
});

describe('tracing settings', () => {
  it('turns tracing off with OTEL_SDK_DISABLED=true, reading the variable inverted', () => {
    const { config } = resolve({ OTEL_SDK_DISABLED: 'TRUE' });

    expect(config.tracing.enabled).toBe(false);
    expect(config.sources['tracing.enabled']).toBe('OTEL_SDK_DISABLED');
    expect(config.enabled).toBe(true);
  });

  it('reads OTEL_TRACES_EXPORTER as a list and none as an empty list', () => {
    expect(resolve({ OTEL_TRACES_EXPORTER: 'otlp, console' }).config.tracing.exporters).toEqual([
      'otlp',
      'console',
    ]);
    expect(resolve({ OTEL_TRACES_EXPORTER: 'none' }).config.tracing.exporters).toEqual([]);
    expect(resolve().config.tracing.exporters).toEqual(['otlp']);
  });

  it('drops unknown list items with a warning and keeps the known ones', () => {
    const { config, warnings } = resolve({ OTEL_PROPAGATORS: 'tracecontext,b3,xray' });

    expect(config.tracing.propagators).toEqual(['tracecontext', 'xray']);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'OTEL_PROPAGATORS: ignored unknown item "b3"',
    ]);
  });

  it('removes disabled instrumentations from the enabled ones', () => {
    const { config } = resolve({
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express,undici',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici',
    });

    expect(config.tracing.instrumentations).toEqual(['http', 'express']);
  });

  it('appends /v1/traces to the general endpoint and uses the traces endpoint as is', () => {
    expect(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).config.tracing.otlp.url).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      resolve({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:9999/custom',
      }).config.tracing.otlp.url,
    ).toBe('http://other:9999/custom');
    expect(resolve().config.tracing.otlp.url).toBe('http://localhost:4318/v1/traces');
  });

  it('merges general and traces headers, traces headers winning, with percent-decoding', () => {
    const { config } = resolve({
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%20def,x-team=core',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=traces',
    });

    expect(config.tracing.otlp.headers).toEqual({ 'x-api-key': 'abc def', 'x-team': 'traces' });
  });

  it('percent-decodes header names as OpenTelemetry does', () => {
    const { config } = resolve({ OTEL_EXPORTER_OTLP_HEADERS: 'x%2Dapi%2Dkey=abc' });

    expect(config.tracing.otlp.headers).toEqual({ 'x-api-key': 'abc' });
  });

  // A header Node refuses to send fails every export request, so one bad pair would lose all
  // the telemetry: it is dropped with a warning that names the header, never its value.
  it.each([
    ['a name that is not an HTTP token', 'bad key=secret', 'bad key'],
    ['a control character in the value', 'x-token=se%0Acret', 'x-token'],
    ['a character Node cannot send in the value', 'x-token=s%E2%82%ACcret', 'x-token'],
  ])('drops a header with %s and keeps the others', (_, pair, name) => {
    const { config, warnings } = resolve({ OTEL_EXPORTER_OTLP_HEADERS: `x-team=core,${pair}` });

    expect(config.tracing.otlp.headers).toEqual({ 'x-team': 'core' });
    expect(config.metrics.otlp.headers).toEqual({ 'x-team': 'core' });
    expect(config.logs.otlp.headers).toEqual({ 'x-team': 'core' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain(
      `OTEL_EXPORTER_OTLP_HEADERS: ignored "${name}": a header HTTP cannot carry`,
    );
    expect(warnings[0]?.message).not.toContain('cret');
  });

  it('keeps header values Node sends as they are: tabs, spaces and Latin-1 letters', () => {
    const { config, warnings } = resolve({ OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-note=caf%C3%A9%09ok' });

    expect(config.tracing.otlp.headers).toEqual({ 'x-note': 'caf\u00e9\tok' });
    expect(warnings).toEqual([]);
  });

  it('takes the traces protocol and timeout over the general ones', () => {
    const { config } = resolve({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '3000',
    });

    expect(config.tracing.otlp.protocol).toBe('http/json');
    expect(config.tracing.otlp.timeoutMs).toBe(3000);
  });

  it.each([
    ['logs', 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', 'OTEL_EXPORTER_OTLP_LOGS_TIMEOUT'],
    ['logs', 'LOOKOUT_OTLP_LOGS_PROTOCOL', 'LOOKOUT_OTLP_LOGS_TIMEOUT_MS'],
    ['metrics', 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT'],
    ['tracing', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'],
  ] as const)(
    'takes the %s protocol (%s) and timeout (%s) over the general ones',
    (signal, protocol, timeout) => {
      const { config, warnings } = resolve({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
        [protocol]: 'http/json',
        [timeout]: '3000',
      });

      expect(config[signal].otlp).toMatchObject({ protocol: 'http/json', timeoutMs: 3000 });
      expect(warnings).toEqual([]);
    },
  );

  // docs/configuration.md#precedence: the source decides before the signal does. An option in
  // code wins over every variable, a signal's own or the shared one; between two of one source
  // the signal's own wins, as OpenTelemetry's signal-specific variables do.
  it.each([
    ['tracing', 'OTEL_EXPORTER_OTLP_TRACES', 'v1/traces'],
    ['metrics', 'OTEL_EXPORTER_OTLP_METRICS', 'v1/metrics'],
    ['logs', 'OTEL_EXPORTER_OTLP_LOGS', 'v1/logs'],
  ] as const)('prefers the otlp options in code over the %s variables (%s_*)', (signal, prefix, path) => {
    // Prepare
    const env = {
      [`${prefix}_ENDPOINT`]: 'http://from-env:4318/custom',
      [`${prefix}_PROTOCOL`]: 'http/protobuf',
      [`${prefix}_TIMEOUT`]: '3000',
      [`${prefix}_HEADERS`]: 'x-api-key=from-env,x-env=kept',
      [`${prefix}_CERTIFICATE`]: 'env-ca.pem',
    };
    const options = {
      otlp: {
        endpoint: 'http://from-code:4318',
        protocol: 'http/json',
        timeoutMs: 1500,
        headers: { 'x-api-key': 'from-code' },
        certificate: 'code-ca.pem',
      },
    } as const;

    // Act
    const { config } = resolve(env, options);

    // Assess
    expect(config[signal].otlp).toMatchObject({
      url: `http://from-code:4318/${path}`,
      protocol: 'http/json',
      timeoutMs: 1500,
      headers: { 'x-api-key': 'from-code', 'x-env': 'kept' },
      tls: { certificate: { path: 'code-ca.pem', from: 'option otlp.certificate' } },
    });
  });

  it('prefers a LOOKOUT_ variable for every signal over a standard one for the signal', () => {
    // Prepare
    const env = {
      LOOKOUT_OTLP_ENDPOINT: 'http://from-lookout:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://from-otel:4318/v1/traces',
    };

    // Act
    const { config } = resolve(env);

    // Assess
    expect(config.tracing.otlp.url).toBe('http://from-lookout:4318/v1/traces');
  });

  it("keeps the signal's own over the shared setting from the same source", () => {
    // Prepare
    const options = {
      otlp: { endpoint: 'http://shared:4318', timeoutMs: 1000 },
      tracing: { otlp: { endpoint: 'http://traces:4318/custom', timeoutMs: 2000 } },
    };

    // Act
    const fromCode = resolve({}, options).config.tracing.otlp;
    const fromEnv = resolve({
      LOOKOUT_OTLP_ENDPOINT: 'http://shared:4318',
      LOOKOUT_TRACES_ENDPOINT: 'http://traces:4318/custom',
    }).config.tracing.otlp;

    // Assess
    expect(fromCode).toMatchObject({ url: 'http://traces:4318/custom', timeoutMs: 2000 });
    expect(fromEnv.url).toBe('http://traces:4318/custom');
  });

  it('takes the logs protocol and timeout from init() options', () => {
    const { config } = resolve(
      { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf' },
      { logs: { otlp: { protocol: 'http/json', timeoutMs: 1500 } } },
    );

    expect(config.logs.otlp).toMatchObject({ protocol: 'http/json', timeoutMs: 1500 });
  });

  it('warns about grpc, which Lookout does not load, and keeps http/protobuf', () => {
    const { config, warnings } = resolve({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });

    expect(config.tracing.otlp.protocol).toBe('http/protobuf');
    expect(warnings[0]?.message).toContain('OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is ignored');
  });

  it('accepts a single exporter name in code', () => {
    expect(resolve({}, { tracing: { exporter: 'console' } }).config.tracing.exporters).toEqual(['console']);
  });
});

describe('invalid options in code', () => {
  it('throws LookoutConfigError naming the option, the value and what is accepted', () => {
    const act = () => resolve({}, { tracing: { sampler: 'sometimes' as never } });

    expect(act).toThrow(LookoutConfigError);
    expect(act).toThrow(
      'Invalid option "tracing.sampler": received "sometimes"; expected one of: always_on, always_off, traceidratio',
    );
  });

  it('rejects an unknown option and suggests the right spelling', () => {
    expect(() => resolve({}, { servicename: 'x' } as never)).toThrow('(did you mean "serviceName"?)');
  });

  it('rejects values of the wrong type or range', () => {
    expect(() => resolve({}, { shutdown: { timeoutMs: -1 } })).toThrow('shutdown.timeoutMs');
    expect(() => resolve({}, { tracing: { samplerArg: Number.NaN } })).toThrow('tracing.samplerArg');
    expect(() => resolve({}, { otlp: { endpoint: 'ftp://x' } })).toThrow('an http:// or https:// URL');
    expect(() => resolve({}, { tracing: { propagators: ['xray', 'b3' as never] } })).toThrow(
      'tracing.propagators',
    );
    expect(() => resolve({}, { resourceAttributes: { team: 1 as never } })).toThrow('resourceAttributes');
    expect(() => resolve({}, { tracing: 'on' as never })).toThrow('Invalid option "tracing"');
    expect(() => resolveConfig({ env: {}, options: 42 as never })).toThrow('Invalid option "options"');
  });

  it('rejects a header in code that Node could not send, naming the header and not its value', () => {
    const act = () => resolve({}, { tracing: { otlp: { headers: { 'x-token': 'se\ncret' } } } });

    expect(act).toThrow(LookoutConfigError);
    expect(act).toThrow('Invalid option "tracing.otlp.headers": received "x-token"');
    expect(act).not.toThrow('cret');
  });

  // `['/health', , '/ready']`, a doubled comma: the hole is no string, and would reach the
  // per-request path matcher as undefined.
  it.each([
    ['excludedPaths', (list: string[]) => ({ excludedPaths: list })],
    ['xray.annotations', (list: string[]) => ({ xray: { annotations: list } })],
    ['http.trustedProxies', (list: string[]) => ({ http: { trustedProxies: list } })],
  ])('rejects a list option with a hole in %s', (option, options) => {
    const sparse = ['/health'];
    sparse[2] = '/ready';

    const act = () => resolve({}, options(sparse));

    expect(act).toThrow(LookoutConfigError);
    expect(act).toThrow(`Invalid option "${option}"`);
  });

  it('does not mention secret header values when rejecting them', () => {
    const act = () => resolve({}, { otlp: { headers: { authorization: ['x'] as never } } });

    expect(act).toThrow('received a value of type object');
  });
});

describe('the resolved configuration', () => {
  it('is frozen all the way down', () => {
    const { config } = resolve({ OTEL_EXPORTER_OTLP_HEADERS: 'a=b' });

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.tracing.otlp.headers)).toBe(true);
    expect(Object.isFrozen(config.tracing.exporters)).toBe(true);
  });

  it('does not handle signals on Lambda by default, and does elsewhere', () => {
    expect(resolve({ AWS_LAMBDA_FUNCTION_NAME: 'f' }).config.shutdown.handleSignals).toBe(false);
    expect(resolve().config.shutdown.handleSignals).toBe(true);
  });
});
