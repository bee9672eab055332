// Decodes the binary protobuf bodies of OTLP/HTTP export requests (what `http/protobuf`
// exporters POST to /v1/traces, /v1/metrics and /v1/logs) into OTLP/JSON-shaped objects.
//
// Field numbers and types follow opentelemetry-proto v1 (common, resource, trace, metrics and
// logs .proto files, and the collector *_service.proto requests). Deprecated and removed fields
// (InstrumentationLibrary*, int_gauge, labels, ...) are skipped like any unknown field.
import {
  type DecodeLimits,
  OtlpDecodeError,
  ProtobufReader,
  type ProtobufTag,
  WIRE_TYPES,
} from './decode-protobuf.js';
import type {
  OtlpAnyValue,
  OtlpExemplar,
  OtlpExponentialBuckets,
  OtlpExponentialHistogramDataPoint,
  OtlpHistogramDataPoint,
  OtlpInstrumentationScope,
  OtlpKeyValue,
  OtlpLogRecord,
  OtlpLogsRequest,
  OtlpMetric,
  OtlpMetricsRequest,
  OtlpNumberDataPoint,
  OtlpRequestBySignal,
  OtlpResource,
  OtlpResourceLogs,
  OtlpResourceMetrics,
  OtlpResourceSpans,
  OtlpScopeLogs,
  OtlpScopeMetrics,
  OtlpScopeSpans,
  OtlpSignal,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpSpanLink,
  OtlpStatus,
  OtlpSummaryDataPoint,
  OtlpTraceRequest,
  OtlpValueAtQuantile,
} from './otlp-types.js';

const { VARINT, FIXED64, LENGTH_DELIMITED, FIXED32 } = WIRE_TYPES;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Lowercase hex of an id's bytes (OTLP/JSON writes trace and span ids as hex, not base64). */
function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += HEX[byte];
  return hex;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

function readId(reader: ProtobufReader, tag: ProtobufTag): string {
  reader.expect(tag, LENGTH_DELIMITED);
  return toHex(reader.readBytes());
}

function readString(reader: ProtobufReader, tag: ProtobufTag): string {
  reader.expect(tag, LENGTH_DELIMITED);
  return reader.readString();
}

function readUint32(reader: ProtobufReader, tag: ProtobufTag): number {
  reader.expect(tag, VARINT);
  return reader.readUint32();
}

function readEnum(reader: ProtobufReader, tag: ProtobufTag): number {
  reader.expect(tag, VARINT);
  return reader.readInt32();
}

function readFixed64String(reader: ProtobufReader, tag: ProtobufTag): string {
  reader.expect(tag, FIXED64);
  return reader.readFixed64().toString();
}

function readDouble(reader: ProtobufReader, tag: ProtobufTag): number {
  reader.expect(tag, FIXED64);
  return reader.readDouble();
}

// ---------------------------------------------------------------------------------------------
// common/v1/common.proto, resource/v1/resource.proto

/** AnyValue: string_value 1, bool_value 2, int_value 3 (int64), double_value 4, array_value 5, kvlist_value 6, bytes_value 7. */
function decodeAnyValue(reader: ProtobufReader): OtlpAnyValue {
  // A oneof: the last field seen wins, as in every protobuf parser.
  let value: OtlpAnyValue = {};
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 1:
        value = { stringValue: readString(reader, tag) };
        break;
      case 2:
        reader.expect(tag, VARINT);
        value = { boolValue: reader.readBool() };
        break;
      case 3:
        reader.expect(tag, VARINT);
        value = { intValue: reader.readInt64().toString() };
        break;
      case 4:
        value = { doubleValue: readDouble(reader, tag) };
        break;
      case 5: {
        reader.expect(tag, LENGTH_DELIMITED);
        value = { arrayValue: { values: decodeValueList(reader.readMessage(), decodeAnyValue) } };
        break;
      }
      case 6: {
        reader.expect(tag, LENGTH_DELIMITED);
        value = { kvlistValue: { values: decodeValueList(reader.readMessage(), decodeKeyValue) } };
        break;
      }
      case 7:
        reader.expect(tag, LENGTH_DELIMITED);
        value = { bytesValue: toBase64(reader.readBytes()) };
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  return value;
}

