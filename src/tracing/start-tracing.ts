import type { Instrumentation } from '@opentelemetry/instrumentation';
import { type DetectedResourceAttributes, resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  type Config,
  createPathMatcher,
  loadOtlpTls,
  SPAN_LIMIT_VARIABLES,
  XRAY_SAMPLING_DEFAULTS,
} from '../config/index.js';
import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { createAppLoggerInstrumentations, patchConsoleWithTraceIds } from '../logging/app-loggers/index.js';
import { createResourceAttributes } from '../resource/create-resource-attributes.js';
import { getLookoutSdkIdentity } from '../resource/lookout-sdk-identity.js';
import { type Env, getEntryScript, getProcessEnv, noteTelemetry, readEnv } from '../runtime/index.js';
import { VERSION } from '../version.js';
import { AWS_SDK_HOOKED_MODULES, AWS_SDK_INSTRUMENTATION, AWS_SDK_PREFIXES } from './aws-sdk-modules.js';
import { bridgeOtelDiagnostics } from './bridge-otel-diagnostics.js';
import { createPropagator } from './create-propagator.js';
import { createSampler } from './create-sampler.js';
import { deferUntilRequired, isAnyLoaded } from './defer-until-required.js';
import { ECS_TASK_ATTRIBUTE_KEYS, fetchEcsTaskAttributes } from './fetch-ecs-task-attributes.js';
import { startHttpClientSpans } from './http/client-spans.js';
import { startFetchSpans } from './http/fetch-spans.js';
import { setServerTracing } from './http/server-requests.js';
import {
  createExporterRequestMatcher,
  createInstrumentations,
  expandInstrumentationNames,
  getHookedModuleNames,
  getHookedModules,
  OWN_INSTRUMENTATIONS,
} from './instrumentations.js';
import { checkStoreIsGlobalContext, InvocationContextManager } from './invocation-context.js';
import { setInvocationSpanPipeline } from './invocation-span.js';
import { getInvocationSpanCloser } from './invocation-span-closer.js';
import {
  getBatchBoundsFromEnv,
  getBatchExportTimeoutFromEnv,
  InvocationSpanProcessor,
} from './invocation-span-processor.js';
import { LazySpanExporter } from './lazy-span-exporter.js';
import type { LeanSpanPipeline } from './lean-span.js';
import { resolveFromDirs } from './load-contrib-instrumentation.js';
import { readAppDependencies } from './read-app-dependencies.js';
import { RedactingSpanExporter } from './redacting-span-exporter.js';
import { isEsmEntry } from './register-esm-hooks.js';
import { reportLoadedBeforeInit } from './report-loaded-before-init.js';
import { describeEndpoint } from './report-refused-connections.js';
import { type ExportCounters, ReportingSpanExporter } from './reporting-span-exporter.js';
import { ServerSpanProcessor } from './server-span-processor.js';
import { getExporterUrls, getSpanExporterFactory } from './span-exporters.js';
import { getAppDir, startCommonJsEntryHooks, startEsmHooks } from './start-esm-hooks.js';
import { XRayIdGenerator } from './xray-id-generator.js';
import { SERVICE_TYPES } from './xray-sampling/sampling-rule.js';
import { XRayRemoteSampler } from './xray-sampling/xray-remote-sampler.js';

/** What the rest of Lookout holds on to once tracing has started. */
export interface TracingHandle {
  /** Exports every finished span now; resolves when done or failed. */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
  readonly counters: Readonly<ExportCounters>;
  /** Names of the exporters actually running. */
  readonly exporters: readonly string[];
  /** Names of the instrumentations actually loaded. */
  readonly instrumentations: readonly string[];
}

const NOOP_TRACING: TracingHandle = {
  forceFlush: async () => {},
  shutdown: async () => {},
  counters: { exportedSpans: 0, failedSpans: 0, failedExports: 0 },
  exporters: [],
  instrumentations: [],
};

const COUNTING_PROCESSOR: SpanProcessor = {
  onStart: () => {},
  onEnd: noteTelemetry,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

// Bounded on every axis so a slow or absent collector cannot grow memory (decision 4).
// Explicit OTEL_BSP_* variables win (getBatchBoundsFromEnv), read by Lookout only: a value it
// refused (a delay or timeout longer than a timer can wait) would fire a timer after 1 ms,
// exporting at once again and again, or timing every export out.
const BATCH_DEFAULTS = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000 } as const;
const BATCH_EXPORT_TIMEOUT_MS = 30_000;

