import type { DiagLevel } from '../diag/index.js';
import {
  CONTRIB_INSTRUMENTATION_NAMES,
  type ContribInstrumentationName,
} from './contrib-instrumentations.js';
import type { LogBufferOptions } from './resolve-log-buffer.js';

/** Trace samplers, named as OTEL_TRACES_SAMPLER names them. */
export const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'xray',
] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** Context propagators, named as OTEL_PROPAGATORS names them. */
export const PROPAGATOR_NAMES = ['tracecontext', 'baggage', 'xray'] as const;
export type PropagatorName = (typeof PROPAGATOR_NAMES)[number];

/** Lookout's own instrumentations, on by default; each is loaded only when enabled (docs/design.md decision 5). */
export const BUILT_IN_INSTRUMENTATION_NAMES = ['http', 'express', 'undici', 'aws-sdk'] as const;
export type BuiltInInstrumentationName = (typeof BUILT_IN_INSTRUMENTATION_NAMES)[number];

/**
 * `auto`: the built-in instrumentations plus every contrib one whose target package is among
 * the app's dependencies and whose instrumentation package is installed
 * (docs/decisions/0045-contrib-instrumentations-on-demand.md).
 */
export const AUTO_INSTRUMENTATIONS = 'auto';

/** Every name `tracing.instrumentations` accepts: built-in, contrib, and `auto`. */
export const INSTRUMENTATION_NAMES = [
  ...BUILT_IN_INSTRUMENTATION_NAMES,
  ...CONTRIB_INSTRUMENTATION_NAMES,
  AUTO_INSTRUMENTATIONS,
] as const;
export type InstrumentationName =
  | BuiltInInstrumentationName
  | ContribInstrumentationName
  | typeof AUTO_INSTRUMENTATIONS;

/**
 * How an ES module app's imports reach the instrumentations (docs/decisions/0003):
 * `auto` uses import-in-the-middle's loader thread only when an instrumented package loads as
 * an ES module, `always` uses it for every ES module app, `never` never does.
 */
export const ESM_LOADER_MODES = ['auto', 'always', 'never'] as const;
export type EsmLoaderMode = (typeof ESM_LOADER_MODES)[number];

/** OTLP wire protocols, named as OTEL_EXPORTER_OTLP_PROTOCOL names them. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** Span exporters built in; `xray` is registered by the X-Ray exporter module. */
export const TRACES_EXPORTER_NAMES = ['otlp', 'console', 'xray', 'none'] as const;
export type TracesExporterName = (typeof TRACES_EXPORTER_NAMES)[number];

/** Which trace a Lambda invocation continues (see `LambdaOptions.traceContext`). */
export const LAMBDA_TRACE_CONTEXTS = ['lambda', 'http'] as const;
export type LambdaTraceContext = (typeof LAMBDA_TRACE_CONTEXTS)[number];
/** OpenTelemetry metric exporters, named as OTEL_METRICS_EXPORTER names them. */
export const METRICS_EXPORTER_NAMES = ['otlp', 'console', 'none'] as const;
export type MetricsExporterName = (typeof METRICS_EXPORTER_NAMES)[number];
/** Loggers that `logging.correlation` adds trace ids to (`console` only on Lambda). */
export const LOG_CORRELATION_TARGETS = ['pino', 'winston', 'console'] as const;
export type LogCorrelationTarget = (typeof LOG_CORRELATION_TARGETS)[number];

/** Log record exporters, named as OTEL_LOGS_EXPORTER names them. */
export const LOGS_EXPORTER_NAMES = ['otlp', 'none'] as const;
export type LogsExporterName = (typeof LOGS_EXPORTER_NAMES)[number];

/** Log levels, as Powertools Logger names them; `FATAL` (Lambda's name) means `CRITICAL`. */
export const LOG_LEVEL_NAMES = [
  'TRACE',
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
  'CRITICAL',
  'FATAL',
  'SILENT',
] as const;
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];

