// The variables Lookout reads that are not settings: facts the platform sets (Lambda, ECS, the
// collector layer, the Lookout layer's exec wrapper) and conventions Lookout follows as its
// peers do. They have no option and no `LOOKOUT_*` alias, since nobody chooses them for
// Lookout, but they change what it does, so the generated docs/environment-variables.md lists
// them beside the settings, and test/unit/config/environment-reads.test.ts fails when the SDK
// reads a variable that is in neither table.

/** A variable Lookout reads without it being a setting. */
export interface PlatformVariable {
  readonly name: string;
  /** Who sets it. */
  readonly setBy: string;
  /** What Lookout does with it. */
  readonly use: string;
}

/**
 * The OpenTelemetry SDK's span limit variables. Lookout passes them to the SDK unread, except to
 * know whether any is set: Lookout's own SERVER and CLIENT spans are lean spans that keep only the
 * default limits (docs/decisions/0056-lean-request-spans.md).
 */
export const SPAN_LIMIT_VARIABLES = [
  'OTEL_ATTRIBUTE_COUNT_LIMIT',
  'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
  'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT',
  'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT',
  'OTEL_SPAN_EVENT_COUNT_LIMIT',
  'OTEL_SPAN_LINK_COUNT_LIMIT',
  'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT',
  'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT',
] as const;

/**
 * The batch span processor's bounds, read the same way by Lookout's span processors: on servers
 * (docs/decisions/0077-server-span-processor.md) and on Lambda
 * (docs/decisions/0059-lambda-span-processor.md).
 */
export const BATCH_SPAN_PROCESSOR_VARIABLES = [
  'OTEL_BSP_MAX_QUEUE_SIZE',
  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_BSP_SCHEDULE_DELAY',
] as const;

/**
 * The batch log record processor's bounds, for log records over OTLP: queue, batch, delay and
 * export timeout, in that order (src/logging/otlp/start-otlp-logs.ts).
 */
export const BATCH_LOG_RECORD_PROCESSOR_VARIABLES = [
  'OTEL_BLRP_MAX_QUEUE_SIZE',
  'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_BLRP_SCHEDULE_DELAY',
  'OTEL_BLRP_EXPORT_TIMEOUT',
] as const;