/** ArrayValue / KeyValueList: repeated values = 1. */
function decodeValueList<T>(reader: ProtobufReader, decodeOne: (reader: ProtobufReader) => T): T[] {
  const values: T[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1) {
      reader.expect(tag, LENGTH_DELIMITED);
      values.push(decodeOne(reader.readMessage()));
    } else {
      reader.skip(tag.wireType);
    }
  }
  return values;
}

/** KeyValue: key 1, value 2. */
function decodeKeyValue(reader: ProtobufReader): OtlpKeyValue {
  let key = '';
  let value: OtlpAnyValue = {};
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1) key = readString(reader, tag);
    else if (tag.field === 2) {
      reader.expect(tag, LENGTH_DELIMITED);
      value = decodeAnyValue(reader.readMessage());
    } else reader.skip(tag.wireType);
  }
  return { key, value };
}

function pushKeyValue(reader: ProtobufReader, tag: ProtobufTag, into: OtlpKeyValue[]): void {
  reader.expect(tag, LENGTH_DELIMITED);
  into.push(decodeKeyValue(reader.readMessage()));
}

/** Resource: attributes 1, dropped_attributes_count 2 (entity_refs 3 is skipped). */
function decodeResource(reader: ProtobufReader): OtlpResource {
  const attributes: OtlpKeyValue[] = [];
  let droppedAttributesCount = 0;
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1) pushKeyValue(reader, tag, attributes);
    else if (tag.field === 2) droppedAttributesCount = readUint32(reader, tag);
    else reader.skip(tag.wireType);
  }
  return { attributes, droppedAttributesCount };
}

/** InstrumentationScope: name 1, version 2, attributes 3, dropped_attributes_count 4. */
function decodeScope(reader: ProtobufReader): OtlpInstrumentationScope {
  const scope: Mutable<OtlpInstrumentationScope> = {
    name: '',
    version: '',
    attributes: [],
    droppedAttributesCount: 0,
  };
  const attributes: OtlpKeyValue[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1) scope.name = readString(reader, tag);
    else if (tag.field === 2) scope.version = readString(reader, tag);
    else if (tag.field === 3) pushKeyValue(reader, tag, attributes);
    else if (tag.field === 4) scope.droppedAttributesCount = readUint32(reader, tag);
    else reader.skip(tag.wireType);
  }
  scope.attributes = attributes;
  return scope;
}

export const EMPTY_RESOURCE: OtlpResource = Object.freeze({ attributes: [], droppedAttributesCount: 0 });
export const EMPTY_SCOPE: OtlpInstrumentationScope = Object.freeze({
  name: '',
  version: '',
  attributes: [],
  droppedAttributesCount: 0,
});

/**
 * The envelope shared by the three signals: Resource* { resource 1, scope_* 2, schema_url 3 }
 * and Scope* { scope 1, items 2, schema_url 3 }.
 */
function decodeEnvelope<Item>(
  reader: ProtobufReader,
  decodeItem: (reader: ProtobufReader) => Item,
): {
  resource: OtlpResource;
  scopes: { scope: OtlpInstrumentationScope; items: Item[]; schemaUrl: string }[];
  schemaUrl: string;
} {
  let resource = EMPTY_RESOURCE;
  let schemaUrl = '';
  const scopes: { scope: OtlpInstrumentationScope; items: Item[]; schemaUrl: string }[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1) {
      reader.expect(tag, LENGTH_DELIMITED);
      resource = decodeResource(reader.readMessage());
    } else if (tag.field === 2) {
      reader.expect(tag, LENGTH_DELIMITED);
      scopes.push(decodeScopeItems(reader.readMessage(), decodeItem));
    } else if (tag.field === 3) {
      schemaUrl = readString(reader, tag);
    } else {
      reader.skip(tag.wireType);
    }
  }
  return { resource, scopes, schemaUrl };
}