/** Default redaction rules; each can be turned off with `logging.redaction.disabledRules`. */
export const REDACTION_RULE_NAMES = [
  'sensitive-keys',
  'url-credentials',
  'card-number',
  'jwt',
  'bearer-token',
  'aws-access-key-id',
  'aws-secret-access-key',
  'email',
] as const;
export type RedactionRuleName = (typeof REDACTION_RULE_NAMES)[number];

/** Settings for an OTLP/HTTP endpoint. */
export interface OtlpOptions {
  /**
   * Base URL of the collector; `/v1/traces` is appended for traces.
   * @default "http://localhost:4318"
   */
  endpoint?: string;
  /** @default "http/protobuf" */
  protocol?: OtlpProtocol;
  /**
   * Extra request headers, e.g. an API key. Values are never logged.
   * @default {}
   */
  headers?: Record<string, string>;
  /**
   * How long one export request may take.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Path of a PEM file of the CA certificates that verify an `https://` collector, in place of
   * Node's built-in CAs. Read once at start.
   * @default undefined (Node's built-in CAs)
   */
  certificate?: string;
  /**
   * Path of a PEM file with the client certificate for mutual TLS; needs `clientKey`.
   * @default undefined
   */
  clientCertificate?: string;
  /**
   * Path of a PEM file with the client certificate's private key for mutual TLS.
   * @default undefined
   */
  clientKey?: string;
}

/** Tracing settings. */
export interface TracingOptions {
  /**
   * Turns tracing on or off; `OTEL_SDK_DISABLED=true` turns it off.
   * @default true
   */
  enabled?: boolean;
  /**
   * Where spans go: one exporter name or several. `xray` sends segment documents straight to
   * the X-Ray daemon over UDP (docs/xray.md).
   * @default "otlp"; on AWS Lambda with no collector configured, "xray"
   */
  exporter?: TracesExporterName | TracesExporterName[];
  /**
   * `xray`: X-Ray centralized sampling, the rules and quotas set in the X-Ray console, read
   * through the daemon's or collector's sampling proxy (`OTEL_TRACES_SAMPLER_ARG`:
   * `endpoint=http://localhost:2000,polling_interval=300`); see docs/xray.md.
   * @default "parentbased_always_on"
   */
  sampler?: SamplerName;
  /**
   * The ratio for the `traceidratio` samplers, from 0 to 1.
   * @default 1
   */
  samplerArg?: number;
  /**
   * Propagators, extracted in this order (a later valid header wins) and all injected.
   * @default ["tracecontext", "baggage", "xray"]
   */
  propagators?: PropagatorName[];
  /**
   * Instrumentations to load: Lookout's own (`http`, `express`, `undici`, `aws-sdk`), the
   * names of upstream contrib instrumentations (`pg`, `redis`, `mongodb`, ... — the app
   * installs `@opentelemetry/instrumentation-<name>`; see docs/instrumentations.md), or `auto`
   * for the built-ins plus every installed contrib instrumentation whose target package the
   * app depends on.
   * @default ["http", "express", "undici", "aws-sdk"]
   */
  instrumentations?: InstrumentationName[];
  /**
   * Instrumentations not to load, even when listed in `instrumentations`.
   * @default []
   */
  disabledInstrumentations?: InstrumentationName[];
  /**
   * A span per Express middleware and route handler, from the OpenTelemetry Express
   * instrumentation, under the request's server span. For debugging: each costs time on every
   * request, and the server span already carries the route.
   * @default false
   */
  expressMiddlewareSpans?: boolean;
  /**
   * When an ES module app (`node --import lookout/register app.mjs`) gets import-in-the-middle's
   * loader, which costs a worker thread and about 50 ms of start-up on Node 20. `auto` registers
   * it only when an instrumented package would load as an ES module; CommonJS packages and the
   * `http`/`https` builtins are instrumented through `require` hooks without it. Use `always`
   * when another loader hook returns the source of CommonJS files (Node then runs them without
   * `Module._load`, so the `require` hooks do not see them); `never` to give up instrumenting
   * ES module builds of instrumented packages.
   * @default "auto"
   */
  esmLoader?: EsmLoaderMode;
  /** OTLP settings for traces only; each overrides the matching top-level `otlp` field. */
  otlp?: OtlpOptions & {
    /**
     * Full traces URL, used as is (no path appended).
     * @default `otlp.endpoint` + "/v1/traces"
     */
    endpoint?: string;
  };
}