function createSpanProcessors(
  config: Config,
  counters: ExportCounters,
): { processors: SpanProcessor[]; names: string[] } {
  const processors: SpanProcessor[] = [];
  const names: string[] = [];
  const env = getProcessEnv();
  const bounds = { ...BATCH_DEFAULTS, ...getBatchBoundsFromEnv(env) };
  // Servers only: on Lambda every flush is bounded by its caller (the delivery budget, shutdown).
  const serverBounds =
    config.runtime.kind === 'lambda'
      ? bounds
      : { ...bounds, exportTimeoutMillis: getBatchExportTimeoutFromEnv(env) ?? BATCH_EXPORT_TIMEOUT_MS };
  for (const name of config.tracing.exporters) {
    if (name === 'none') continue;
    const factory = getSpanExporterFactory(name);
    if (factory === undefined) {
      diagnostics.warn(
        ERROR_CODES.START_FAILED,
        `No span exporter named "${name}" is available; it is skipped.`,
      );
      continue;
    }
    try {
      const destination = (): string =>
        name === 'otlp'
          ? describeEndpoint(config.tracing.otlp.url)
          : name === 'xray'
            ? `the X-Ray daemon at ${config.xray.daemonAddress}`
            : name;
      // The OTLP exporter's modules (transformer, protobuf, HTTP transport) load at the first
      // export rather than at start-up (docs/design.md decision 5).
      // Its TLS files, though, are read (and reported) now, at start.
      if (name === 'otlp') loadOtlpTls(config.tracing.otlp);
      const inner = name === 'otlp' ? new LazySpanExporter(() => factory(config)) : factory(config);
      const exporter = new ReportingSpanExporter(
        new RedactingSpanExporter(inner),
        name,
        destination,
        counters,
      );
      // On Lambda each invocation's delivery flushes: a processor that exports then, and holds
      // no timer per invocation (docs/decisions/0059-lambda-span-processor.md). On servers one
      // that never holds an ending process and splits a batch too large for one request
      // (docs/decisions/0077-server-span-processor.md).
      processors.push(
        config.runtime.kind === 'lambda'
          ? new InvocationSpanProcessor(exporter, bounds)
          : new ServerSpanProcessor(exporter, serverBounds),
      );
      names.push(name);
    } catch (error) {
      diagnostics.warn(
        ERROR_CODES.START_FAILED,
        `The "${name}" span exporter failed to start: ${describeError(error)}`,
      );
    }
  }
  return { processors, names };
}

const FLUSHED = Promise.resolve();

/** Flushes every span processor; resolves when all resolved, rejects as the first that rejects. */
function flushProcessors(processors: readonly SpanProcessor[]): Promise<void> {
  if (processors.length === 0) return FLUSHED;
  // One exporter (the usual case): its own promise, not one more around it.
  if (processors.length === 1) return processors[0]!.forceFlush();
  return Promise.all(processors.map((processor) => processor.forceFlush())).then(() => {});
}

function createResource(config: Config) {
  const attributes: DetectedResourceAttributes = createResourceAttributes(config, getLookoutSdkIdentity());
  const metadataUri = config.runtime.ecs?.metadataUri;
  if (metadataUri !== undefined) {
    // Started on the next turn of the event loop, never awaited by a request: exports wait
    // for these attributes, spans do not (requirement: no network I/O at start-up).
    const pending = new Promise<Record<string, string | string[]>>((resolve) => {
      setImmediate(() => {
        fetchEcsTaskAttributes(metadataUri).then(resolve, (error: unknown) => {
          diagnostics.warnOnce(
            'ecs-metadata',
            ERROR_CODES.START_FAILED,
            `ECS task metadata could not be read (${describeError(error)}); spans are exported without it.`,
          );
          resolve({});
        });
      }).unref();
    });
    for (const key of ECS_TASK_ATTRIBUTE_KEYS) {
      if (attributes[key] === undefined) attributes[key] = pending.then((fetched) => fetched[key]);
    }
  }
  return resourceFromAttributes(attributes);
}

// Rules name the service type X-Ray gives each platform. The resource ARN (ECS task metadata)
// arrives asynchronously and is not waited for: a rule naming an ARN matches nothing here.
const SERVICE_TYPE_OF_RUNTIME: Readonly<Record<string, string | undefined>> = {
  ecs: SERVICE_TYPES.aws_ecs,
  ec2: SERVICE_TYPES.aws_ec2,
  lambda: SERVICE_TYPES.aws_lambda,
};

function createXRayRemoteSampler(config: Config): XRayRemoteSampler {
  const settings = config.tracing.xraySampling ?? XRAY_SAMPLING_DEFAULTS;
  return new XRayRemoteSampler({
    endpoint: settings.endpoint,
    rulesIntervalMs: settings.rulesIntervalMs,
    targetsIntervalMs: settings.targetsIntervalMs,
    service: {
      serviceName: config.serviceName,
      serviceType: SERVICE_TYPE_OF_RUNTIME[config.runtime.kind],
      resourceArn: undefined,
    },
  });
}

