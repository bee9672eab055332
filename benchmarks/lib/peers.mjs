// The peers a benchmark compares: how each one is started (node flags and environment), which
// packages it needs (for version reporting and the footprint scenario), and a one-line
// description for the report. Every scenario names the variants it runs from this table.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.mjs';

/**
 * @typedef {object} Peer
 * @property {string} name        variant name used on the command line and in results
 * @property {string} label       how tables name it
 * @property {string} description what it runs, for the report
 * @property {string[]} nodeArgs  flags before the app's path (none for an in-process variant)
 * @property {string} [inProcess] set for a variant the worker runs in its own process, with no
 *   app (a logger configuration): what it runs, shown in the report instead of a command line
 * @property {string[]} packages  packages whose versions the results record
 * @property {string[]} install   what `npm install` needs for this peer (footprint scenario)
 * @property {(context: PeerContext) => Record<string, string>} [env] extra environment
 */

/**
 * @typedef {object} PeerContext
 * @property {{ path: string, env: string }[]} lookoutSettings Lookout's settings table (path, variable)
 */

/** The parts Lookout can turn on or off with a `<part>.enabled` setting, besides tracing. */
const OPTIONAL_PARTS = ['logging', 'metrics'];

/**
 * The environment that switches Lookout's optional parts on (full) or off (tracing only).
 * Parts not in this build yet have no setting and are left out, so `lookout-full` picks up
 * logging and metrics by itself once they land.
 * @param {PeerContext} context
 * @param {boolean} on
 */
function lookoutPartsEnv(context, on) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const part of OPTIONAL_PARTS) {
    const setting = context.lookoutSettings.find((entry) => entry.path === `${part}.enabled`);
    if (setting !== undefined) env[setting.env] = String(on);
  }
  return env;
}

/**
 * Lookout's parts present in the built package: tracing always, logging and metrics when
 * their settings exist.
 * @param {PeerContext} context
 */
export function lookoutParts(context) {
  return [
    'tracing',
    ...OPTIONAL_PARTS.filter((part) =>
      context.lookoutSettings.some((entry) => entry.path === `${part}.enabled`),
    ),
  ];
}

/**
 * Reads the settings table from the built package (dist/), not from src/.
 * @returns {Promise<PeerContext>}
 */
export async function loadPeerContext() {
  /** @type {{ SETTINGS: readonly import('../../src/config/setting.js').Setting[] }} */
  const core = await import(pathToFileURL(join(ROOT, 'dist', 'esm', 'core.js')).href);
  return {
    lookoutSettings: core.SETTINGS.map((setting) => ({ path: setting.path, env: setting.env })),
  };
}

const OTEL_AUTO = '@opentelemetry/auto-instrumentations-node';
const ADOT = '@aws/aws-distro-opentelemetry-node-autoinstrumentation';