/** Lambda settings, for `lookout/lambda` and the layer; `wrap(handler, options)` overrides them per handler. */
export interface LambdaOptions {
  /**
   * Which trace an invocation's span continues: `lambda`, the invocation's X-Ray trace header
   * (`_X_AMZN_TRACE_ID`; an unsampled header becomes a span link); or `http`, for API Gateway,
   * ALB and function URL events, the caller's `traceparent` / `X-Amzn-Trace-Id` request headers
   * (falling back to `lambda`).
   * @default "lambda"
   */
  traceContext?: LambdaTraceContext;
  /**
   * Longest time the flush at the end of each invocation may take, in milliseconds. It is also
   * cut `deadlineMarginMs` before the deadline, so Lookout never makes a function time out.
   * @default 2000
   */
  flushTimeoutMs?: number;
  /**
   * Time kept free before the invocation deadline, in milliseconds: a timeout warning is
   * recorded this long before it, and the flush never runs into it.
   * @default 500
   */
  deadlineMarginMs?: number;
  /**
   * Answer first, deliver after: where Lambda's Extensions API is available, the invocation's
   * result goes back at once and its spans and metrics are delivered after the response, before
   * the environment freezes (Lookout registers an internal extension in the init phase). `false`
   * waits for the delivery before answering, as without the Extensions API.
   * @default true
   */
  deliverAfterResponse?: boolean;
  /**
   * Lookout's log lines written at the end of the event loop turn they were logged in, so a
   * line logged before the handler returns goes out after the response (with
   * `deliverAfterResponse` and the extension registered). A handler that blocks the event loop
   * until the timeout then loses the lines of that last turn. Once on, for the whole process.
   * @default false
   */
  logLinesAfterResponse?: boolean;
}

/** Metrics settings: CloudWatch EMF through Powertools, and optional OpenTelemetry metrics. */
export interface MetricsOptions {
  /**
   * Turns EMF metrics on or off (the `metrics` object, request and invocation metrics).
   * @default true; false when POWERTOOLS_METRICS_DISABLED is true, or POWERTOOLS_DEV is true and POWERTOOLS_METRICS_DISABLED unset
   */
  enabled?: boolean;
  /**
   * CloudWatch namespace of every metric.
   * @default POWERTOOLS_METRICS_NAMESPACE, then "Lookout"
   */
  namespace?: string;
  /**
   * How often a long-running server writes its aggregated metrics, in milliseconds.
   * @default 60000
   */
  flushIntervalMs?: number;
  /**
   * Publishes metrics at one-second resolution (StorageResolution 1), at a higher CloudWatch price.
   * @default false
   */
  highResolution?: boolean;
  /**
   * Records RequestCount, Latency, Error and Fault for every HTTP request.
   * @default true
   */
  requestMetrics?: boolean;
  /**
   * Runtime metrics (event-loop delay and utilization, GC pauses, heap, RSS, active handles),
   * named as the OpenTelemetry runtime conventions name them: a sample every 10 seconds on a
   * server, one per invocation on Lambda (docs/metrics.md#runtime-metrics).
   * @default true; false on AWS Lambda
   */
  runtimeMetrics?: boolean;
  /**
   * OpenTelemetry metrics exporters for the Meter API; `none` loads no OpenTelemetry metrics SDK.
   * @default "none"
   */
  exporter?: MetricsExporterName | MetricsExporterName[];
  /**
   * How often OpenTelemetry metrics are exported, in milliseconds.
   * @default 60000
   */
  exportIntervalMs?: number;
  /**
   * Longest time one OpenTelemetry metrics export may take, retries included; at most
   * `exportIntervalMs`.
   * @default `metrics.otlp.timeoutMs`
   */
  exportTimeoutMs?: number;
  /** OTLP settings for metrics only; each overrides the matching top-level `otlp` field. */
  otlp?: OtlpOptions & {
    /**
     * Full metrics URL, used as is (no path appended).
     * @default `otlp.endpoint` + "/v1/metrics"
     */
    endpoint?: string;
  };
}