function decodeScopeItems<Item>(
  reader: ProtobufReader,
  decodeItem: (reader: ProtobufReader) => Item,
): { scope: OtlpInstrumentationScope; items: Item[]; schemaUrl: string } {
  let scope = EMPTY_SCOPE;
  let schemaUrl = '';
  const items: Item[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1) {
      reader.expect(tag, LENGTH_DELIMITED);
      scope = decodeScope(reader.readMessage());
    } else if (tag.field === 2) {
      reader.expect(tag, LENGTH_DELIMITED);
      items.push(decodeItem(reader.readMessage()));
    } else if (tag.field === 3) {
      schemaUrl = readString(reader, tag);
    } else {
      reader.skip(tag.wireType);
    }
  }
  return { scope, items, schemaUrl };
}

/** Export*ServiceRequest: repeated Resource* resource_* = 1. */
function decodeRequest<Resource>(
  bytes: Uint8Array,
  limits: DecodeLimits | undefined,
  decodeResourceItem: (reader: ProtobufReader) => Resource,
): Resource[] {
  const reader = ProtobufReader.create(bytes, limits);
  const resources: Resource[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1) {
      reader.expect(tag, LENGTH_DELIMITED);
      resources.push(decodeResourceItem(reader.readMessage()));
    } else {
      reader.skip(tag.wireType);
    }
  }
  return resources;
}

// ---------------------------------------------------------------------------------------------
// trace/v1/trace.proto

/** Span.Event: time_unix_nano 1 (fixed64), name 2, attributes 3, dropped_attributes_count 4. */
function decodeSpanEvent(reader: ProtobufReader): OtlpSpanEvent {
  const event: Mutable<OtlpSpanEvent> = {
    timeUnixNano: '0',
    name: '',
    attributes: [],
    droppedAttributesCount: 0,
  };
  const attributes: OtlpKeyValue[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1) event.timeUnixNano = readFixed64String(reader, tag);
    else if (tag.field === 2) event.name = readString(reader, tag);
    else if (tag.field === 3) pushKeyValue(reader, tag, attributes);
    else if (tag.field === 4) event.droppedAttributesCount = readUint32(reader, tag);
    else reader.skip(tag.wireType);
  }
  event.attributes = attributes;
  return event;
}

/** Span.Link: trace_id 1, span_id 2, trace_state 3, attributes 4, dropped_attributes_count 5, flags 6 (fixed32). */
function decodeSpanLink(reader: ProtobufReader): OtlpSpanLink {
  const link: Mutable<OtlpSpanLink> = {
    traceId: '',
    spanId: '',
    traceState: '',
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
  };
  const attributes: OtlpKeyValue[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 1:
        link.traceId = readId(reader, tag);
        break;
      case 2:
        link.spanId = readId(reader, tag);
        break;
      case 3:
        link.traceState = readString(reader, tag);
        break;
      case 4:
        pushKeyValue(reader, tag, attributes);
        break;
      case 5:
        link.droppedAttributesCount = readUint32(reader, tag);
        break;
      case 6:
        reader.expect(tag, FIXED32);
        link.flags = reader.readFixed32();
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  link.attributes = attributes;
  return link;
}

/** Status: message 2, code 3 (field 1 is reserved). */
function decodeStatus(reader: ProtobufReader): OtlpStatus {
  let message = '';
  let code = 0;
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 2) message = readString(reader, tag);
    else if (tag.field === 3) code = readEnum(reader, tag);
    else reader.skip(tag.wireType);
  }
  return { message, code };
}

const UNSET_STATUS: OtlpStatus = Object.freeze({ message: '', code: 0 });

/**
 * Span: trace_id 1, span_id 2, trace_state 3, parent_span_id 4, name 5, kind 6,
 * start_time_unix_nano 7 (fixed64), end_time_unix_nano 8 (fixed64), attributes 9,
 * dropped_attributes_count 10, events 11, dropped_events_count 12, links 13,
 * dropped_links_count 14, status 15, flags 16 (fixed32).
 */
