import type { DiagLevel } from '../diag/index.js';

/** Trace samplers, named as OTEL_TRACES_SAMPLER names them. */
export const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** Context propagators, named as OTEL_PROPAGATORS names them. */
export const PROPAGATOR_NAMES = ['tracecontext', 'baggage', 'xray'] as const;
export type PropagatorName = (typeof PROPAGATOR_NAMES)[number];

/** Instrumentations Lookout can load; each is loaded only when enabled (DESIGN decision 5). */
export const INSTRUMENTATION_NAMES = ['http', 'express', 'undici', 'aws-sdk'] as const;
export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];

/** OTLP wire protocols, named as OTEL_EXPORTER_OTLP_PROTOCOL names them. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** Span exporters built in; `xray` is registered by the X-Ray exporter module. */
export const TRACES_EXPORTER_NAMES = ['otlp', 'console', 'xray', 'none'] as const;
export type TracesExporterName = (typeof TRACES_EXPORTER_NAMES)[number];

/** Which trace a Lambda invocation continues (see `LambdaOptions.traceContext`). */
export const LAMBDA_TRACE_CONTEXTS = ['lambda', 'http'] as const;
export type LambdaTraceContext = (typeof LAMBDA_TRACE_CONTEXTS)[number];

/** Settings for an OTLP/HTTP endpoint. */
export interface OtlpOptions {
  /**
   * Base URL of the collector; `/v1/traces` is appended for traces.
   * @default "http://localhost:4318"
   */
  endpoint?: string;
  /** @default "http/protobuf" */
  protocol?: OtlpProtocol;
  /** Extra request headers, e.g. an API key. Values are never logged. */
  headers?: Record<string, string>;
  /**
   * How long one export request may take.
   * @default 10000
   */
  timeoutMs?: number;
}

/** Tracing settings. */
export interface TracingOptions {
  /**
   * Turns tracing on or off; `OTEL_SDK_DISABLED=true` turns it off.
   * @default true
   */
  enabled?: boolean;
  /**
   * Where spans go: one exporter name or several.
   * @default "otlp"
   */
  exporter?: TracesExporterName | TracesExporterName[];
  /** @default "parentbased_always_on" */
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
   * Instrumentations to load.
   * @default ["http", "express", "undici", "aws-sdk"]
   */
  instrumentations?: InstrumentationName[];
  /**
   * Instrumentations not to load, even when listed in `instrumentations`.
   * @default []
   */
  disabledInstrumentations?: InstrumentationName[];
  /** OTLP settings for traces only; each overrides the matching top-level `otlp` field. */
  otlp?: OtlpOptions & {
    /** Full traces URL, used as is (no path appended). */
    endpoint?: string;
  };
}

/** Lambda settings, for `lookout/lambda` and the layer; `wrap(handler, options)` overrides them per handler. */
export interface LambdaOptions {
  /**
   * Which trace an invocation's span continues: `lambda`, the invocation's X-Ray trace header
   * (`_X_AMZN_TRACE_ID`); or `http`, for API Gateway, ALB and function URL events, the caller's
   * `traceparent` / `X-Amzn-Trace-Id` request headers (falling back to `lambda`).
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
  /** Extra resource attributes for every span. */
  resourceAttributes?: Record<string, string>;
  /**
   * Request paths that create no spans, logs or metrics (DESIGN decision 7). A trailing `*` matches a prefix.
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
}