/** Settings of the direct X-Ray exporter (`tracing.exporter: 'xray'`); see docs/xray.md. */
export interface XRayOptions {
  /**
   * The X-Ray daemon's address: `host:port`, or `udp:host:port tcp:host:port`.
   * @default AWS_XRAY_DAEMON_ADDRESS, then "127.0.0.1:2000"
   */
  daemonAddress?: string;
  /**
   * Span attributes recorded as X-Ray annotations (indexed for filter expressions); every
   * other attribute is recorded as metadata. At most 50 annotations per trace.
   * @default []
   */
  annotations?: string[];
}

/** What the logger hides before a line is written (docs/logging.md, "Redaction"). */
export interface RedactionOptions {
  /**
   * Text written in place of a redacted value.
   * @default "[REDACTED]"
   */
  censor?: string;
  /**
   * Default rules to turn off.
   * @default []
   */
  disabledRules?: RedactionRuleName[];
  /**
   * Extra key names whose values are always redacted, at any depth; matched ignoring case and
   * separators (`x-session-id` also matches `xSessionId`).
   * @default []
   */
  keys?: string[];
  /**
   * Key names exempted from the default key list (e.g. `nextToken` for AWS pagination).
   * @default []
   */
  keepKeys?: string[];
  /**
   * Paths whose values are redacted, from the top of the log line (or of the value given to
   * `redact()`): `user.*.ssn`, `headers["x-session"]`, `items[0].card`. `*` matches one level.
   * @default []
   */
  paths?: string[];
  /**
   * Extra patterns: every match, inside any string, is replaced by the censor text.
   * @default []
   */
  patterns?: RegExp[];
}

/** Logging settings: the Powertools Logger exported as `logger`. */
export interface LoggingOptions {
  /**
   * Turns log output on or off. `OTEL_SDK_DISABLED` does not affect it.
   * @default true
   */
  enabled?: boolean;
  /**
   * The lowest level written. On Lambda, the function's log-level filter
   * (`AWS_LAMBDA_LOG_LEVEL`) overrides it, as in Powertools.
   * @default POWERTOOLS_LOG_LEVEL, then LOG_LEVEL, then "INFO"
   */
  level?: LogLevelName;
  /**
   * Share of processes (on Lambda: of invocations) logged at DEBUG, from 0 to 1.
   * @default 0
   */
  sampleRate?: number;
  /**
   * Indented output for reading in a terminal.
   * @default false; true when POWERTOOLS_DEV is set to a true value
   */
  pretty?: boolean;
  /**
   * Logs each Lambda invocation's event, redacted, at INFO in `wrap()` and `middy()`.
   * @default POWERTOOLS_LOGGER_LOG_EVENT, else false
   */
  logEvent?: boolean;
  /**
   * Nesting depth after which values are replaced by a marker.
   * @default 16
   */
  maxDepth?: number;
  /**
   * Length after which a string is cut and marked.
   * @default 10000
   */
  maxStringLength?: number;
  /**
   * Values (objects, arrays, strings, numbers) written per line before it is cut and marked.
   * @default 20000
   */
  maxLineValues?: number;
  /**
   * Bytes of JSON per line before it is cut and marked; the default fits CloudWatch Logs'
   * event limit.
   * @default 256000
   */
  maxLineBytes?: number;
  redaction?: RedactionOptions;
  /**
   * Powertools Logger's log buffering, for `logger` and its children: on Lambda, lines at or
   * below `bufferAtVerbosity` are held per invocation and written only if an error is logged
   * (docs/logging.md#log-buffering).
   * @default none (no buffering)
   */
  logBufferOptions?: LogBufferOptions;
  /** The same as `logBufferOptions` (give one of the two). */
  logBufferingOptions?: LogBufferOptions;
  /**
   * Loggers of the app whose lines get `trace_id`, `span_id` and `xray_trace_id` of the active
   * span, the logger and its format unchanged: `pino`, `winston`, and `console` on AWS Lambda.
   * @default ["pino", "winston"]
   */
  correlation?: LogCorrelationTarget[];
}