function decodeSpan(reader: ProtobufReader): OtlpSpan {
  const span: Mutable<OtlpSpan> = {
    traceId: '',
    spanId: '',
    traceState: '',
    parentSpanId: '',
    flags: 0,
    name: '',
    kind: 0,
    startTimeUnixNano: '0',
    endTimeUnixNano: '0',
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: UNSET_STATUS,
  };
  const attributes: OtlpKeyValue[] = [];
  const events: OtlpSpanEvent[] = [];
  const links: OtlpSpanLink[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 1:
        span.traceId = readId(reader, tag);
        break;
      case 2:
        span.spanId = readId(reader, tag);
        break;
      case 3:
        span.traceState = readString(reader, tag);
        break;
      case 4:
        span.parentSpanId = readId(reader, tag);
        break;
      case 5:
        span.name = readString(reader, tag);
        break;
      case 6:
        span.kind = readEnum(reader, tag);
        break;
      case 7:
        span.startTimeUnixNano = readFixed64String(reader, tag);
        break;
      case 8:
        span.endTimeUnixNano = readFixed64String(reader, tag);
        break;
      case 9:
        pushKeyValue(reader, tag, attributes);
        break;
      case 10:
        span.droppedAttributesCount = readUint32(reader, tag);
        break;
      case 11:
        reader.expect(tag, LENGTH_DELIMITED);
        events.push(decodeSpanEvent(reader.readMessage()));
        break;
      case 12:
        span.droppedEventsCount = readUint32(reader, tag);
        break;
      case 13:
        reader.expect(tag, LENGTH_DELIMITED);
        links.push(decodeSpanLink(reader.readMessage()));
        break;
      case 14:
        span.droppedLinksCount = readUint32(reader, tag);
        break;
      case 15:
        reader.expect(tag, LENGTH_DELIMITED);
        span.status = decodeStatus(reader.readMessage());
        break;
      case 16:
        reader.expect(tag, FIXED32);
        span.flags = reader.readFixed32();
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  span.attributes = attributes;
  span.events = events;
  span.links = links;
  return span;
}

function decodeResourceSpans(reader: ProtobufReader): OtlpResourceSpans {
  const { resource, scopes, schemaUrl } = decodeEnvelope(reader, decodeSpan);
  const scopeSpans: OtlpScopeSpans[] = scopes.map(({ scope, items, schemaUrl: scopeSchemaUrl }) => ({
    scope,
    spans: items,
    schemaUrl: scopeSchemaUrl,
  }));
  return { resource, scopeSpans, schemaUrl };
}

/**
 * Decodes a protobuf `ExportTraceServiceRequest` (the body of `POST /v1/traces` with
 * `Content-Type: application/x-protobuf`).
 *
 * @throws {OtlpDecodeError} when the bytes are not a well-formed request.
 * @example
 * const request = decodeTraceRequest(body);
 * for (const span of flattenSpans(request)) console.log(span.name);
 */
export function decodeTraceRequest(bytes: Uint8Array, limits?: DecodeLimits): OtlpTraceRequest {
  return { resourceSpans: decodeRequest(bytes, limits, decodeResourceSpans) };
}

// ---------------------------------------------------------------------------------------------
// metrics/v1/metrics.proto

/**
 * Exemplar: filtered_attributes 7, time_unix_nano 2 (fixed64), as_double 3, as_int 6 (sfixed64),
 * span_id 4, trace_id 5.
 */
function decodeExemplar(reader: ProtobufReader): OtlpExemplar {
  const exemplar: Mutable<OtlpExemplar> = {
    filteredAttributes: [],
    timeUnixNano: '0',
    spanId: '',
    traceId: '',
  };
  const attributes: OtlpKeyValue[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 7:
        pushKeyValue(reader, tag, attributes);
        break;
      case 2:
        exemplar.timeUnixNano = readFixed64String(reader, tag);
        break;
      case 3:
        delete exemplar.asInt;
        exemplar.asDouble = readDouble(reader, tag);
        break;
      case 6:
        reader.expect(tag, FIXED64);
        delete exemplar.asDouble;
        exemplar.asInt = reader.readSfixed64().toString();
        break;
      case 4:
        exemplar.spanId = readId(reader, tag);
        break;
      case 5:
        exemplar.traceId = readId(reader, tag);
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  exemplar.filteredAttributes = attributes;
  return exemplar;
}

function pushExemplar(reader: ProtobufReader, tag: ProtobufTag, into: OtlpExemplar[]): void {
  reader.expect(tag, LENGTH_DELIMITED);
  into.push(decodeExemplar(reader.readMessage()));
}

/**
 * NumberDataPoint: attributes 7, start_time_unix_nano 2, time_unix_nano 3, as_double 4,
 * as_int 6 (sfixed64), exemplars 5, flags 8.
 */
function decodeNumberDataPoint(reader: ProtobufReader): OtlpNumberDataPoint {
  const point: Mutable<OtlpNumberDataPoint> = {
    attributes: [],
    startTimeUnixNano: '0',
    timeUnixNano: '0',
    exemplars: [],
    flags: 0,
  };
  const attributes: OtlpKeyValue[] = [];
  const exemplars: OtlpExemplar[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 7:
        pushKeyValue(reader, tag, attributes);
        break;
      case 2:
        point.startTimeUnixNano = readFixed64String(reader, tag);
        break;
      case 3:
        point.timeUnixNano = readFixed64String(reader, tag);
        break;
      case 4:
        delete point.asInt;
        point.asDouble = readDouble(reader, tag);
        break;
      case 6:
        reader.expect(tag, FIXED64);
        delete point.asDouble;
        point.asInt = reader.readSfixed64().toString();
        break;
      case 5:
        pushExemplar(reader, tag, exemplars);
        break;
      case 8:
        point.flags = readUint32(reader, tag);
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  point.attributes = attributes;
  point.exemplars = exemplars;
  return point;
}

const readFixed64Element = (reader: ProtobufReader): string => reader.readFixed64().toString();
const readDoubleElement = (reader: ProtobufReader): number => reader.readDouble();
const readUint64Element = (reader: ProtobufReader): string => reader.readUint64().toString();

/**
 * HistogramDataPoint: attributes 9, start_time_unix_nano 2, time_unix_nano 3, count 4 (fixed64),
 * sum 5 (optional double), bucket_counts 6 (repeated fixed64), explicit_bounds 7 (repeated
 * double), exemplars 8, flags 10, min 11, max 12.
 */
function decodeHistogramDataPoint(reader: ProtobufReader): OtlpHistogramDataPoint {
  const point: Mutable<OtlpHistogramDataPoint> = {
    attributes: [],
    startTimeUnixNano: '0',
    timeUnixNano: '0',
    count: '0',
    bucketCounts: [],
    explicitBounds: [],
    exemplars: [],
    flags: 0,
  };
  const attributes: OtlpKeyValue[] = [];
  const exemplars: OtlpExemplar[] = [];
  const bucketCounts: string[] = [];
  const explicitBounds: number[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 9:
        pushKeyValue(reader, tag, attributes);
        break;
      case 2:
        point.startTimeUnixNano = readFixed64String(reader, tag);
        break;
      case 3:
        point.timeUnixNano = readFixed64String(reader, tag);
        break;
      case 4:
        point.count = readFixed64String(reader, tag);
        break;
      case 5:
        point.sum = readDouble(reader, tag);
        break;
      case 6:
        reader.readRepeated(tag.wireType, FIXED64, readFixed64Element, bucketCounts);
        break;
      case 7:
        reader.readRepeated(tag.wireType, FIXED64, readDoubleElement, explicitBounds);
        break;
      case 8:
        pushExemplar(reader, tag, exemplars);
        break;
      case 10:
        point.flags = readUint32(reader, tag);
        break;
      case 11:
        point.min = readDouble(reader, tag);
        break;
      case 12:
        point.max = readDouble(reader, tag);
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  point.attributes = attributes;
  point.exemplars = exemplars;
  point.bucketCounts = bucketCounts;
  point.explicitBounds = explicitBounds;
  return point;
}

/** ExponentialHistogramDataPoint.Buckets: offset 1 (sint32), bucket_counts 2 (repeated uint64). */
function decodeExponentialBuckets(reader: ProtobufReader): OtlpExponentialBuckets {
  let offset = 0;
  const bucketCounts: string[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1) {
      reader.expect(tag, VARINT);
      offset = reader.readSint32();
    } else if (tag.field === 2) {
      reader.readRepeated(tag.wireType, VARINT, readUint64Element, bucketCounts);
    } else {
      reader.skip(tag.wireType);
    }
  }
  return { offset, bucketCounts };
}

const EMPTY_BUCKETS: OtlpExponentialBuckets = Object.freeze({ offset: 0, bucketCounts: [] });

/**
 * ExponentialHistogramDataPoint: attributes 1, start_time_unix_nano 2, time_unix_nano 3,
 * count 4 (fixed64), sum 5 (optional double), scale 6 (sint32), zero_count 7 (fixed64),
 * positive 8, negative 9, flags 10, exemplars 11, min 12, max 13, zero_threshold 14 (double).
 */
function decodeExponentialHistogramDataPoint(reader: ProtobufReader): OtlpExponentialHistogramDataPoint {
  const point: Mutable<OtlpExponentialHistogramDataPoint> = {
    attributes: [],
    startTimeUnixNano: '0',
    timeUnixNano: '0',
    count: '0',
    scale: 0,
    zeroCount: '0',
    positive: EMPTY_BUCKETS,
    negative: EMPTY_BUCKETS,
    flags: 0,
    exemplars: [],
    zeroThreshold: 0,
  };
  const attributes: OtlpKeyValue[] = [];
  const exemplars: OtlpExemplar[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 1:
        pushKeyValue(reader, tag, attributes);
        break;
      case 2:
        point.startTimeUnixNano = readFixed64String(reader, tag);
        break;
      case 3:
        point.timeUnixNano = readFixed64String(reader, tag);
        break;
      case 4:
        point.count = readFixed64String(reader, tag);
        break;
      case 5:
        point.sum = readDouble(reader, tag);
        break;
      case 6:
        reader.expect(tag, VARINT);
        point.scale = reader.readSint32();
        break;
      case 7:
        point.zeroCount = readFixed64String(reader, tag);
        break;
      case 8:
        reader.expect(tag, LENGTH_DELIMITED);
        point.positive = decodeExponentialBuckets(reader.readMessage());
        break;
      case 9:
        reader.expect(tag, LENGTH_DELIMITED);
        point.negative = decodeExponentialBuckets(reader.readMessage());
        break;
      case 10:
        point.flags = readUint32(reader, tag);
        break;
      case 11:
        pushExemplar(reader, tag, exemplars);
        break;
      case 12:
        point.min = readDouble(reader, tag);
        break;
      case 13:
        point.max = readDouble(reader, tag);
        break;
      case 14:
        point.zeroThreshold = readDouble(reader, tag);
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  point.attributes = attributes;
  point.exemplars = exemplars;
  return point;
}

/** SummaryDataPoint.ValueAtQuantile: quantile 1, value 2 (doubles). */
function decodeValueAtQuantile(reader: ProtobufReader): OtlpValueAtQuantile {
  let quantile = 0;
  let value = 0;
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1) quantile = readDouble(reader, tag);
    else if (tag.field === 2) value = readDouble(reader, tag);
    else reader.skip(tag.wireType);
  }
  return { quantile, value };
}

/**
 * SummaryDataPoint: attributes 7, start_time_unix_nano 2, time_unix_nano 3, count 4 (fixed64),
 * sum 5 (double), quantile_values 6, flags 8.
 */
function decodeSummaryDataPoint(reader: ProtobufReader): OtlpSummaryDataPoint {
  const point: Mutable<OtlpSummaryDataPoint> = {
    attributes: [],
    startTimeUnixNano: '0',
    timeUnixNano: '0',
    count: '0',
    sum: 0,
    quantileValues: [],
    flags: 0,
  };
  const attributes: OtlpKeyValue[] = [];
  const quantileValues: OtlpValueAtQuantile[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 7:
        pushKeyValue(reader, tag, attributes);
        break;
      case 2:
        point.startTimeUnixNano = readFixed64String(reader, tag);
        break;
      case 3:
        point.timeUnixNano = readFixed64String(reader, tag);
        break;
      case 4:
        point.count = readFixed64String(reader, tag);
        break;
      case 5:
        point.sum = readDouble(reader, tag);
        break;
      case 6:
        reader.expect(tag, LENGTH_DELIMITED);
        quantileValues.push(decodeValueAtQuantile(reader.readMessage()));
        break;
      case 8:
        point.flags = readUint32(reader, tag);
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  point.attributes = attributes;
  point.quantileValues = quantileValues;
  return point;
}

/**
 * Gauge { data_points 1 }, Sum { data_points 1, aggregation_temporality 2, is_monotonic 3 },
 * Histogram / ExponentialHistogram { data_points 1, aggregation_temporality 2 },
 * Summary { data_points 1 }.
 */
function decodeMetricData<Point>(
  reader: ProtobufReader,
  decodePoint: (reader: ProtobufReader) => Point,
): { dataPoints: Point[]; aggregationTemporality: number; isMonotonic: boolean } {
  const dataPoints: Point[] = [];
  let aggregationTemporality = 0;
  let isMonotonic = false;
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1) {
      reader.expect(tag, LENGTH_DELIMITED);
      dataPoints.push(decodePoint(reader.readMessage()));
    } else if (tag.field === 2) {
      aggregationTemporality = readEnum(reader, tag);
    } else if (tag.field === 3) {
      reader.expect(tag, VARINT);
      isMonotonic = reader.readBool();
    } else {
      reader.skip(tag.wireType);
    }
  }
  return { dataPoints, aggregationTemporality, isMonotonic };
}

/**
 * Metric: name 1, description 2, unit 3, one of gauge 5 / sum 7 / histogram 9 /
 * exponential_histogram 10 / summary 11, metadata 12.
 */
function decodeMetric(reader: ProtobufReader): OtlpMetric {
  const metric: Mutable<OtlpMetric> = { name: '', description: '', unit: '', metadata: [] };
  const metadata: OtlpKeyValue[] = [];
  const setData = (
    data: Partial<Pick<OtlpMetric, 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary'>>,
  ): void => {
    // A oneof: a later data field replaces an earlier one.
    delete metric.gauge;
    delete metric.sum;
    delete metric.histogram;
    delete metric.exponentialHistogram;
    delete metric.summary;
    Object.assign(metric, data);
  };
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 1:
        metric.name = readString(reader, tag);
        break;
      case 2:
        metric.description = readString(reader, tag);
        break;
      case 3:
        metric.unit = readString(reader, tag);
        break;
      case 5: {
        reader.expect(tag, LENGTH_DELIMITED);
        const { dataPoints } = decodeMetricData(reader.readMessage(), decodeNumberDataPoint);
        setData({ gauge: { dataPoints } });
        break;
      }
      case 7: {
        reader.expect(tag, LENGTH_DELIMITED);
        setData({ sum: decodeMetricData(reader.readMessage(), decodeNumberDataPoint) });
        break;
      }
      case 9: {
        reader.expect(tag, LENGTH_DELIMITED);
        const { dataPoints, aggregationTemporality } = decodeMetricData(
          reader.readMessage(),
          decodeHistogramDataPoint,
        );
        setData({ histogram: { dataPoints, aggregationTemporality } });
        break;
      }
      case 10: {
        reader.expect(tag, LENGTH_DELIMITED);
        const { dataPoints, aggregationTemporality } = decodeMetricData(
          reader.readMessage(),
          decodeExponentialHistogramDataPoint,
        );
        setData({ exponentialHistogram: { dataPoints, aggregationTemporality } });
        break;
      }
      case 11: {
        reader.expect(tag, LENGTH_DELIMITED);
        const { dataPoints } = decodeMetricData(reader.readMessage(), decodeSummaryDataPoint);
        setData({ summary: { dataPoints } });
        break;
      }
      case 12:
        pushKeyValue(reader, tag, metadata);
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  metric.metadata = metadata;
  return metric;
}

function decodeResourceMetrics(reader: ProtobufReader): OtlpResourceMetrics {
  const { resource, scopes, schemaUrl } = decodeEnvelope(reader, decodeMetric);
  const scopeMetrics: OtlpScopeMetrics[] = scopes.map(({ scope, items, schemaUrl: scopeSchemaUrl }) => ({
    scope,
    metrics: items,
    schemaUrl: scopeSchemaUrl,
  }));
  return { resource, scopeMetrics, schemaUrl };
}

/**
 * Decodes a protobuf `ExportMetricsServiceRequest` (the body of `POST /v1/metrics`).
 *
 * @throws {OtlpDecodeError} when the bytes are not a well-formed request.
 * @example
 * const points = flattenMetrics(decodeMetricsRequest(body));
 */
export function decodeMetricsRequest(bytes: Uint8Array, limits?: DecodeLimits): OtlpMetricsRequest {
  return { resourceMetrics: decodeRequest(bytes, limits, decodeResourceMetrics) };
}

// ---------------------------------------------------------------------------------------------
// logs/v1/logs.proto

function isEmptyAnyValue(value: OtlpAnyValue): boolean {
  for (const _ in value) return false;
  return true;
}

/**
 * LogRecord: time_unix_nano 1 (fixed64), observed_time_unix_nano 11 (fixed64), severity_number 2,
 * severity_text 3, body 5, attributes 6, dropped_attributes_count 7, flags 8 (fixed32),
 * trace_id 9, span_id 10, event_name 12 (field 4 is reserved).
 */
function decodeLogRecord(reader: ProtobufReader): OtlpLogRecord {
  const record: Mutable<OtlpLogRecord> = {
    timeUnixNano: '0',
    observedTimeUnixNano: '0',
    severityNumber: 0,
    severityText: '',
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
  };
  const attributes: OtlpKeyValue[] = [];
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 1:
        record.timeUnixNano = readFixed64String(reader, tag);
        break;
      case 11:
        record.observedTimeUnixNano = readFixed64String(reader, tag);
        break;
      case 2:
        record.severityNumber = readEnum(reader, tag);
        break;
      case 3:
        record.severityText = readString(reader, tag);
        break;
      case 5: {
        reader.expect(tag, LENGTH_DELIMITED);
        const body = decodeAnyValue(reader.readMessage());
        // An empty body is no body (the JSON serializer writes `{}` where protobuf writes nothing).
        if (isEmptyAnyValue(body)) delete record.body;
        else record.body = body;
        break;
      }
      case 6:
        pushKeyValue(reader, tag, attributes);
        break;
      case 7:
        record.droppedAttributesCount = readUint32(reader, tag);
        break;
      case 8:
        reader.expect(tag, FIXED32);
        record.flags = reader.readFixed32();
        break;
      case 9:
        record.traceId = readId(reader, tag);
        break;
      case 10:
        record.spanId = readId(reader, tag);
        break;
      case 12:
        record.eventName = readString(reader, tag);
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  record.attributes = attributes;
  return record;
}

function decodeResourceLogs(reader: ProtobufReader): OtlpResourceLogs {
  const { resource, scopes, schemaUrl } = decodeEnvelope(reader, decodeLogRecord);
  const scopeLogs: OtlpScopeLogs[] = scopes.map(({ scope, items, schemaUrl: scopeSchemaUrl }) => ({
    scope,
    logRecords: items,
    schemaUrl: scopeSchemaUrl,
  }));
  return { resource, scopeLogs, schemaUrl };
}

/**
 * Decodes a protobuf `ExportLogsServiceRequest` (the body of `POST /v1/logs`).
 *
 * @throws {OtlpDecodeError} when the bytes are not a well-formed request.
 * @example
 * const records = flattenLogs(decodeLogsRequest(body));
 */
export function decodeLogsRequest(bytes: Uint8Array, limits?: DecodeLimits): OtlpLogsRequest {
  return { resourceLogs: decodeRequest(bytes, limits, decodeResourceLogs) };
}

const DECODERS: { [S in OtlpSignal]: (bytes: Uint8Array, limits?: DecodeLimits) => OtlpRequestBySignal[S] } =
  {
    traces: decodeTraceRequest,
    metrics: decodeMetricsRequest,
    logs: decodeLogsRequest,
  };

/**
 * Decodes the protobuf body of an OTLP/HTTP export request for the given signal.
 *
 * @throws {OtlpDecodeError} when the bytes are not a well-formed request, or the signal is unknown.
 * @example
 * const request = decodeOtlpProtobuf(body, 'traces');
 */
export function decodeOtlpProtobuf<S extends OtlpSignal>(
  bytes: Uint8Array,
  signal: S,
  limits?: DecodeLimits,
): OtlpRequestBySignal[S] {
  const decode = Object.hasOwn(DECODERS, signal) ? DECODERS[signal] : undefined;
  if (decode === undefined) throw new OtlpDecodeError(`unknown OTLP signal ${JSON.stringify(signal)}`);
  return decode(bytes, limits);
}