/**
 * Whether Lookout's own SERVER and CLIENT spans can be lean spans: they keep the SDK's default
 * limits only, so with any limit set the SDK tracer starts them
 * (docs/decisions/0056-lean-request-spans.md).
 */
function canUseLeanSpans(env: Env): boolean {
  return SPAN_LIMIT_VARIABLES.every((name) => readEnv(env, name) === undefined);
}

/** The links a lean span keeps: the SDK's default (lean-span.ts). */
const LEAN_LINK_LIMIT = 128;

/**
 * The links the SDK tracer's spans keep, the last ones given: `OTEL_SPAN_LINK_COUNT_LIMIT` read as
 * the SDK reads it (a number, 128 when unset), when it is a count; undefined for a value whose
 * effect is not a plain count (negative, fractional, infinite), which is then left to the SDK.
 */
function sdkLinkLimit(env: Env): number | undefined {
  const raw = readEnv(env, 'OTEL_SPAN_LINK_COUNT_LIMIT');
  const limit = raw === undefined ? LEAN_LINK_LIMIT : Number(raw);
  return Number.isInteger(limit) && limit >= 0 ? limit : undefined;
}

function registerUpstream(instrumentations: Instrumentation[], provider: NodeTracerProvider): void {
  // Loaded only when an upstream instrumentation is (docs/design.md decision 5): it brings the
  // require hooks, which Lookout's own spans do not need.
  const { registerInstrumentations } =
    require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  registerInstrumentations({ instrumentations, tracerProvider: provider });
}

/**
 * Sets the AWS SDK instrumentation up when the app first requires an AWS SDK module, not at
 * start-up: most processes never load one, and loading, creating and hooking it was most of
 * what `init()` cost (docs/decisions/0055-start-up-loads-what-it-starts.md).
 */
function deferAwsSdkInstrumentation(provider: NodeTracerProvider, appDirs: readonly string[]): () => void {
  return deferUntilRequired(AWS_SDK_PREFIXES, () => {
    try {
      const created = createInstrumentations(['aws-sdk'], { expressMiddlewareSpans: false, appDirs });
      if (created.length > 0) registerUpstream(created, provider);
    } catch (error) {
      diagnostics.warnOnce(
        'instrumentation-failed:aws-sdk',
        ERROR_CODES.INSTRUMENTATION_FAILED,
        `The aws-sdk instrumentation could not be loaded and is off: ${describeError(error)}`,
      );
    }
  });
}

