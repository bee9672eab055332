import { checkNamespace } from '../../emf/emf-limits.js';
import { DEFAULT_METRICS_NAMESPACE } from '../../emf/metric-names.js';
import type { Env } from '../../runtime/index.js';
import { checkHttpHeader, HTTP_HEADERS_ACCEPTED } from '../check-http-header.js';
import { METRICS_EXPORTER_NAMES, OTLP_PROTOCOLS } from '../options.js';
import { readPowertoolsBoolean } from '../read-powertools-boolean.js';
import { defineSettings } from '../setting.js';
import { otlpTlsSettings } from './otlp-tls.js';

/**
 * Whether metrics are on when no option or LOOKOUT_METRICS_ENABLED says: exactly Powertools'
 * rule, so a Powertools user changes nothing. POWERTOOLS_METRICS_DISABLED wins; when it is
 * unset, POWERTOOLS_DEV=true turns metrics off.
 */
function metricsEnabledFromPowertools(env: Env): boolean {
  // An unusable value makes Powertools' own constructor fail, which Lookout reports once (see
  // lookout-metrics.ts) and treats as unset here.
  const disabled = readPowertoolsBoolean(env, 'POWERTOOLS_METRICS_DISABLED');
  if (disabled !== undefined) return !disabled;
  return readPowertoolsBoolean(env, 'POWERTOOLS_DEV') !== true;
}

/** Metrics settings: EMF through Powertools, and the optional OpenTelemetry metrics SDK. */
export const METRICS_SETTINGS = defineSettings([
  {
    path: 'metrics.enabled',
    env: 'LOOKOUT_METRICS_ENABLED',
    type: 'boolean',
    default: ({ env }) => metricsEnabledFromPowertools(env),
    defaultText:
      '`true`; `false` when `POWERTOOLS_METRICS_DISABLED` is true (Powertools spellings: `true`, `1`, `yes`, `y`, `on`), or when `POWERTOOLS_DEV` is true and `POWERTOOLS_METRICS_DISABLED` is unset',
    description:
      'Turns EMF metrics on or off: the `metrics` object, request and invocation metrics. Off, nothing is written to stdout.',
  },
  {
    path: 'metrics.namespace',
    env: 'LOOKOUT_METRICS_NAMESPACE',
    standard: ['POWERTOOLS_METRICS_NAMESPACE'],
    type: 'string',
    check: checkNamespace,
    acceptsText:
      'a CloudWatch namespace: up to 255 ASCII letters, digits, spaces and `. - _ / # :`, not starting with `AWS/`',
    default: DEFAULT_METRICS_NAMESPACE,
    defaultText: `\`${DEFAULT_METRICS_NAMESPACE}\``,
    description: 'CloudWatch namespace of every metric Lookout writes, its own and those added to `metrics`.',
  },
  {
    path: 'metrics.flushIntervalMs',
    env: 'LOOKOUT_METRICS_FLUSH_INTERVAL_MS',
    type: 'integer',
    min: 10,
    max: 3_600_000,
    default: 60_000,
    defaultText: '`60000`',
    description:
      'How often a long-running server writes its aggregated metrics as EMF, in milliseconds. Lambda also flushes at the end of every invocation.',
  },
  {
    path: 'metrics.highResolution',
    env: 'LOOKOUT_METRICS_HIGH_RESOLUTION',
    type: 'boolean',
    default: false,
    defaultText: '`false`',
    description:
      'Publishes metrics at one-second resolution (`StorageResolution` 1), which CloudWatch prices higher. Pair it with a short flush interval.',
  },
  {
    path: 'metrics.requestMetrics',
    env: 'LOOKOUT_REQUEST_METRICS',
    type: 'boolean',
    default: true,
    defaultText: '`true`',
    description:
      'Records `RequestCount`, `Latency`, `Error` and `Fault` for every HTTP request an adapter observes.',
  },
  {
    path: 'metrics.exporter',
    env: 'LOOKOUT_METRICS_EXPORTER',
    standard: ['OTEL_METRICS_EXPORTER'],
    type: 'list',
    values: METRICS_EXPORTER_NAMES,
    acceptsSingle: true,
    default: ['none'],
    defaultText: '`none` (the OpenTelemetry default is `otlp`; Lookout writes metrics as EMF instead)',
    description:
      'OpenTelemetry metrics exporters for the Meter API of `@opentelemetry/api`. With `none` the OpenTelemetry metrics SDK is never loaded.',
  },
  {
    path: 'metrics.exportIntervalMs',
    env: 'LOOKOUT_METRICS_EXPORT_INTERVAL_MS',
    standard: ['OTEL_METRIC_EXPORT_INTERVAL'],
    type: 'integer',
    min: 10,
    max: 3_600_000,
    default: 60_000,
    defaultText: '`60000`',
    description: 'How often OpenTelemetry metrics are exported, in milliseconds.',
  },
  {
    path: 'metrics.exportTimeoutMs',
    env: 'LOOKOUT_METRICS_EXPORT_TIMEOUT_MS',
    standard: ['OTEL_METRIC_EXPORT_TIMEOUT'],
    type: 'integer',
    min: 1,
    max: 3_600_000,
    default: undefined,
    defaultText: '`metrics.otlp.timeoutMs`',
    description:
      'Longest time one OpenTelemetry metrics export may take (retries included); at most the interval.',
  },
  {
    path: 'metrics.otlp.endpoint',
    env: 'LOOKOUT_METRICS_ENDPOINT',
    standard: ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'],
    type: 'url',
    default: undefined,
    defaultText: '`otlp.endpoint` + `/v1/metrics`',
    description: 'Full URL for OpenTelemetry metrics, used as is.',
  },
  {
    path: 'metrics.otlp.protocol',
    env: 'LOOKOUT_METRICS_PROTOCOL',
    standard: ['OTEL_EXPORTER_OTLP_METRICS_PROTOCOL'],
    type: 'enum',
    values: OTLP_PROTOCOLS,
    default: undefined,
    defaultText: '`otlp.protocol`',
    description: 'OTLP wire format for metrics.',
  },
  {
    path: 'metrics.otlp.headers',
    env: 'LOOKOUT_METRICS_HEADERS',
    standard: ['OTEL_EXPORTER_OTLP_METRICS_HEADERS'],
    type: 'map',
    checkPair: checkHttpHeader,
    acceptsText: HTTP_HEADERS_ACCEPTED,
    default: {},
    defaultText: 'none',
    description: 'Headers for metric export requests; they override `otlp.headers` of the same name.',
  },
  {
    path: 'metrics.otlp.timeoutMs',
    env: 'LOOKOUT_METRICS_TIMEOUT_MS',
    standard: ['OTEL_EXPORTER_OTLP_METRICS_TIMEOUT'],
    type: 'integer',
    min: 1,
    max: 600_000,
    default: undefined,
    defaultText: '`otlp.timeoutMs`',
    description: 'Longest time one metric export request may take, in milliseconds.',
  },
  ...otlpTlsSettings('metrics.otlp', 'LOOKOUT_METRICS', 'METRICS_', 'metrics'),
  {
    path: 'metrics.runtimeMetrics',
    env: 'LOOKOUT_RUNTIME_METRICS',
    type: 'boolean',
    default: ({ runtime }) => runtime.kind !== 'lambda',
    defaultText: '`true`; on Lambda `false`',
    description:
      'Runtime metrics as EMF, named as the OpenTelemetry runtime conventions name them: event-loop delay p50/p99 and utilization, GC pause time by kind, heap used and limit, RSS, active handles. A sample every 10 s on servers; on Lambda, one per invocation when turned on.',
  },
]);
