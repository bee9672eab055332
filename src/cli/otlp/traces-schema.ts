// opentelemetry/proto/trace/v1/trace.proto and collector/trace/v1/trace_service.proto.
import { INSTRUMENTATION_SCOPE, KEY_VALUE, RESOURCE } from './common-schema.js';
import { type Decoded, defineEnum, defineMessage, field, repeated } from './message-schema.js';

export const SPAN_KIND = defineEnum('SpanKind', 'SPAN_KIND_', [
  'UNSPECIFIED',
  'INTERNAL',
  'SERVER',
  'CLIENT',
  'PRODUCER',
  'CONSUMER',
] as const);

export const STATUS_CODE = defineEnum('StatusCode', 'STATUS_CODE_', ['UNSET', 'OK', 'ERROR'] as const);

export const SPAN_EVENT = defineMessage('Event', {
  timeUnixNano: field(1, 'fixed64'),
  name: field(2, 'string'),
  attributes: repeated(3, () => KEY_VALUE),
  droppedAttributesCount: field(4, 'uint32'),
});
export type OtlpSpanEvent = Decoded<typeof SPAN_EVENT>;

export const SPAN_LINK = defineMessage('Link', {
  traceId: field(1, 'id'),
  spanId: field(2, 'id'),
  traceState: field(3, 'string'),
  attributes: repeated(4, () => KEY_VALUE),
  droppedAttributesCount: field(5, 'uint32'),
  flags: field(6, 'fixed32'),
});
export type OtlpSpanLink = Decoded<typeof SPAN_LINK>;

/** `code`: 0 unset, 1 ok, 2 error. */
export const STATUS = defineMessage('Status', {
  message: field(2, 'string'),
  code: field(3, STATUS_CODE),
});
export type OtlpStatus = Decoded<typeof STATUS>;

/** `parentSpanId` is empty for a root span; `kind` is a SPAN_KIND value. */
export const SPAN = defineMessage('Span', {
  traceId: field(1, 'id'),
  spanId: field(2, 'id'),
  traceState: field(3, 'string'),
  parentSpanId: field(4, 'id'),
  flags: field(16, 'fixed32'),
  name: field(5, 'string'),
  kind: field(6, SPAN_KIND),
  startTimeUnixNano: field(7, 'fixed64'),
  endTimeUnixNano: field(8, 'fixed64'),
  attributes: repeated(9, () => KEY_VALUE),
  droppedAttributesCount: field(10, 'uint32'),
  events: repeated(11, () => SPAN_EVENT),
  droppedEventsCount: field(12, 'uint32'),
  links: repeated(13, () => SPAN_LINK),
  droppedLinksCount: field(14, 'uint32'),
  status: field(15, () => STATUS),
});
export type OtlpSpan = Decoded<typeof SPAN>;

export const SCOPE_SPANS = defineMessage('ScopeSpans', {
  scope: field(1, () => INSTRUMENTATION_SCOPE),
  spans: repeated(2, () => SPAN),
  schemaUrl: field(3, 'string'),
});
export type OtlpScopeSpans = Decoded<typeof SCOPE_SPANS>;

export const RESOURCE_SPANS = defineMessage('ResourceSpans', {
  resource: field(1, () => RESOURCE),
  scopeSpans: repeated(2, () => SCOPE_SPANS),
  schemaUrl: field(3, 'string'),
});
export type OtlpResourceSpans = Decoded<typeof RESOURCE_SPANS>;

/** The body of `POST /v1/traces`. */
export const EXPORT_TRACE_SERVICE_REQUEST = defineMessage('ExportTraceServiceRequest', {
  resourceSpans: repeated(1, () => RESOURCE_SPANS),
});
export type OtlpTraceRequest = Decoded<typeof EXPORT_TRACE_SERVICE_REQUEST>;