function isResolvable(name: string, dirs: readonly string[]): boolean {
  try {
    return resolveFromDirs(name, dirs) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Starts OpenTelemetry tracing from a resolved Config: X-Ray-compatible ids, the configured
 * sampler and propagators, bounded batch export, and only the enabled instrumentations.
 * This is the lean composition chosen over @opentelemetry/sdk-node by measurement
 * (docs/decisions/0001-tracing-composition.md).
 */
export function startTracing(config: Config): TracingHandle {
  bridgeOtelDiagnostics(config.diagnostics.level);
  if (!config.tracing.enabled) return NOOP_TRACING;

  const counters: ExportCounters = { exportedSpans: 0, failedSpans: 0, failedExports: 0 };
  const { processors, names } = createSpanProcessors(config, counters);
  // The processors that export: the two added below hold nothing to flush.
  const exporting = [...processors];
  // Counts ended spans, so a shutdown knows whether requests completed while it flushed.
  if (processors.length > 0) processors.push(COUNTING_PROCESSOR);
  // Lambda: spans that wait for a response 'close' end with the invocation (Express behind
  // serverless-express), see invocation-span-closer.ts.
  if (config.runtime.kind === 'lambda') processors.unshift(getInvocationSpanCloser());
  let xraySampler: XRayRemoteSampler | undefined;
  const resource = createResource(config);
  const idGenerator = new XRayIdGenerator();
  const sampler = createSampler(config.tracing.sampler, config.tracing.samplerArg, () => {
    xraySampler = createXRayRemoteSampler(config);
    return xraySampler;
  });
  const provider = new NodeTracerProvider({ resource, idGenerator, sampler, spanProcessors: processors });
  xraySampler?.start();
  const propagator = createPropagator(config.tracing.propagators);
  provider.register({ propagator, contextManager: new InvocationContextManager() });
  checkStoreIsGlobalContext();

  // The script Node runs, not the folder `node .` names (get-entry-script.ts).
  const entry = getEntryScript();
  const lambdaTaskRoot = config.runtime.lambda?.taskRoot;
  const appDir = entry !== undefined ? getAppDir(entry, lambdaTaskRoot) : (lambdaTaskRoot ?? process.cwd());
  // Contrib instrumentations resolve as the app's own `require` would, then from the working
  // directory (a script run from outside its project).
  const appDirs = appDir === process.cwd() ? [appDir] : [appDir, process.cwd()];
  const enabled = expandInstrumentationNames(config.tracing.instrumentations, {
    appDirs,
    disabled: config.tracing.disabledInstrumentations,
  });
  const tracer = provider.getTracer('lookout', VERSION);
  // The same parts the provider's tracer uses, so that Lookout's own SERVER and CLIENT spans,
  // lean spans, are sampled, given ids and exported as the tracer's spans are.
  const leanSpans: LeanSpanPipeline | undefined = canUseLeanSpans(getProcessEnv())
    ? { sampler, idGenerator, resource, scope: { name: 'lookout', version: VERSION }, processors }
    : undefined;
  setInvocationSpanPipeline(
    leanSpans,
    leanSpans === undefined ? sdkLinkLimit(getProcessEnv()) : LEAN_LINK_LIMIT,
  );
  const clientTracing = {
    tracer,
    propagator,
    isExporterRequest: createExporterRequestMatcher(getExporterUrls(config)),
    leanSpans,
  };
  if (enabled.includes('http')) {
    setServerTracing({
      tracer,
      propagator,
      isExcludedPath: createPathMatcher(config.excludedPaths),
      leanSpans,
    });
    startHttpClientSpans(clientTracing);
  }
  if (enabled.includes('undici')) startFetchSpans(clientTracing);

  // Deferred unless an AWS SDK module is loaded already: then it is set up now, as before, and
  // reported below if it was loaded too early to be instrumented.
  let deferAwsSdk = enabled.includes('aws-sdk') && !isAnyLoaded(AWS_SDK_PREFIXES);
  const instrumentations = createInstrumentations(
    deferAwsSdk ? enabled.filter((name) => name !== 'aws-sdk') : enabled,
    {
      expressMiddlewareSpans: config.tracing.expressMiddlewareSpans,
      appDirs,
    },
  );
  // Trace ids in the app's own pino and winston lines: hooked like any instrumentation, and
  // only for a logger the app depends on and can load, so an app without one loads no require
  // hook for it (docs/decisions/0048-trace-ids-in-app-loggers.md).
  let appDependencies: ReadonlySet<string> | undefined;
  instrumentations.push(
    ...createAppLoggerInstrumentations(config.logging.correlation, (name) => {
      appDependencies ??= readAppDependencies(appDir);
      return appDependencies.has(name) && isResolvable(name, appDirs);
    }),
  );
  if (config.runtime.kind === 'lambda' && config.logging.correlation.includes('console'))
    patchConsoleWithTraceIds();
  const esmEntry = entry !== undefined && isEsmEntry(entry);
  const hookedModules = [
    ...(deferAwsSdk ? AWS_SDK_HOOKED_MODULES : []),
    ...getHookedModuleNames(instrumentations),
  ];
  // Before the hooks are enabled: what is in the module cache now was loaded by the app.
  reportLoadedBeforeInit({
    hooked: getHookedModules(instrumentations),
    esmEntry,
    appDir,
    appDependencies: () => (appDependencies ??= readAppDependencies(appDir)),
  });
  const esmHooks =
    hookedModules.length === 0
      ? undefined
      : esmEntry
        ? startEsmHooks(hookedModules, config.tracing.esmLoader, appDir)
        : startCommonJsEntryHooks(hookedModules);
  // Import-in-the-middle's loader hooks ES modules, which never pass through `require`: with it,
  // the AWS SDK instrumentation is set up now, as before.
  if (deferAwsSdk && esmHooks?.kind === 'loader') {
    deferAwsSdk = false;
    instrumentations.unshift(
      ...createInstrumentations(['aws-sdk'], { expressMiddlewareSpans: false, appDirs }),
    );
  }
  if (instrumentations.length > 0) registerUpstream(instrumentations, provider);
  esmHooks?.afterInstrumentationsEnabled();
  const stopDeferring = deferAwsSdk ? deferAwsSdkInstrumentation(provider, appDirs) : undefined;

  return {
    // The processors themselves, not the provider's forceFlush: that one arms a timeout timer
    // and a promise per processor, for every flush (once per Lambda invocation), while every
    // caller of this handle bounds the flush with its own deadline already
    // (docs/decisions/0058-lambda-extension-off-the-invocation-path.md).
    forceFlush: () => flushProcessors(exporting),
    shutdown: () => {
      stopDeferring?.();
      xraySampler?.stop();
      return provider.shutdown();
    },
    counters,
    exporters: names,
    instrumentations: [
      ...enabled.filter((name) => OWN_INSTRUMENTATIONS.has(name)),
      ...instrumentations.map((instrumentation) => instrumentation.instrumentationName),
      // Armed: it sets itself up when the app requires an AWS SDK module.
      ...(deferAwsSdk ? [AWS_SDK_INSTRUMENTATION] : []),
    ],
  };
}
