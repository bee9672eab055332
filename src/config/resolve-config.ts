import type { DiagLevel } from '../diag/index.js';
import { describeValue, LookoutConfigError } from '../errors/index.js';
import {
  type AppPackage,
  defaultPackageSearchDirs,
  detectRuntime,
  type Env,
  findAppPackage,
  type RuntimeInfo,
  readEnv,
} from '../runtime/index.js';
import type {
  EsmLoaderMode,
  InstrumentationName,
  LambdaTraceContext,
  LogsExporterName,
  LookoutOptions,
  MetricsExporterName,
  OtlpProtocol,
  PropagatorName,
  SamplerName,
  TracesExporterName,
} from './options.js';
import { describeAccepted, parseEnvValue, validateOptionValue } from './parse-setting.js';
import { type LoggingConfig, resolveLoggingConfig } from './resolve-logging-config.js';
import { resolveTracesExporters } from './resolve-traces-exporters.js';
import {
  resolveXRaySampling,
  SAMPLER_ARG_VARIABLES,
  type XRaySamplingConfig,
} from './resolve-xray-sampling.js';
import type { DefaultContext, Setting } from './setting.js';
import { SETTINGS, type SettingPath, type SettingValue } from './settings/index.js';

/** Resolved OTLP endpoint settings for one signal. */
export interface OtlpTarget {
  readonly url: string;
  readonly protocol: OtlpProtocol;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The standard variables `headers` and `tls` were resolved from (OTEL_EXPORTER_OTLP_HEADERS,
   * OTEL_EXPORTER_OTLP_CERTIFICATE, … and the signal's own), which OpenTelemetry's OTLP
   * exporters would also read themselves: they are hidden from an exporter while it is built,
   * so that it sends exactly `headers`, with `tls`, and reads no file a second time.
   */
  readonly exporterVariables: readonly string[];
  readonly timeoutMs: number;
  /** The TLS files for an `https://` endpoint, when set; read once at start (load-otlp-tls.ts). */
  readonly tls: OtlpTlsFiles;
}

/** A file a setting names, and where the name came from (`option <path>` or a variable). */
export interface SettingFile {
  readonly path: string;
  readonly from: string;
}

/** The files of OTEL_EXPORTER_OTLP_CERTIFICATE, …_CLIENT_CERTIFICATE and …_CLIENT_KEY. */
export interface OtlpTlsFiles {
  readonly certificate?: SettingFile;
  readonly clientCertificate?: SettingFile;
  readonly clientKey?: SettingFile;
}

/** The one resolved, validated, frozen configuration every part of Lookout reads. */
export interface Config {
  readonly enabled: boolean;
  readonly serviceName: string;
  readonly serviceVersion: string | undefined;
  readonly environment: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly excludedPaths: readonly string[];
  readonly runtime: RuntimeInfo;
  readonly diagnostics: { readonly level: DiagLevel };
  readonly shutdown: { readonly timeoutMs: number; readonly handleSignals: boolean };
  readonly otlp: {
    readonly endpoint: string;
    readonly protocol: OtlpProtocol;
    readonly headers: Readonly<Record<string, string>>;
    readonly timeoutMs: number;
  };
  readonly tracing: {
    readonly enabled: boolean;
    readonly exporters: readonly TracesExporterName[];
    readonly sampler: SamplerName;
    readonly samplerArg: number;
    /** Where the `xray` sampler polls; set only when it is the sampler. */
    readonly xraySampling: XRaySamplingConfig | undefined;
    readonly propagators: readonly PropagatorName[];
    /**
     * Enabled minus disabled: exactly the instrumentations to load, except that `auto` stands
     * for the contrib ones tracing finds in the app (never one of `disabledInstrumentations`).
     */
    readonly instrumentations: readonly InstrumentationName[];
    /** Instrumentations the app turned off; `auto` never enables one of them. */
    readonly disabledInstrumentations: readonly InstrumentationName[];
    /** A span per Express middleware and handler (the OpenTelemetry Express instrumentation). */
    readonly expressMiddlewareSpans: boolean;
    /** When an ES module app gets import-in-the-middle's loader thread (docs/decisions/0003). */
    readonly esmLoader: EsmLoaderMode;
    readonly otlp: OtlpTarget;
  };
  readonly lambda: {
    readonly traceContext: LambdaTraceContext;
    readonly flushTimeoutMs: number;
    readonly deadlineMarginMs: number;
    readonly deliverAfterResponse: boolean;
    readonly logLinesAfterResponse: boolean;
  };
  /** Where each setting's value came from: `option`, a variable name, `default` or `derived`. */
  readonly metrics: {
    readonly enabled: boolean;
    readonly namespace: string;
    readonly flushIntervalMs: number;
    readonly highResolution: boolean;
    readonly requestMetrics: boolean;
    /** Runtime metrics (docs/decisions/0047-runtime-metrics.md). */
    readonly runtimeMetrics: boolean;
    /** OpenTelemetry metric exporters to run; empty when none (or when OTEL_SDK_DISABLED=true). */
    readonly exporters: readonly MetricsExporterName[];
    readonly exportIntervalMs: number;
    /** OTEL_METRIC_EXPORT_TIMEOUT; the OTLP timeout when unset. Never more than the interval. */
    readonly exportTimeoutMs: number;
    readonly otlp: OtlpTarget;
  };
  /** The direct X-Ray exporter (docs/xray.md). */
  readonly xray: {
    /** Validated `host:port` or `udp:host:port tcp:host:port`. */
    readonly daemonAddress: string;
    /** Span attributes recorded as X-Ray annotations. */
    readonly annotations: readonly string[];
  };
  readonly logging: LoggingConfig;
  /** Log records over OTLP (docs/decisions/0049-logs-over-otlp.md). */
  readonly logs: {
    /** Exporters to run; empty when none. */
    readonly exporters: readonly LogsExporterName[];
    readonly otlp: OtlpTarget;
  };
  /** What adapters read from HTTP requests. */
  readonly http: {
    /** Validated addresses, subnets and names of trusted proxies; empty when none. */
    readonly trustedProxies: readonly string[];
  };
  /**
   * Where each setting's value came from: `option`, a variable name, `default`, or
   * `derived` (`derived: <reason>` when a rule chose between defaults).
   */
  readonly sources: Readonly<Record<string, string>>;
}

/** A problem with an environment variable, reported once by the caller. */
export interface ConfigWarning {
  readonly variable: string;
  readonly message: string;
}

export interface ResolveConfigInput {
  readonly options?: LookoutOptions | undefined;
  readonly env: Env;
  /** Injected by tests; detected from the environment otherwise. */
  readonly runtime?: RuntimeInfo;
  /** Injected by tests; found from the entry script otherwise. */
  readonly appPackage?: AppPackage;
}

export interface ResolvedConfig {
  readonly config: Config;
  readonly warnings: readonly ConfigWarning[];
}

/**
 * Option subtrees owned by modules outside the settings table (their owners validate them).
 * Listed so that the unknown-option check lets them through.
 */
const OPTION_SUBTREES_OUTSIDE_TABLE: readonly string[] = [
  'logging.redaction.patterns',
  'logging.logBufferOptions',
  'logging.logBufferingOptions',
];

const SETTINGS_BY_PATH = new Map(SETTINGS.map((setting) => [setting.path, setting]));

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function suggestOption(path: string): string {
  const lowered = path.toLowerCase();
  const match = SETTINGS.find((setting) => setting.path.toLowerCase() === lowered);
  return match ? ` (did you mean "${match.path}"?)` : '';
}

/** Rejects option keys that match no setting, so a typo fails loudly instead of being ignored. */
function checkOptionKeys(value: Record<string, unknown>, prefix: string): void {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (SETTINGS_BY_PATH.has(path) || child === undefined) continue;
    if (OPTION_SUBTREES_OUTSIDE_TABLE.some((subtree) => path === subtree || path.startsWith(`${subtree}.`)))
      continue;
    const isGroup =
      SETTINGS.some((setting) => setting.path.startsWith(`${path}.`)) ||
      OPTION_SUBTREES_OUTSIDE_TABLE.some((subtree) => subtree.startsWith(`${path}.`));
    if (!isGroup) {
      throw new LookoutConfigError({
        option: path,
        value: child,
        accepted: `a known option${suggestOption(path)}; see docs/configuration.md`,
      });
    }
    if (!isPlainObject(child)) {
      throw new LookoutConfigError({ option: path, value: child, accepted: 'an object' });
    }
    checkOptionKeys(child, path);
  }
}

