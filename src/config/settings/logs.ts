import { checkHttpHeader, HTTP_HEADERS_ACCEPTED } from '../check-http-header.js';
import { LOG_CORRELATION_TARGETS, LOGS_EXPORTER_NAMES, OTLP_PROTOCOLS } from '../options.js';
import { defineSettings } from '../setting.js';
import { otlpTlsSettings } from './otlp-tls.js';

/** Trace ids in the app's own loggers, and log records over OTLP. */
export const LOGS_SETTINGS = defineSettings([
  {
    path: 'logging.correlation',
    env: 'LOOKOUT_LOG_CORRELATION',
    type: 'list',
    values: LOG_CORRELATION_TARGETS,
    default: ['pino', 'winston'],
    defaultText: '`pino,winston`',
    description:
      "Loggers whose lines get `trace_id`, `span_id` and `xray_trace_id` of the active span, without replacing the logger or its format: `pino` and `winston` loggers the app creates, and `console` on AWS Lambda (appended as `trace_id=… span_id=… xray_trace_id=…`). `none` turns it off. Lookout's own `logger` always carries them.",
  },
  {
    path: 'logs.exporter',
    env: 'LOOKOUT_LOGS_EXPORTER',
    standard: ['OTEL_LOGS_EXPORTER'],
    type: 'list',
    values: LOGS_EXPORTER_NAMES,
    acceptsSingle: true,
    default: ['none'],
    defaultText: '`none`',
    description:
      "`otlp` also sends each line of Lookout's `logger` as an OpenTelemetry log record, with its trace context, to the collector's logs pipeline (`/v1/logs`). The lines on stdout do not change.",
  },
  {
    path: 'logs.otlp.endpoint',
    env: 'LOOKOUT_OTLP_LOGS_ENDPOINT',
    standard: ['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'],
    type: 'url',
    default: undefined,
    defaultText: '`otlp.endpoint` + `/v1/logs`',
    description: 'Full URL for log records, used as is.',
  },
  {
    path: 'logs.otlp.headers',
    env: 'LOOKOUT_OTLP_LOGS_HEADERS',
    standard: ['OTEL_EXPORTER_OTLP_LOGS_HEADERS'],
    type: 'map',
    checkPair: checkHttpHeader,
    acceptsText: HTTP_HEADERS_ACCEPTED,
    default: {},
    defaultText: 'none',
    description: 'Headers for log record export requests; they override `otlp.headers` of the same name.',
  },
  {
    path: 'logs.otlp.protocol',
    env: 'LOOKOUT_OTLP_LOGS_PROTOCOL',
    standard: ['OTEL_EXPORTER_OTLP_LOGS_PROTOCOL'],
    type: 'enum',
    values: OTLP_PROTOCOLS,
    default: undefined,
    defaultText: '`otlp.protocol`',
    description: 'OTLP wire format for log records.',
  },
  {
    path: 'logs.otlp.timeoutMs',
    env: 'LOOKOUT_OTLP_LOGS_TIMEOUT_MS',
    standard: ['OTEL_EXPORTER_OTLP_LOGS_TIMEOUT'],
    type: 'integer',
    min: 1,
    max: 600_000,
    default: undefined,
    defaultText: '`otlp.timeoutMs`',
    description: 'Longest time one log record export request may take, in milliseconds.',
  },
  ...otlpTlsSettings('logs.otlp', 'LOOKOUT_OTLP_LOGS', 'LOGS_', 'log records'),
]);
