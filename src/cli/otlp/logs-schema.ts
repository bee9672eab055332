// opentelemetry/proto/logs/v1/logs.proto and collector/logs/v1/logs_service.proto.
import { ANY_VALUE, INSTRUMENTATION_SCOPE, KEY_VALUE, RESOURCE } from './common-schema.js';
import { type Decoded, defineEnum, defineMessage, field, optional, repeated } from './message-schema.js';

/** 0 unspecified, then TRACE, TRACE2, TRACE3, TRACE4 (1-4), DEBUG… (5-8), … FATAL4 (24). */
export const SEVERITY_NUMBER = defineEnum(
  'SeverityNumber',
  'SEVERITY_NUMBER_',
  ['UNSPECIFIED'].concat(
    ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) =>
      ['', '2', '3', '4'].map((suffix) => `${level}${suffix}`),
    ),
  ),
);

/**
 * `body` is absent when the record has none: an empty AnyValue counts as none, since the JSON
 * serializer writes `{}` where protobuf writes nothing.
 */
export const LOG_RECORD = defineMessage('LogRecord', {
  timeUnixNano: field(1, 'fixed64'),
  observedTimeUnixNano: field(11, 'fixed64'),
  severityNumber: field(2, SEVERITY_NUMBER),
  severityText: field(3, 'string'),
  body: optional(5, () => ANY_VALUE),
  attributes: repeated(6, () => KEY_VALUE),
  droppedAttributesCount: field(7, 'uint32'),
  flags: field(8, 'fixed32'),
  traceId: field(9, 'id'),
  spanId: field(10, 'id'),
  eventName: field(12, 'string'),
});
export type OtlpLogRecord = Decoded<typeof LOG_RECORD>;

export const SCOPE_LOGS = defineMessage('ScopeLogs', {
  scope: field(1, () => INSTRUMENTATION_SCOPE),
  logRecords: repeated(2, () => LOG_RECORD),
  schemaUrl: field(3, 'string'),
});
export type OtlpScopeLogs = Decoded<typeof SCOPE_LOGS>;

export const RESOURCE_LOGS = defineMessage('ResourceLogs', {
  resource: field(1, () => RESOURCE),
  scopeLogs: repeated(2, () => SCOPE_LOGS),
  schemaUrl: field(3, 'string'),
});
export type OtlpResourceLogs = Decoded<typeof RESOURCE_LOGS>;

/** The body of `POST /v1/logs`. */
export const EXPORT_LOGS_SERVICE_REQUEST = defineMessage('ExportLogsServiceRequest', {
  resourceLogs: repeated(1, () => RESOURCE_LOGS),
});
export type OtlpLogsRequest = Decoded<typeof EXPORT_LOGS_SERVICE_REQUEST>;