export const PLATFORM_VARIABLES: readonly PlatformVariable[] = [
  {
    name: 'OPENTELEMETRY_COLLECTOR_CONFIG_URI',
    setBy: 'the ADOT / OpenTelemetry collector Lambda layer',
    use: 'A collector runs beside the function: the default span exporter on Lambda is `otlp` instead of `xray` (`config.sources["tracing.exporter"]` says why).',
  },
  {
    name: 'TZ',
    setBy: 'the process environment',
    use: 'Log timestamps are UTC ISO strings when unset or UTC; another zone gives local time with its offset, as Powertools writes them.',
  },
  {
    name: 'NODE_ENV',
    setBy: 'the app',
    use: 'The default of `environment` when neither `LOOKOUT_ENVIRONMENT` nor `deployment.environment.name` is set.',
  },
  {
    name: 'POWERTOOLS_DEV',
    setBy: 'the developer, as for Powertools',
    use: 'A true value (`1`, `y`, `yes`, `t`, `true`, `on`) makes `logging.pretty` default to true and, unless `POWERTOOLS_METRICS_DISABLED` is set, `metrics.enabled` to false.',
  },
  {
    name: 'POWERTOOLS_METRICS_DISABLED',
    setBy: 'the developer, as for Powertools',
    use: 'True (`true`, `1`, `yes`, `y`, `on`) makes `metrics.enabled` default to false; false keeps metrics on whatever `POWERTOOLS_DEV` says.',
  },
  {
    name: 'AWS_LAMBDA_FUNCTION_NAME',
    setBy: 'Lambda',
    use: 'Detects Lambda; the default service name, the function name on spans and metrics.',
  },
  { name: 'AWS_LAMBDA_FUNCTION_VERSION', setBy: 'Lambda', use: 'The default service version.' },
  { name: 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', setBy: 'Lambda', use: 'Resource attribute `faas.max_memory`.' },
  {
    name: 'AWS_LAMBDA_MAX_CONCURRENCY',
    setBy: 'Lambda (invocations run concurrently in one environment)',
    use: "Powertools keeps the logger's level and the Logger's and Metrics' state per invocation; Lookout then reads the level on every line instead of keeping it. Read once per process (docs/decisions/0064-invoke-store-switch-read-once.md).",
  },
  {
    name: 'AWS_LAMBDA_LOG_GROUP_NAME',
    setBy: 'Lambda',
    use: 'Resource attribute `aws.log.group.names`.',
  },
  {
    name: 'AWS_LAMBDA_LOG_STREAM_NAME',
    setBy: 'Lambda',
    use: 'Resource attribute `faas.instance`.',
  },
  {
    name: 'AWS_LAMBDA_INITIALIZATION_TYPE',
    setBy: 'Lambda',
    use: 'How the environment started (`on-demand`, `provisioned-concurrency`, `snap-start`), kept in `config.runtime.lambda`.',
  },
  {
    name: 'AWS_LAMBDA_RUNTIME_API',
    setBy: 'Lambda',
    use: 'Where the Extensions API is: answer first, deliver after (`lambda.delivery`).',
  },
  {
    name: 'LAMBDA_TASK_ROOT',
    setBy: 'Lambda',
    use: "The function's code folder, where the Lookout layer's handler finds the function's packages.",
  },
  {
    name: '_X_AMZN_TRACE_ID',
    setBy: 'Lambda',
    use: "The invocation's X-Ray trace header, when the runtime does not pass it in the context.",
  },
  {
    name: 'LOOKOUT_LAMBDA_HANDLER',
    setBy: "the Lookout layer's exec wrapper",
    use: "The function's own handler, which the layer's handler wraps.",
  },
  {
    name: 'LOOKOUT_LAMBDA_MODULE_FORMAT',
    setBy: "the function's configuration, for the Lookout layer's exec wrapper",
    use: "Read by the exec wrapper (`esm` or `cjs`: which of the layer's handlers loads the function's, docs/lambda.md); Lookout reads it only to name it in the error of an ES module response-streaming handler that `cjs` sent to the CommonJS handler.",
  },
  { name: 'AWS_REGION', setBy: 'Lambda, ECS', use: 'Resource attribute `cloud.region`.' },
  {
    name: 'AWS_DEFAULT_REGION',
    setBy: 'the AWS CLI convention',
    use: '`cloud.region` when `AWS_REGION` is unset.',
  },
  {
    name: 'AWS_EXECUTION_ENV',
    setBy: 'Lambda, ECS',
    use: 'Detects the runtime (`AWS_ECS_FARGATE`, `AWS_ECS_EC2`, `AWS_Lambda_…`).',
  },
  {
    name: 'ECS_CONTAINER_METADATA_URI_V4',
    setBy: 'ECS',
    use: 'Detects ECS; the task metadata endpoint, read after start-up for the task and container attributes.',
  },
  {
    name: 'ECS_CONTAINER_METADATA_URI',
    setBy: 'ECS (older agents)',
    use: 'As `ECS_CONTAINER_METADATA_URI_V4`, when that is unset.',
  },
  ...SPAN_LIMIT_VARIABLES.map((name) => ({
    name,
    setBy: 'the developer, as for the OpenTelemetry SDK',
    use: "The SDK's span limit. When any of these is set, Lookout's own spans (the SERVER span of a request or a Lambda invocation, the CLIENT spans) are started by the SDK tracer, which applies it; when none is, they are lean spans with the SDK's default limits (docs/decisions/0056-lean-request-spans.md, docs/decisions/0063-lean-invocation-spans.md).",
  })),
  ...BATCH_SPAN_PROCESSOR_VARIABLES.map((name) => ({
    name,
    setBy: 'the developer, as for the OpenTelemetry SDK',
    use: "The batch span processor's bound (defaults: 2048 spans queued, 512 per export, 5000 ms before spans no flush took are exported). Read by Lookout's span processors, as the OpenTelemetry SDK's batch span processor reads it: on servers one that never holds an ending process and splits a batch too large for one request (docs/decisions/0077-server-span-processor.md); on Lambda one that exports at each invocation's delivery (docs/decisions/0059-lambda-span-processor.md). Spans being exported count against the queue size. An `OTEL_BSP_SCHEDULE_DELAY` above 2147483647, the longest a Node timer waits, is ignored with a warning.",
  })),
  {
    name: 'OTEL_BSP_EXPORT_TIMEOUT',
    setBy: 'the developer, as for the OpenTelemetry SDK',
    use: "Longest time Lookout's span processor on servers waits for one export, in milliseconds (default 30000), before its spans stop counting against the queue and the next export starts (said once, `LOOKOUT_EXPORT_FAILED`); the wait never keeps an ending process up; a value above 2147483647, the longest a Node timer waits, is ignored with a warning. No effect on Lambda: every flush there is bounded by the invocation's delivery budget or the shutdown's.",
  },
  ...BATCH_LOG_RECORD_PROCESSOR_VARIABLES.map((name) => ({
    name,
    setBy: 'the developer, as for the OpenTelemetry SDK',
    use: 'A bound of the log record batch of `logs.exporter=otlp`, as in the OpenTelemetry SDK (defaults 2048 queued, 512 an export, 1000 ms delay, 30000 ms timeout).',
  })),
];
