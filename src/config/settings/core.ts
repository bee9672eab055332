import { DIAG_LEVELS } from '../../diag/index.js';
import { readEnv } from '../../runtime/index.js';
import { defineSettings } from '../setting.js';

/** Settings that concern all of Lookout. */
export const CORE_SETTINGS = defineSettings([
  {
    path: 'enabled',
    env: 'LOOKOUT_ENABLED',
    type: 'boolean',
    default: true,
    defaultText: '`true`',
    description: 'Turns every part of Lookout off when false; the API stays callable and does nothing.',
  },
  {
    path: 'serviceName',
    env: 'LOOKOUT_SERVICE_NAME',
    standard: ['OTEL_SERVICE_NAME', 'POWERTOOLS_SERVICE_NAME'],
    type: 'string',
    // Resolved later from OTEL_RESOURCE_ATTRIBUTES, AWS_LAMBDA_FUNCTION_NAME and the app's
    // package.json (see resolve-config.ts; docs/decisions/0031-one-service-name.md).
    default: undefined,
    defaultText:
      "`service.name` from `OTEL_RESOURCE_ATTRIBUTES`, then `AWS_LAMBDA_FUNCTION_NAME`, then the app's package.json `name`, then `unknown_service:node`",
    description:
      'The one service name on every span (`service.name`), log line (`service`) and EMF metric (`Service`), whichever of these variables set it: when `OTEL_SERVICE_NAME` and `POWERTOOLS_SERVICE_NAME` disagree, `OTEL_SERVICE_NAME` wins everywhere.',
  },
  {
    path: 'serviceVersion',
    env: 'LOOKOUT_SERVICE_VERSION',
    type: 'string',
    default: undefined,
    defaultText: "`AWS_LAMBDA_FUNCTION_VERSION`, then the app's package.json `version`",
    description: 'Service version (`service.version`).',
  },
  {
    path: 'environment',
    env: 'LOOKOUT_ENVIRONMENT',
    type: 'string',
    default: ({ env, runtime }) =>
      readEnv(env, 'NODE_ENV') ?? (runtime.kind === 'local' ? 'development' : 'production'),
    defaultText:
      '`deployment.environment.name` from `OTEL_RESOURCE_ATTRIBUTES`, then `NODE_ENV`, then `production` on AWS and `development` elsewhere',
    description:
      'Deployment environment: `deployment.environment.name`, the `environment` log key and the `Environment` metric dimension.',
  },
  {
    path: 'resourceAttributes',
    env: 'LOOKOUT_RESOURCE_ATTRIBUTES',
    standard: ['OTEL_RESOURCE_ATTRIBUTES'],
    type: 'map',
    default: {},
    defaultText: 'none',
    description:
      'Extra resource attributes, `key=value` pairs separated by commas, keys and values percent-encoded.',
  },
  {
    path: 'excludedPaths',
    env: 'LOOKOUT_EXCLUDED_PATHS',
    type: 'list',
    default: ['/health', '/healthz', '/ready', '/favicon.ico'],
    defaultText: '`/health,/healthz,/ready,/favicon.ico`',
    description: 'Request paths that create no spans, logs or metrics. A trailing `*` matches a prefix.',
  },
  {
    path: 'diagnostics.level',
    env: 'LOOKOUT_DIAGNOSTICS_LEVEL',
    standard: ['OTEL_LOG_LEVEL'],
    type: 'enum',
    values: Object.keys(DIAG_LEVELS) as (keyof typeof DIAG_LEVELS)[],
    default: 'warn',
    defaultText: '`warn`',
    description:
      "Level of Lookout's own diagnostics on stderr, and of the OpenTelemetry SDK's internal logger.",
  },
  {
    path: 'shutdown.timeoutMs',
    env: 'LOOKOUT_SHUTDOWN_TIMEOUT_MS',
    type: 'integer',
    min: 0,
    max: 120_000,
    default: 5000,
    defaultText: '`5000`',
    description: 'Longest time `shutdown()` waits for telemetry to flush, in milliseconds.',
  },
  {
    path: 'shutdown.handleSignals',
    env: 'LOOKOUT_HANDLE_SIGNALS',
    type: 'boolean',
    default: ({ runtime }) => runtime.kind !== 'lambda',
    defaultText: '`true`, except on Lambda',
    description:
      "Flush telemetry on SIGTERM and SIGINT before the process exits; the app's own handlers still run.",
  },
]);