/** @type {readonly Peer[]} */
export const PEERS = [
  {
    name: 'bare',
    label: 'bare',
    description: 'The app alone, no telemetry.',
    nodeArgs: [],
    packages: ['express'],
    install: [],
  },
  {
    name: 'lookout-full',
    label: 'Lookout full',
    description:
      'Lookout with every part (tracing, logging, metrics, redaction), 100 % sampling, OTLP to the sink; in the server scenarios the app mounts `observe()` first and `errorHandler()` last, as docs/express.md recommends (access log and request metrics per request; benchmarks/apps/middleware/lookout.mjs).',
    nodeArgs: ['--import', 'lookout/register'],
    packages: ['lookout'],
    install: ['lookout'],
    env: (context) => ({ ...lookoutPartsEnv(context, true), BENCH_MIDDLEWARE: 'lookout' }),
  },
  {
    name: 'lookout-tracing',
    label: 'Lookout tracing',
    description: 'Lookout with tracing only (logging and metrics switched off), OTLP to the sink.',
    nodeArgs: ['--import', 'lookout/register'],
    packages: ['lookout'],
    install: ['lookout'],
    env: (context) => lookoutPartsEnv(context, false),
  },
  {
    name: 'lookout-wrap',
    label: 'Lookout wrap()',
    description:
      'A Lambda handler wrapped with `wrap()` from `lookout/lambda` (scenarios c and d): tracing, logging and metrics, spans over OTLP to the sink.',
    nodeArgs: [],
    packages: ['lookout'],
    install: ['lookout'],
  },
  {
    name: 'lookout-wrap-xray',
    label: 'Lookout wrap(), X-Ray',
    description:
      'The same wrapped handler with spans sent straight to the X-Ray daemon sink over UDP (`LOOKOUT_TRACES_EXPORTER=xray`), the default on Lambda when no collector is configured.',
    nodeArgs: [],
    packages: ['lookout'],
    install: ['lookout'],
  },
  {
    name: 'lookout-layer',
    label: 'Lookout layer',
    description:
      "The unchanged handler behind the Lookout layer's exec wrapper (`AWS_LAMBDA_EXEC_WRAPPER=/opt/lookout-handler`), the layer built from `dist/` by `layer/build-layer.mjs`; in the footprint scenario, the layer zip itself.",
    nodeArgs: [],
    packages: ['lookout'],
    install: ['lookout'],
  },
  {
    name: 'lookout-wrap-waiting',
    label: 'Lookout wrap(), waiting',
    description:
      'The wrapped handler with delivery after the response turned off (`LOOKOUT_LAMBDA_DELIVER_AFTER_RESPONSE=false`): the invocation answers once its telemetry is flushed, as it does without the Extensions API.',
    nodeArgs: [],
    packages: ['lookout'],
    install: ['lookout'],
  },
  {
    name: 'powertools-middy',
    label: 'Powertools trio (middy)',
    description:
      'Powertools for AWS Lambda Tracer, Logger and Metrics through their middy middlewares (`captureLambdaHandler`, `injectLambdaContext`, `logMetrics` with the cold start metric), one log line and one metric per invocation; the Tracer sends a subsegment per invocation to the X-Ray daemon sink through aws-xray-sdk-core.',
    nodeArgs: [],
    packages: [
      '@aws-lambda-powertools/tracer',
      '@aws-lambda-powertools/logger',
      '@aws-lambda-powertools/metrics',
      '@middy/core',
      'aws-xray-sdk-core',
    ],
    install: [
      '@aws-lambda-powertools/tracer',
      '@aws-lambda-powertools/logger',
      '@aws-lambda-powertools/metrics',
      '@middy/core',
    ],
  },
  {
    name: 'otel-lambda',
    label: 'OTel Lambda layer–style',
    description:
      'What the OpenTelemetry Lambda layer (and the ADOT layer built on it) sets up, as a `NODE_OPTIONS=--import` preload: a tracer provider with X-Ray ids and propagation, batch export over OTLP/HTTP protobuf to the sink, and `@opentelemetry/instrumentation-aws-lambda`, which wraps the handler and force-flushes before the invocation answers.',
    nodeArgs: [],
    packages: [
      '@opentelemetry/sdk-trace-node',
      '@opentelemetry/exporter-trace-otlp-proto',
      '@opentelemetry/instrumentation-aws-lambda',
      '@opentelemetry/propagator-aws-xray',
    ],
    install: [
      '@opentelemetry/sdk-trace-node',
      '@opentelemetry/exporter-trace-otlp-proto',
      '@opentelemetry/instrumentation-aws-lambda',
      '@opentelemetry/propagator-aws-xray',
      '@opentelemetry/id-generator-aws-xray',
    ],
  },
  {
    name: 'otel-auto',
    label: 'OTel auto-instr.',
    description:
      'Plain OpenTelemetry auto-instrumentation with its defaults (every instrumentation), OTLP to the sink; cloud resource detectors that call metadata endpoints left out so nothing leaves the machine.',
    nodeArgs: ['--require', `${OTEL_AUTO}/register`],
    packages: [OTEL_AUTO, '@opentelemetry/sdk-node'],
    install: [OTEL_AUTO, '@opentelemetry/api'],
    env: () => ({ OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process,serviceinstance' }),
  },
  {
    name: 'otel-powertools',
    label: 'OTel + Powertools',
    description:
      'The stack built by hand: plain OpenTelemetry auto-instrumentation (as `otel-auto`) plus an Express middleware writing a Powertools access-log line with the trace ids and one EMF document per request through Powertools Metrics (benchmarks/apps/middleware/otel-powertools.mjs).',
    nodeArgs: ['--require', `${OTEL_AUTO}/register`],
    packages: [OTEL_AUTO, '@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics'],
    install: [
      OTEL_AUTO,
      '@opentelemetry/api',
      '@aws-lambda-powertools/logger',
      '@aws-lambda-powertools/metrics',
    ],
    env: () => ({
      OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process,serviceinstance',
      BENCH_MIDDLEWARE: 'otel-powertools',
    }),
  },
  {
    name: 'dd-trace',
    label: 'dd-trace',
    description:
      "Datadog's `dd-trace` with its defaults (`--require dd-trace/init`), traces to a loopback agent sink (benchmarks/sinks/datadog-agent-sink.mjs); telemetry and remote configuration off so that it calls nothing else.",
    nodeArgs: ['--require', 'dd-trace/init'],
    packages: ['dd-trace'],
    install: ['dd-trace'],
  },
  {
    name: 'adot',
    label: 'AWS ADOT',
    description:
      "AWS Distro for OpenTelemetry's auto-instrumentation with its defaults, OTLP to the sink. Its EC2 resource detector cannot be switched off and tries the instance metadata address once (it fails here).",
    nodeArgs: ['--require', `${ADOT}/register`],
    packages: [ADOT, `${ADOT}>@opentelemetry/sdk-node`],
    install: [ADOT, '@opentelemetry/api'],
  },
  {
    name: 'powertools',
    label: 'Powertools',
    description:
      'Powertools Logger and Metrics only, from a preload (benchmarks/peers/powertools.mjs): one access log line and one EMF document per request, metrics flushed per request.',
    nodeArgs: ['--import', './benchmarks/peers/powertools.mjs'],
    packages: ['@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics'],
    install: ['@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics'],
  },
  {
    name: 'pino-http',
    label: 'pino-http',
    description: 'pino-http access logging only, from a preload (benchmarks/peers/pino-http.mjs).',
    nodeArgs: ['--import', './benchmarks/peers/pino-http.mjs'],
    packages: ['pino-http', 'pino-http>pino'],
    install: ['pino-http'],
  },

  // Scenario f, logging (workers/logging-throughput.mjs): logger configurations, in-process.
  {
    name: 'powertools-logger',
    label: 'Powertools Logger',
    description: '`@aws-lambda-powertools/logger` `Logger`, plain: no trace correlation, no redaction.',
    nodeArgs: [],
    inProcess: 'benchmarks/workers/logging-throughput.mjs',
    packages: ['@aws-lambda-powertools/logger'],
    install: ['@aws-lambda-powertools/logger'],
  },
  {
    name: 'lookout-logger',
    label: 'Lookout logger',
    description:
      "Lookout's `logger` inside an active span and a request context (correlation ids on every line), default redaction.",
    nodeArgs: [],
    inProcess: 'benchmarks/workers/logging-throughput.mjs',
    packages: ['lookout'],
    install: ['lookout'],
  },
  {
    name: 'pino-redact',
    label: 'pino + redact',
    description:
      'pino with `redact` paths for the same values and a censor function masking the e-mail, synchronous writes.',
    nodeArgs: [],
    inProcess: 'benchmarks/workers/logging-throughput.mjs',
    packages: ['pino'],
    install: ['pino'],
  },
  // Scenario f, metrics cost (workers/metrics-cost.mjs): one app, request metrics off and on.
  // Tracing is off in both so that the difference is the metrics alone.
  {
    name: 'server-without-metrics',
    label: 'app without metrics',
    description:
      'Express hello app under Lookout with tracing off, no request metrics (`METRICS_MIDDLEWARE=off`).',
    nodeArgs: ['--import', 'lookout/register'],
    packages: ['lookout', 'express'],
    install: ['lookout'],
    env: () => ({ OTEL_SDK_DISABLED: 'true', METRICS_MIDDLEWARE: 'off', LOOKOUT_RUNTIME_METRICS: 'false' }),
  },
  {
    name: 'server-with-metrics',
    label: 'app with metrics',
    description:
      'The same app recording every request with `recordRequest()` (`METRICS_MIDDLEWARE=on`): Latency, RequestCount, Error, Fault per operation, aggregated, EMF on stdout.',
    nodeArgs: ['--import', 'lookout/register'],
    packages: ['lookout', 'express'],
    install: ['lookout'],
    env: () => ({ OTEL_SDK_DISABLED: 'true', METRICS_MIDDLEWARE: 'on', LOOKOUT_RUNTIME_METRICS: 'false' }),
  },
  {
    name: 'server-with-runtime-metrics',
    label: 'app with metrics and runtime metrics',
    description:
      'The same app with request metrics and the runtime metrics on (their default on a server): the event-loop delay histogram, the GC observer, a sample every 10 s.',
    nodeArgs: ['--import', 'lookout/register'],
    packages: ['lookout', 'express'],
    install: ['lookout'],
    env: () => ({ OTEL_SDK_DISABLED: 'true', METRICS_MIDDLEWARE: 'on', LOOKOUT_RUNTIME_METRICS: 'true' }),
  },
  // Scenario f, runtime metrics cost (workers/metrics-cost.mjs): the collector in-process.
  {
    name: 'runtime-metrics-cpu',
    label: 'Lookout runtime metrics',
    description:
      "Lookout's `RuntimeMetricsCollector` (the event-loop delay histogram at 50 ms, the GC observer, `collect()`), alternated off and on in the worker process.",
    nodeArgs: [],
    inProcess: 'benchmarks/workers/metrics-cost.mjs',
    packages: ['lookout'],
    install: ['lookout'],
  },
  // Scenario f, EMF bytes (workers/metrics-cost.mjs): the same requests recorded in-process.
  {
    name: 'emf-bytes-powertools',
    label: 'Powertools, flush per request',
    description: '`@aws-lambda-powertools/metrics` `Metrics`, `publishStoredMetrics()` after every request.',
    nodeArgs: [],
    inProcess: 'benchmarks/workers/metrics-cost.mjs',
    packages: ['@aws-lambda-powertools/metrics'],
    install: ['@aws-lambda-powertools/metrics'],
  },
  {
    name: 'emf-bytes-lookout',
    label: 'Lookout, busy server',
    description: "Lookout's `recordRequest()`: every request in one flush interval.",
    nodeArgs: [],
    inProcess: 'benchmarks/workers/metrics-cost.mjs',
    packages: ['lookout'],
    install: ['lookout'],
  },
  {
    name: 'emf-bytes-lookout-sparse',
    label: 'Lookout, quiet server',
    description: "Lookout's `recordRequest()` with a flush every 100 requests: the least aggregation.",
    nodeArgs: [],
    inProcess: 'benchmarks/workers/metrics-cost.mjs',
    packages: ['lookout'],
    install: ['lookout'],
  },
];

/**
 * @param {string} name
 * @returns {Peer}
 */
export function getPeer(name) {
  const peer = PEERS.find((candidate) => candidate.name === name);
  if (peer === undefined)
    throw new Error(`unknown variant "${name}"; known: ${PEERS.map((entry) => entry.name).join(', ')}`);
  return peer;
}

/**
 * The environment every variant shares: exporters at the loopback sinks, 100 % sampling,
 * one service name. Standard variables only, so each SDK reads them as its users' would.
 * @param {{ otlpEndpoint: string, xrayAddress: string, datadogAgentUrl: string }} infrastructure
 */
export function commonEnv({ otlpEndpoint, xrayAddress, datadogAgentUrl }) {
  return {
    DD_SERVICE: 'bench-app',
    DD_TRACE_AGENT_URL: datadogAgentUrl,
    DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
    DD_REMOTE_CONFIGURATION_ENABLED: 'false',
    DD_TRACE_STARTUP_LOGS: 'false',
    NODE_ENV: 'production',
    OTEL_SERVICE_NAME: 'bench-app',
    POWERTOOLS_SERVICE_NAME: 'bench-app',
    POWERTOOLS_METRICS_NAMESPACE: 'Bench',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    AWS_XRAY_DAEMON_ADDRESS: xrayAddress,
    AWS_REGION: 'eu-west-1',
  };
}

/**
 * Where a package is installed: `a>b` means package b as `a` resolves it (nested copy first).
 * @param {string} spec
 */
function packageJsonPath(spec) {
  const parts = spec.split('>');
  let base = ROOT;
  let found;
  for (const name of parts) {
    const nested = join(base, 'node_modules', name, 'package.json');
    const top = join(ROOT, 'node_modules', name, 'package.json');
    found = existsSync(nested) ? nested : existsSync(top) ? top : undefined;
    if (found === undefined) return undefined;
    base = join(found, '..');
  }
  return found;
}

/**
 * The installed version of a package (`lookout` is this repository).
 * @param {string} spec a package name, or `parent>child` for the copy a package uses
 */
export function installedVersion(spec) {
  if (spec === 'lookout') return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const file = packageJsonPath(spec);
  return file === undefined ? 'not installed' : JSON.parse(readFileSync(file, 'utf8')).version;
}

/**
 * The version this repository pins for a package, for `npm install <name>@<version>`.
 * @param {string} name
 */
export function pinnedVersion(name) {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return manifest.dependencies?.[name] ?? manifest.devDependencies?.[name] ?? installedVersion(name);
}