/** Log records over OTLP, beside the lines on stdout. */
export interface LogsOptions {
  /**
   * `otlp` sends each line of Lookout's `logger` as an OpenTelemetry log record, with its
   * trace context, to the collector's logs pipeline.
   * @default "none"
   */
  exporter?: LogsExporterName | LogsExporterName[];
  /** OTLP settings for logs only; each overrides the matching top-level `otlp` field. */
  otlp?: Pick<OtlpOptions, 'protocol' | 'timeoutMs' | 'certificate' | 'clientCertificate' | 'clientKey'> & {
    /**
     * Full logs URL, used as is (no path appended).
     * @default `otlp.endpoint` + "/v1/logs"
     */
    endpoint?: string;
    /**
     * Headers for log record export requests; they override `otlp.headers` of the same name.
     * Values are never logged.
     * @default {}
     */
    headers?: Record<string, string>;
  };
}

/** What adapters read from HTTP requests (docs/express.md). */
export interface HttpOptions {
  /**
   * Addresses, CIDR subnets or the names `loopback`, `linklocal`, `uniquelocal` of the proxies
   * in front of the app; the client address is then read from `X-Forwarded-For` through them.
   * @default [] (Express's `req.ip`, else the socket address)
   */
  trustedProxies?: string[];
}

/** Options for `init()`. Every field is optional; see docs/configuration.md for precedence. */
export interface LookoutOptions {
  /**
   * Turns every part of Lookout off; the API stays callable and does nothing.
   * @default true
   */
  enabled?: boolean;
  /**
   * The service name on every span, log line and metric.
   * @default AWS_LAMBDA_FUNCTION_NAME, then the app's package.json name
   */
  serviceName?: string;
  /**
   * @default AWS_LAMBDA_FUNCTION_VERSION, then the app's package.json version
   */
  serviceVersion?: string;
  /**
   * Deployment environment (`deployment.environment.name`, the `environment` log key and metric dimension).
   * @default NODE_ENV, then "production" on AWS and "development" elsewhere
   */
  environment?: string;
  /**
   * Extra resource attributes for every span.
   * @default {}
   */
  resourceAttributes?: Record<string, string>;
  /**
   * Request paths that create no spans, logs or metrics (docs/design.md decision 7). A trailing `*` matches a prefix.
   * @default ["/health", "/healthz", "/ready", "/favicon.ico"]
   */
  excludedPaths?: string[];
  /** Lookout's own diagnostics on stderr. */
  diagnostics?: {
    /** @default "warn" */
    level?: DiagLevel;
  };
  /** What happens at the end of the process. */
  shutdown?: {
    /**
     * Longest time `shutdown()` waits for telemetry to flush.
     * @default 5000
     */
    timeoutMs?: number;
    /**
     * Flush on SIGTERM and SIGINT before the process exits.
     * @default true, except on Lambda
     */
    handleSignals?: boolean;
  };
  /** Default OTLP settings for every signal. */
  otlp?: OtlpOptions;
  tracing?: TracingOptions;
  lambda?: LambdaOptions;
  metrics?: MetricsOptions;
  xray?: XRayOptions;
  logging?: LoggingOptions;
  logs?: LogsOptions;
  http?: HttpOptions;
}