function getOptionAt(options: Record<string, unknown>, path: string): unknown {
  let current: unknown = options;
  for (const key of path.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The standard variables a setting of the table aliases, by name. */
function standardVariablesOf(...paths: SettingPath[]): string[] {
  return paths.flatMap((path) =>
    (SETTINGS.find((setting) => setting.path === path)?.standard ?? []).map((variable) =>
      typeof variable === 'string' ? variable : variable.name,
    ),
  );
}

function resolveDefault(setting: Setting, context: DefaultContext): unknown {
  return typeof setting.default === 'function' ? setting.default(context) : setting.default;
}

/**
 * How strong a setting's source is, strongest first (docs/configuration.md#precedence): an
 * option in code, a LOOKOUT_ variable, a standard variable, the default.
 */
function sourceRank(source: string | undefined): number {
  if (source === 'option') return 0;
  if (source === undefined || source === 'default' || source.startsWith('derived')) return 3;
  return source.startsWith('LOOKOUT_') ? 1 : 2;
}

interface SettingResolution {
  value: unknown;
  source: string;
}

function resolveSetting(
  setting: Setting,
  options: Record<string, unknown>,
  context: DefaultContext,
  warnings: ConfigWarning[],
): SettingResolution {
  const fromOption = getOptionAt(options, setting.path);
  if (fromOption !== undefined) return { value: validateOptionValue(setting, fromOption), source: 'option' };

  const rejected: Array<{ variable: string; raw: string; reason: string }> = [];
  const candidates = [setting.env, ...(setting.standard ?? [])];
  for (const candidate of candidates) {
    const variable = typeof candidate === 'string' ? candidate : candidate.name;
    const raw = readEnv(context.env, variable);
    if (raw === undefined) continue;
    const parsed = parseEnvValue(setting, raw);
    if (!parsed.ok) {
      rejected.push({ variable, raw, reason: parsed.reason });
      continue;
    }
    for (const message of parsed.warnings) warnings.push({ variable, message: `${variable}: ${message}` });
    const value = typeof candidate === 'string' ? parsed.value : !parsed.value;
    reportRejected(rejected, setting, `${describeValue(value)} from ${variable}`, warnings);
    return { value, source: variable };
  }
  const value = resolveDefault(setting, context);
  reportRejected(
    rejected,
    setting,
    value === undefined ? 'its default' : `the default ${describeValue(value)}`,
    warnings,
  );
  return { value, source: 'default' };
}

function reportRejected(
  rejected: ReadonlyArray<{ variable: string; raw: string; reason: string }>,
  setting: Setting,
  using: string,
  warnings: ConfigWarning[],
): void {
  for (const { variable, raw, reason } of rejected) {
    warnings.push({
      variable,
      message: `${variable}=${describeValue(raw)} is ignored (${reason}; expected ${describeAccepted(setting)}); using ${using}.`,
    });
  }
}

/**
 * A resource attribute's value, or undefined when it is blank. As an empty variable counts as
 * unset, so does an empty attribute: an empty service name or environment would otherwise reach
 * X-Ray, which refuses a segment without a name, and CloudWatch, which drops a metric whose
 * dimension has no value.
 */
function nonBlankAttribute(attributes: Readonly<Record<string, string>>, key: string): string | undefined {
  const value = attributes[key];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** The settings a service's identity is resolved from. */
type IdentityPath = 'serviceName' | 'environment' | 'resourceAttributes' | 'metrics.namespace';

/** What a service's metrics are identified by: resolveConfig's `serviceName`, `environment` and `metrics.namespace`. */
export interface ServiceIdentity {
  readonly serviceName: string;
  readonly environment: string;
  readonly namespace: string;
}

/**
 * The one service name and environment (docs/decisions/0031-one-service-name.md), and the
 * metrics namespace, from the table's values (`setting`). The service name: its variables
 * (LOOKOUT_, OTEL_, POWERTOOLS_SERVICE_NAME), then service.name in the resource attributes (OTel
 * spec: OTEL_SERVICE_NAME wins over it), then the function's name, the app's package name,
 * `unknown_service:node`. The environment: its variable, else the resource attributes'
 * `deployment.environment.name` or `deployment.environment`, else its default (NODE_ENV, …).
 */
function identityFrom(
  setting: <Path extends IdentityPath>(
    path: Path,
  ) => { value: SettingValue<Path>; source: string | undefined },
  runtime: RuntimeInfo,
  appName: () => string | undefined,
): ServiceIdentity {
  const attributes = setting('resourceAttributes').value;
  const environment = setting('environment');
  return {
    serviceName:
      setting('serviceName').value ??
      nonBlankAttribute(attributes, 'service.name') ??
      runtime.lambda?.functionName ??
      appName() ??
      'unknown_service:node',
    environment:
      (environment.source === 'default'
        ? (nonBlankAttribute(attributes, 'deployment.environment.name') ??
          nonBlankAttribute(attributes, 'deployment.environment'))
        : undefined) ?? environment.value,
    namespace: setting('metrics.namespace').value,
  };
}

/**
 * The service name, environment and metrics namespace resolveConfig gives for `env`, by the same
 * settings and rule, without resolving the rest of the configuration: `lookout check` resolves
 * them for every function of a template, thousands at a time. Its warnings are resolveConfig's
 * to report; none are returned.
 *
 * @example
 * resolveServiceIdentity({ env: { OTEL_SERVICE_NAME: 'orders', AWS_LAMBDA_FUNCTION_NAME: 'fn' } });
 * // { serviceName: 'orders', environment: 'production', namespace: 'Lookout' }
 */
export function resolveServiceIdentity(
  input: Pick<ResolveConfigInput, 'env' | 'appPackage'>,
): ServiceIdentity {
  const runtime = detectRuntime(input.env);
  const context: DefaultContext = { env: input.env, runtime };
  return identityFrom(
    (path) => resolveSetting(SETTINGS_BY_PATH.get(path) as Setting, {}, context, []) as never,
    runtime,
    () => (input.appPackage ?? findAppPackage(defaultPackageSearchDirs())).name,
  );
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path}`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Resolves options and environment into one frozen Config. Precedence, highest first:
 *
 * 1. options passed to `init()` (invalid ones throw `LookoutConfigError`);
 * 2. `LOOKOUT_*` variables;
 * 3. standard variables (`OTEL_*`, then `POWERTOOLS_*`, then `AWS_*`);
 * 4. detected defaults.
 *
 * An invalid variable is skipped with a warning and the next source is used.
 *
 * @example
 * const { config, warnings } = resolveConfig({ options: { serviceName: 'orders' }, env: process.env });
 */
export function resolveConfig(input: ResolveConfigInput): ResolvedConfig {
  const options: unknown = input.options ?? {};
  if (!isPlainObject(options)) {
    throw new LookoutConfigError({ option: 'options', value: options, accepted: 'an object or undefined' });
  }
  checkOptionKeys(options, '');

  const runtime = input.runtime ?? detectRuntime(input.env);
  const context: DefaultContext = { env: input.env, runtime };
  const warnings: ConfigWarning[] = [];
  const values = new Map<string, unknown>();
  const sources: Record<string, string> = {};
  for (const setting of SETTINGS) {
    const { value, source } = resolveSetting(setting, options, context, warnings);
    values.set(setting.path, value);
    sources[setting.path] = source;
  }

  // Typed reads of the table's values: the table's parse and validate steps guarantee the types.
  const get = <Path extends SettingPath>(path: Path): SettingValue<Path> =>
    values.get(path) as SettingValue<Path>;
  const derive = <T>(path: string, value: T): T => {
    sources[path] = 'derived';
    return value;
  };

  const resourceAttributes = get('resourceAttributes');
  let appPackage: AppPackage | undefined = input.appPackage;
  const app = (): AppPackage => {
    appPackage ??= findAppPackage(defaultPackageSearchDirs());
    return appPackage;
  };

  const identity = identityFrom(
    (path) => ({ value: get(path), source: sources[path] }),
    runtime,
    () => app().name,
  );
  if (get('serviceName') === undefined) sources.serviceName = 'derived';
  const { serviceName, environment } = identity;
  const serviceVersion =
    get('serviceVersion') ??
    derive(
      'serviceVersion',
      nonBlankAttribute(resourceAttributes, 'service.version') ??
        runtime.lambda?.functionVersion ??
        app().version,
    );

  const sampler = get('tracing.sampler');
  let xraySampling: XRaySamplingConfig | undefined;
  if (sampler === 'xray') {
    // The xray sampler's argument is `endpoint=…,polling_interval=…`, not a ratio: the
    // table's number parse of it is not a mistake to report.
    for (let index = warnings.length - 1; index >= 0; index--)
      if (SAMPLER_ARG_VARIABLES.includes(warnings[index]?.variable ?? '')) warnings.splice(index, 1);
    xraySampling = resolveXRaySampling(input.env, (variable, message) =>
      warnings.push({ variable, message }),
    );
  }
  const instrumentations = get('tracing.instrumentations');
  const disabled = new Set(get('tracing.disabledInstrumentations'));
  const otlpBase = {
    endpoint: get('otlp.endpoint'),
    protocol: get('otlp.protocol'),
    headers: get('otlp.headers'),
    timeoutMs: get('otlp.timeoutMs'),
  };

  // A signal's OTLP setting (`tracing.otlp.endpoint`) is its own when that is set from a source
  // as strong as the shared one's (`otlp.endpoint`), else the shared one: the source decides
  // first, as for every other setting (an option in code wins over OTEL_EXPORTER_OTLP_TRACES_*,
  // LOOKOUT_OTLP_* over OTEL_*), then the signal's own wins, as OpenTelemetry's signal-specific
  // variables do over the shared ones.
  const isOwnFirst = (own: SettingPath, shared: SettingPath): boolean =>
    sourceRank(sources[own]) <= sourceRank(sources[shared]);
  const ownOrShared = <Own extends SettingPath, Shared extends SettingPath>(
    own: Own,
    shared: Shared,
  ): NonNullable<SettingValue<Own>> | SettingValue<Shared> => {
    const value = get(own);
    return value !== undefined && value !== null && isOwnFirst(own, shared) ? value : get(shared);
  };
  const otlpUrl = (signal: 'tracing' | 'metrics' | 'logs', path: string): string => {
    const own = get(`${signal}.otlp.endpoint`);
    return own !== undefined && isOwnFirst(`${signal}.otlp.endpoint`, 'otlp.endpoint')
      ? own
      : joinUrl(otlpBase.endpoint, path);
  };
  // Headers are merged rather than chosen: the weaker source's under the stronger one's, the
  // shared ones under the signal's own from the same source.
  const otlpHeaders = (signal: 'tracing' | 'metrics' | 'logs'): Record<string, string> => {
    const own = get(`${signal}.otlp.headers`);
    return isOwnFirst(`${signal}.otlp.headers`, 'otlp.headers')
      ? { ...otlpBase.headers, ...own }
      : { ...own, ...otlpBase.headers };
  };

  // The signal's own file or the shared one, chosen as the other OTLP settings are, with where
  // it was named, so that a file that cannot be read is reported by that name.
  const tlsFiles = (signal: 'tracing' | 'metrics' | 'logs'): OtlpTlsFiles => {
    const files: Record<string, SettingFile> = {};
    for (const key of ['certificate', 'clientCertificate', 'clientKey'] as const) {
      const own = `${signal}.otlp.${key}` as const;
      const path = get(own) !== undefined && isOwnFirst(own, `otlp.${key}`) ? own : (`otlp.${key}` as const);
      const file = get(path);
      if (file === undefined) continue;
      const source = sources[path] ?? 'option';
      files[key] = { path: file, from: source === 'option' ? `option ${path}` : source };
    }
    return files;
  };
  const otlpVariables = (signal: 'tracing' | 'metrics' | 'logs'): string[] =>
    standardVariablesOf(
      'otlp.headers',
      `${signal}.otlp.headers`,
      'otlp.certificate',
      `${signal}.otlp.certificate`,
      'otlp.clientCertificate',
      `${signal}.otlp.clientCertificate`,
      'otlp.clientKey',
      `${signal}.otlp.clientKey`,
    );

  // OTEL_SDK_DISABLED turns every OpenTelemetry SDK off, the metrics and logs ones included
  // (EMF and log lines stay). An exporter someone asked for is then said to be unused, once,
  // rather than silently sending nothing.
  const sdkDisabled = readEnv(input.env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
  const unusedExporters: string[] = [];
  const otelSdkExporters = <Path extends 'metrics.exporter' | 'logs.exporter'>(
    path: Path,
  ): Exclude<SettingValue<Path>[number], 'none'>[] => {
    const names = get(path).filter((name) => name !== 'none') as Exclude<
      SettingValue<Path>[number],
      'none'
    >[];
    if (!sdkDisabled) return names;
    if (names.length > 0 && sources[path] !== 'default') {
      const from = sources[path] === 'option' ? 'init() options' : sources[path];
      unusedExporters.push(`${path} ${names.join(',')} (from ${from})`);
      sources[path] = 'derived: OTEL_SDK_DISABLED=true';
    }
    return [];
  };

  const exporterDecision = resolveTracesExporters({
    chosen: get('tracing.exporter'),
    onLambda: runtime.kind === 'lambda',
    collectorConfigUri: readEnv(input.env, 'OPENTELEMETRY_COLLECTOR_CONFIG_URI'),
    otlpEndpointSource: sources['otlp.endpoint'] ?? 'default',
    tracesEndpointSource: sources['tracing.otlp.endpoint'] ?? 'default',
  });
  if (exporterDecision.reason !== undefined)
    sources['tracing.exporter'] = `derived: ${exporterDecision.reason}`;

  const config: Config = {
    enabled: get('enabled'),
    serviceName,
    serviceVersion,
    environment,
    resourceAttributes,
    excludedPaths: get('excludedPaths'),
    runtime,
    diagnostics: { level: get('diagnostics.level') },
    shutdown: {
      timeoutMs: get('shutdown.timeoutMs'),
      handleSignals: get('shutdown.handleSignals'),
    },
    otlp: otlpBase,
    tracing: {
      enabled: get('tracing.enabled'),
      exporters: exporterDecision.exporters,
      sampler,
      samplerArg: get('tracing.samplerArg'),
      xraySampling,
      propagators: get('tracing.propagators'),
      instrumentations: instrumentations.filter((name) => !disabled.has(name)),
      disabledInstrumentations: [...disabled],
      expressMiddlewareSpans: get('tracing.expressMiddlewareSpans'),
      esmLoader: get('tracing.esmLoader'),
      otlp: {
        url: otlpUrl('tracing', 'v1/traces'),
        protocol: ownOrShared('tracing.otlp.protocol', 'otlp.protocol'),
        headers: otlpHeaders('tracing'),
        exporterVariables: otlpVariables('tracing'),
        timeoutMs: ownOrShared('tracing.otlp.timeoutMs', 'otlp.timeoutMs'),
        tls: tlsFiles('tracing'),
      },
    },
    lambda: {
      traceContext: get('lambda.traceContext'),
      flushTimeoutMs: get('lambda.flushTimeoutMs'),
      deadlineMarginMs: get('lambda.deadlineMarginMs'),
      deliverAfterResponse: get('lambda.deliverAfterResponse'),
      logLinesAfterResponse: get('lambda.logLinesAfterResponse'),
    },
    metrics: {
      enabled: get('metrics.enabled'),
      namespace: get('metrics.namespace'),
      flushIntervalMs: get('metrics.flushIntervalMs'),
      highResolution: get('metrics.highResolution'),
      requestMetrics: get('metrics.requestMetrics'),
      runtimeMetrics: get('metrics.runtimeMetrics'),
      exporters: otelSdkExporters('metrics.exporter'),
      exportIntervalMs: get('metrics.exportIntervalMs'),
      // The SDK's reader refuses a timeout past the interval; OpenTelemetry's NodeSDK clamps it.
      exportTimeoutMs: Math.min(
        get('metrics.exportTimeoutMs') ?? ownOrShared('metrics.otlp.timeoutMs', 'otlp.timeoutMs'),
        get('metrics.exportIntervalMs'),
      ),
      otlp: {
        url: otlpUrl('metrics', 'v1/metrics'),
        protocol: ownOrShared('metrics.otlp.protocol', 'otlp.protocol'),
        headers: otlpHeaders('metrics'),
        exporterVariables: otlpVariables('metrics'),
        timeoutMs: ownOrShared('metrics.otlp.timeoutMs', 'otlp.timeoutMs'),
        tls: tlsFiles('metrics'),
      },
    },
    xray: {
      daemonAddress: get('xray.daemonAddress'),
      annotations: get('xray.annotations'),
    },
    logs: {
      exporters: otelSdkExporters('logs.exporter'),
      otlp: {
        url: otlpUrl('logs', 'v1/logs'),
        protocol: ownOrShared('logs.otlp.protocol', 'otlp.protocol'),
        headers: otlpHeaders('logs'),
        exporterVariables: otlpVariables('logs'),
        timeoutMs: ownOrShared('logs.otlp.timeoutMs', 'otlp.timeoutMs'),
        tls: tlsFiles('logs'),
      },
    },
    logging: resolveLoggingConfig({
      get,
      source: (path) => sources[path] ?? 'default',
      enabled: get('enabled'),
      options,
      env: input.env,
      warn: (variable, message) => warnings.push({ variable, message }),
    }),
    http: { trustedProxies: get('http.trustedProxies') },
    sources,
  };
  if (unusedExporters.length > 0)
    warnings.push({
      variable: 'OTEL_SDK_DISABLED',
      message: `OTEL_SDK_DISABLED=true turns the OpenTelemetry SDK off: ${unusedExporters.join(' and ')} not run. EMF metrics and log lines are unaffected.`,
    });
  return { config: deepFreeze(config), warnings };
}
