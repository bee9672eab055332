// Reads OTLP/JSON bodies (what `http/json` exporters POST) into the same shape the protobuf
// decoder returns, so a consumer never cares which encoding arrived.
//
// OTLP/JSON is the protobuf JSON mapping with the deviations the OTLP specification states
// ("JSON Protobuf Encoding"): keys are lowerCamelCase field names; traceId and spanId are
// case-insensitive hex, not base64; enum values are integers; 64-bit integers are decimal
// strings, and numbers are accepted too; unknown fields are ignored. Other `bytes` fields (such
// as AnyValue.bytesValue) stay base64 as in the protobuf mapping. Enum names are accepted as
// well, which costs nothing and reads payloads from producers that got that detail wrong.
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_MESSAGES,
  type DecodeLimits,
  OtlpDecodeError,
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
  OtlpSignal,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpSpanLink,
  OtlpStatus,
  OtlpSummaryDataPoint,
  OtlpTraceRequest,
} from './otlp-types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type JsonObject = Readonly<Record<string, unknown>>;

const SPAN_KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;
const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;
const TEMPORALITY_NAMES = [
  'AGGREGATION_TEMPORALITY_UNSPECIFIED',
  'AGGREGATION_TEMPORALITY_DELTA',
  'AGGREGATION_TEMPORALITY_CUMULATIVE',
] as const;
const SEVERITY_NAMES: readonly string[] = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) =>
    ['', '2', '3', '4'].map((suffix) => `SEVERITY_NUMBER_${level}${suffix}`),
  ),
];

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
const HEX_ID = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const DECIMAL = /^-?\d+$/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Walks one JSON document, checking types and counting objects against the limits. */
class JsonReader {
  readonly #maxDepth: number;
  #remaining: number;

  constructor(limits: DecodeLimits) {
    this.#maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.#remaining = limits.maxMessages ?? DEFAULT_MAX_MESSAGES;
  }

  fail(path: string, message: string): never {
    throw new OtlpDecodeError(`${path}: ${message}`);
  }

  /** An object field; null or absent reads as undefined (the protobuf JSON mapping's "absent"). */
  object(value: unknown, path: string, depth: number): JsonObject | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value))
      this.fail(path, `expected an object, got ${kindOf(value)}`);
    if (depth > this.#maxDepth) this.fail(path, `nested deeper than ${this.#maxDepth} levels`);
    this.#remaining -= 1;
    if (this.#remaining < 0) this.fail(path, 'the payload holds more messages than the decoder accepts');
    return value as JsonObject;
  }

  /** A repeated field; null or absent reads as empty. */
  array(value: unknown, path: string): readonly unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, `expected an array, got ${kindOf(value)}`);
    return value;
  }

  /** A repeated message field, each element read by `read`. */
  messages<T>(
    value: unknown,
    path: string,
    depth: number,
    read: (object: JsonObject, path: string, depth: number) => T,
  ): T[] {
    return this.array(value, path).map((element, index) => {
      const elementPath = `${path}[${index}]`;
      const object = this.object(element, elementPath, depth + 1);
      if (object === undefined) this.fail(elementPath, 'expected an object, got null');
      return read(object, elementPath, depth + 1);
    });
  }

  string(value: unknown, path: string): string {
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') this.fail(path, `expected a string, got ${kindOf(value)}`);
    return value;
  }

  boolean(value: unknown, path: string): boolean {
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') this.fail(path, `expected a boolean, got ${kindOf(value)}`);
    return value;
  }

  /** traceId / spanId: case-insensitive hex, returned lowercase. */
  hexId(value: unknown, path: string): string {
    const text = this.string(value, path);
    if (!HEX_ID.test(text))
      this.fail(path, `expected a hex-encoded id, got ${JSON.stringify(text.slice(0, 40))}`);
    return text.toLowerCase();
  }

  /** Other bytes fields: base64 (standard or URL-safe), returned as standard base64. */
  base64(value: unknown, path: string): string {
    const text = this.string(value, path);
    if (!BASE64.test(text)) this.fail(path, 'expected base64-encoded bytes');
    return Buffer.from(text, 'base64').toString('base64');
  }

  #integer(value: unknown, path: string, min: bigint, max: bigint, what: string): bigint {
    if (value === undefined || value === null) return 0n;
    let result: bigint;
    if (typeof value === 'number' && Number.isInteger(value)) result = BigInt(value);
    else if (typeof value === 'string' && DECIMAL.test(value) && value.length <= 21) result = BigInt(value);
    else return this.fail(path, `expected ${what}, got ${kindOf(value)}`);
    if (result < min || result > max) this.fail(path, `${what} out of range`);
    return result;
  }

  /** uint32 fields (counts, data point flags) and fixed32 flags. */
  uint32(value: unknown, path: string): number {
    return Number(this.#integer(value, path, 0n, 0xffff_ffffn, 'an unsigned 32-bit integer'));
  }

  int32(value: unknown, path: string): number {
    return Number(this.#integer(value, path, -(2n ** 31n), 2n ** 31n - 1n, 'a 32-bit integer'));
  }

  /** uint64 / fixed64 fields (times, counts) as decimal strings. */
  uint64(value: unknown, path: string): string {
    return this.#integer(value, path, 0n, UINT64_MAX, 'an unsigned 64-bit integer').toString();
  }

  /** int64 / sfixed64 fields as decimal strings. */
  int64(value: unknown, path: string): string {
    return this.#integer(value, path, INT64_MIN, 2n ** 63n - 1n, 'a 64-bit integer').toString();
  }

  /** An enum: its integer value, or (leniently) its name. */
  enumValue(value: unknown, path: string, names: readonly string[]): number {
    if (typeof value === 'string' && !DECIMAL.test(value)) {
      const index = names.indexOf(value);
      if (index === -1) this.fail(path, `unknown enum value ${JSON.stringify(value.slice(0, 60))}`);
      return index;
    }
    return this.int32(value, path);
  }

  /** double fields: a number, or the strings the protobuf JSON mapping allows. */
  double(value: unknown, path: string): number {
    if (value === undefined || value === null) return 0;
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      if (value === 'NaN') return Number.NaN;
      if (value === 'Infinity') return Number.POSITIVE_INFINITY;
      if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
      const parsed = Number(value);
      if (value.trim() !== '' && Number.isFinite(parsed)) return parsed;
    }
    return this.fail(path, `expected a number, got ${kindOf(value)}`);
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return `a ${typeof value}`;
}

const has = (object: JsonObject, key: string): boolean =>
  Object.hasOwn(object, key) && object[key] !== undefined && object[key] !== null;

// ---------------------------------------------------------------------------------------------
// common

const ANY_VALUE_KEYS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
] as const;

function readAnyValue(json: JsonReader, object: JsonObject, path: string, depth: number): OtlpAnyValue {
  const present = ANY_VALUE_KEYS.filter((key) => has(object, key));
  if (present.length > 1) json.fail(path, `AnyValue sets more than one value (${present.join(', ')})`);
  const key = present[0];
  switch (key) {
    case 'stringValue':
      return { stringValue: json.string(object[key], `${path}.${key}`) };
    case 'boolValue':
      return { boolValue: json.boolean(object[key], `${path}.${key}`) };
    case 'intValue':
      return { intValue: json.int64(object[key], `${path}.${key}`) };
    case 'doubleValue':
      return { doubleValue: json.double(object[key], `${path}.${key}`) };
    case 'bytesValue':
      return { bytesValue: json.base64(object[key], `${path}.${key}`) };
    case 'arrayValue': {
      const list = json.object(object[key], `${path}.${key}`, depth + 1) ?? {};
      return {
        arrayValue: {
          values: json.messages(list.values, `${path}.${key}.values`, depth + 1, (element, elementPath, d) =>
            readAnyValue(json, element, elementPath, d),
          ),
        },
      };
    }
    case 'kvlistValue': {
      const list = json.object(object[key], `${path}.${key}`, depth + 1) ?? {};
      return {
        kvlistValue: {
          values: json.messages(list.values, `${path}.${key}.values`, depth + 1, (element, elementPath, d) =>
            readKeyValue(json, element, elementPath, d),
          ),
        },
      };
    }
    default:
      return {};
  }
}

function readKeyValue(json: JsonReader, object: JsonObject, path: string, depth: number): OtlpKeyValue {
  const value = json.object(object.value, `${path}.value`, depth + 1);
  return {
    key: json.string(object.key, `${path}.key`),
    value: value === undefined ? {} : readAnyValue(json, value, `${path}.value`, depth + 1),
  };
}

function readAttributes(json: JsonReader, value: unknown, path: string, depth: number): OtlpKeyValue[] {
  return json.messages(value, path, depth, (element, elementPath, d) =>
    readKeyValue(json, element, elementPath, d),
  );
}

function readResource(json: JsonReader, value: unknown, path: string, depth: number): OtlpResource {
  const object = json.object(value, path, depth + 1) ?? {};
  return {
    attributes: readAttributes(json, object.attributes, `${path}.attributes`, depth + 1),
    droppedAttributesCount: json.uint32(object.droppedAttributesCount, `${path}.droppedAttributesCount`),
  };
}

function readScope(json: JsonReader, value: unknown, path: string, depth: number): OtlpInstrumentationScope {
  const object = json.object(value, path, depth + 1) ?? {};
  return {
    name: json.string(object.name, `${path}.name`),
    version: json.string(object.version, `${path}.version`),
    attributes: readAttributes(json, object.attributes, `${path}.attributes`, depth + 1),
    droppedAttributesCount: json.uint32(object.droppedAttributesCount, `${path}.droppedAttributesCount`),
  };
}

/** Resource* { resource, <scopeKey>: Scope* { scope, <itemKey>: [...], schemaUrl }, schemaUrl }. */
function readEnvelope<Item>(
  json: JsonReader,
  object: JsonObject,
  path: string,
  depth: number,
  scopeKey: string,
  itemKey: string,
  readItem: (object: JsonObject, path: string, depth: number) => Item,
): {
  resource: OtlpResource;
  scopes: { scope: OtlpInstrumentationScope; items: Item[]; schemaUrl: string }[];
  schemaUrl: string;
} {
  return {
    resource: readResource(json, object.resource, `${path}.resource`, depth),
    scopes: json.messages(object[scopeKey], `${path}.${scopeKey}`, depth, (scopeObject, scopePath, d) => ({
      scope: readScope(json, scopeObject.scope, `${scopePath}.scope`, d),
      items: json.messages(scopeObject[itemKey], `${scopePath}.${itemKey}`, d, readItem),
      schemaUrl: json.string(scopeObject.schemaUrl, `${scopePath}.schemaUrl`),
    })),
    schemaUrl: json.string(object.schemaUrl, `${path}.schemaUrl`),
  };
}

// ---------------------------------------------------------------------------------------------
// traces

function readSpan(json: JsonReader, object: JsonObject, path: string, depth: number): OtlpSpan {
  const statusObject = json.object(object.status, `${path}.status`, depth + 1) ?? {};
  const status: OtlpStatus = {
    message: json.string(statusObject.message, `${path}.status.message`),
    code: json.enumValue(statusObject.code, `${path}.status.code`, STATUS_CODE_NAMES),
  };
  return {
    traceId: json.hexId(object.traceId, `${path}.traceId`),
    spanId: json.hexId(object.spanId, `${path}.spanId`),
    traceState: json.string(object.traceState, `${path}.traceState`),
    parentSpanId: json.hexId(object.parentSpanId, `${path}.parentSpanId`),
    flags: json.uint32(object.flags, `${path}.flags`),
    name: json.string(object.name, `${path}.name`),
    kind: json.enumValue(object.kind, `${path}.kind`, SPAN_KIND_NAMES),
    startTimeUnixNano: json.uint64(object.startTimeUnixNano, `${path}.startTimeUnixNano`),
    endTimeUnixNano: json.uint64(object.endTimeUnixNano, `${path}.endTimeUnixNano`),
    attributes: readAttributes(json, object.attributes, `${path}.attributes`, depth),
    droppedAttributesCount: json.uint32(object.droppedAttributesCount, `${path}.droppedAttributesCount`),
    events: json.messages(
      object.events,
      `${path}.events`,
      depth,
      (event, eventPath, d): OtlpSpanEvent => ({
        timeUnixNano: json.uint64(event.timeUnixNano, `${eventPath}.timeUnixNano`),
        name: json.string(event.name, `${eventPath}.name`),
        attributes: readAttributes(json, event.attributes, `${eventPath}.attributes`, d),
        droppedAttributesCount: json.uint32(
          event.droppedAttributesCount,
          `${eventPath}.droppedAttributesCount`,
        ),
      }),
    ),
    droppedEventsCount: json.uint32(object.droppedEventsCount, `${path}.droppedEventsCount`),
    links: json.messages(
      object.links,
      `${path}.links`,
      depth,
      (link, linkPath, d): OtlpSpanLink => ({
        traceId: json.hexId(link.traceId, `${linkPath}.traceId`),
        spanId: json.hexId(link.spanId, `${linkPath}.spanId`),
        traceState: json.string(link.traceState, `${linkPath}.traceState`),
        attributes: readAttributes(json, link.attributes, `${linkPath}.attributes`, d),
        droppedAttributesCount: json.uint32(
          link.droppedAttributesCount,
          `${linkPath}.droppedAttributesCount`,
        ),
        flags: json.uint32(link.flags, `${linkPath}.flags`),
      }),
    ),
    droppedLinksCount: json.uint32(object.droppedLinksCount, `${path}.droppedLinksCount`),
    status,
  };
}

function readTraceRequest(json: JsonReader, root: JsonObject): OtlpTraceRequest {
  return {
    resourceSpans: json.messages(root.resourceSpans, 'resourceSpans', 0, (object, path, depth) => {
      const envelope = readEnvelope(json, object, path, depth, 'scopeSpans', 'spans', (span, spanPath, d) =>
        readSpan(json, span, spanPath, d),
      );
      return {
        resource: envelope.resource,
        scopeSpans: envelope.scopes.map(({ scope, items, schemaUrl }) => ({
          scope,
          spans: items,
          schemaUrl,
        })),
        schemaUrl: envelope.schemaUrl,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// metrics

/** The `value` oneof of number data points and exemplars: asDouble or asInt. */
function readNumberValue(
  json: JsonReader,
  object: JsonObject,
  path: string,
): { asDouble: number } | { asInt: string } | Record<string, never> {
  const hasDouble = has(object, 'asDouble');
  const hasInt = has(object, 'asInt');
  if (hasDouble && hasInt) json.fail(path, 'sets both asDouble and asInt');
  if (hasDouble) return { asDouble: json.double(object.asDouble, `${path}.asDouble`) };
  if (hasInt) return { asInt: json.int64(object.asInt, `${path}.asInt`) };
  return {};
}

function readExemplars(json: JsonReader, value: unknown, path: string, depth: number): OtlpExemplar[] {
  return json.messages(value, path, depth, (object, exemplarPath, d) => ({
    filteredAttributes: readAttributes(
      json,
      object.filteredAttributes,
      `${exemplarPath}.filteredAttributes`,
      d,
    ),
    timeUnixNano: json.uint64(object.timeUnixNano, `${exemplarPath}.timeUnixNano`),
    ...readNumberValue(json, object, exemplarPath),
    spanId: json.hexId(object.spanId, `${exemplarPath}.spanId`),
    traceId: json.hexId(object.traceId, `${exemplarPath}.traceId`),
  }));
}

/** Fields every data point type shares. */
function readPointBase(json: JsonReader, object: JsonObject, path: string, depth: number) {
  return {
    attributes: readAttributes(json, object.attributes, `${path}.attributes`, depth),
    startTimeUnixNano: json.uint64(object.startTimeUnixNano, `${path}.startTimeUnixNano`),
    timeUnixNano: json.uint64(object.timeUnixNano, `${path}.timeUnixNano`),
  };
}

function optionalDouble(
  json: JsonReader,
  object: JsonObject,
  key: string,
  path: string,
): Record<string, number> {
  return has(object, key) ? { [key]: json.double(object[key], `${path}.${key}`) } : {};
}

function readNumberPoint(
  json: JsonReader,
  object: JsonObject,
  path: string,
  depth: number,
): OtlpNumberDataPoint {
  return {
    ...readPointBase(json, object, path, depth),
    ...readNumberValue(json, object, path),
    exemplars: readExemplars(json, object.exemplars, `${path}.exemplars`, depth),
    flags: json.uint32(object.flags, `${path}.flags`),
  };
}

function readHistogramPoint(
  json: JsonReader,
  object: JsonObject,
  path: string,
  depth: number,
): OtlpHistogramDataPoint {
  const point: Mutable<OtlpHistogramDataPoint> = {
    ...readPointBase(json, object, path, depth),
    count: json.uint64(object.count, `${path}.count`),
    bucketCounts: json
      .array(object.bucketCounts, `${path}.bucketCounts`)
      .map((count, index) => json.uint64(count, `${path}.bucketCounts[${index}]`)),
    explicitBounds: json
      .array(object.explicitBounds, `${path}.explicitBounds`)
      .map((bound, index) => json.double(bound, `${path}.explicitBounds[${index}]`)),
    exemplars: readExemplars(json, object.exemplars, `${path}.exemplars`, depth),
    flags: json.uint32(object.flags, `${path}.flags`),
  };
  return Object.assign(
    point,
    optionalDouble(json, object, 'sum', path),
    optionalDouble(json, object, 'min', path),
    optionalDouble(json, object, 'max', path),
  );
}

function readBuckets(json: JsonReader, value: unknown, path: string, depth: number): OtlpExponentialBuckets {
  const object = json.object(value, path, depth + 1) ?? {};
  return {
    offset: json.int32(object.offset, `${path}.offset`),
    bucketCounts: json
      .array(object.bucketCounts, `${path}.bucketCounts`)
      .map((count, index) => json.uint64(count, `${path}.bucketCounts[${index}]`)),
  };
}

function readExponentialPoint(
  json: JsonReader,
  object: JsonObject,
  path: string,
  depth: number,
): OtlpExponentialHistogramDataPoint {
  const point: Mutable<OtlpExponentialHistogramDataPoint> = {
    ...readPointBase(json, object, path, depth),
    count: json.uint64(object.count, `${path}.count`),
    scale: json.int32(object.scale, `${path}.scale`),
    zeroCount: json.uint64(object.zeroCount, `${path}.zeroCount`),
    positive: readBuckets(json, object.positive, `${path}.positive`, depth),
    negative: readBuckets(json, object.negative, `${path}.negative`, depth),
    flags: json.uint32(object.flags, `${path}.flags`),
    exemplars: readExemplars(json, object.exemplars, `${path}.exemplars`, depth),
    zeroThreshold: json.double(object.zeroThreshold, `${path}.zeroThreshold`),
  };
  return Object.assign(
    point,
    optionalDouble(json, object, 'sum', path),
    optionalDouble(json, object, 'min', path),
    optionalDouble(json, object, 'max', path),
  );
}

function readSummaryPoint(
  json: JsonReader,
  object: JsonObject,
  path: string,
  depth: number,
): OtlpSummaryDataPoint {
  return {
    ...readPointBase(json, object, path, depth),
    count: json.uint64(object.count, `${path}.count`),
    sum: json.double(object.sum, `${path}.sum`),
    quantileValues: json.messages(
      object.quantileValues,
      `${path}.quantileValues`,
      depth,
      (quantile, qPath) => ({
        quantile: json.double(quantile.quantile, `${qPath}.quantile`),
        value: json.double(quantile.value, `${qPath}.value`),
      }),
    ),
    flags: json.uint32(object.flags, `${path}.flags`),
  };
}

const METRIC_DATA_KEYS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

function readMetric(json: JsonReader, object: JsonObject, path: string, depth: number): OtlpMetric {
  const metric: Mutable<OtlpMetric> = {
    name: json.string(object.name, `${path}.name`),
    description: json.string(object.description, `${path}.description`),
    unit: json.string(object.unit, `${path}.unit`),
    metadata: readAttributes(json, object.metadata, `${path}.metadata`, depth),
  };
  const present = METRIC_DATA_KEYS.filter((key) => has(object, key));
  if (present.length > 1) json.fail(path, `metric sets more than one data field (${present.join(', ')})`);
  const key = present[0];
  if (key === undefined) return metric;
  const dataPath = `${path}.${key}`;
  const data = json.object(object[key], dataPath, depth + 1) ?? {};
  const temporality = (): number =>
    json.enumValue(data.aggregationTemporality, `${dataPath}.aggregationTemporality`, TEMPORALITY_NAMES);
  const points = <P>(read: (json: JsonReader, object: JsonObject, path: string, depth: number) => P): P[] =>
    json.messages(data.dataPoints, `${dataPath}.dataPoints`, depth + 1, (point, pointPath, d) =>
      read(json, point, pointPath, d),
    );
  switch (key) {
    case 'gauge':
      metric.gauge = { dataPoints: points(readNumberPoint) };
      break;
    case 'sum':
      metric.sum = {
        dataPoints: points(readNumberPoint),
        aggregationTemporality: temporality(),
        isMonotonic: json.boolean(data.isMonotonic, `${dataPath}.isMonotonic`),
      };
      break;
    case 'histogram':
      metric.histogram = { dataPoints: points(readHistogramPoint), aggregationTemporality: temporality() };
      break;
    case 'exponentialHistogram':
      metric.exponentialHistogram = {
        dataPoints: points(readExponentialPoint),
        aggregationTemporality: temporality(),
      };
      break;
    case 'summary':
      metric.summary = { dataPoints: points(readSummaryPoint) };
      break;
  }
  return metric;
}

function readMetricsRequest(json: JsonReader, root: JsonObject): OtlpMetricsRequest {
  return {
    resourceMetrics: json.messages(root.resourceMetrics, 'resourceMetrics', 0, (object, path, depth) => {
      const envelope = readEnvelope(
        json,
        object,
        path,
        depth,
        'scopeMetrics',
        'metrics',
        (metric, metricPath, d) => readMetric(json, metric, metricPath, d),
      );
      return {
        resource: envelope.resource,
        scopeMetrics: envelope.scopes.map(({ scope, items, schemaUrl }) => ({
          scope,
          metrics: items,
          schemaUrl,
        })),
        schemaUrl: envelope.schemaUrl,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// logs

function readLogRecord(json: JsonReader, object: JsonObject, path: string, depth: number): OtlpLogRecord {
  const record: Mutable<OtlpLogRecord> = {
    timeUnixNano: json.uint64(object.timeUnixNano, `${path}.timeUnixNano`),
    observedTimeUnixNano: json.uint64(object.observedTimeUnixNano, `${path}.observedTimeUnixNano`),
    severityNumber: json.enumValue(object.severityNumber, `${path}.severityNumber`, SEVERITY_NAMES),
    severityText: json.string(object.severityText, `${path}.severityText`),
    attributes: readAttributes(json, object.attributes, `${path}.attributes`, depth),
    droppedAttributesCount: json.uint32(object.droppedAttributesCount, `${path}.droppedAttributesCount`),
    flags: json.uint32(object.flags, `${path}.flags`),
    traceId: json.hexId(object.traceId, `${path}.traceId`),
    spanId: json.hexId(object.spanId, `${path}.spanId`),
    eventName: json.string(object.eventName, `${path}.eventName`),
  };
  const bodyObject = json.object(object.body, `${path}.body`, depth + 1);
  if (bodyObject !== undefined) {
    const body = readAnyValue(json, bodyObject, `${path}.body`, depth + 1);
    // An empty body is no body, as in the protobuf decoder.
    if (Object.keys(body).length > 0) record.body = body;
  }
  return record;
}

function readLogsRequest(json: JsonReader, root: JsonObject): OtlpLogsRequest {
  return {
    resourceLogs: json.messages(root.resourceLogs, 'resourceLogs', 0, (object, path, depth) => {
      const envelope = readEnvelope(
        json,
        object,
        path,
        depth,
        'scopeLogs',
        'logRecords',
        (record, recordPath, d) => readLogRecord(json, record, recordPath, d),
      );
      return {
        resource: envelope.resource,
        scopeLogs: envelope.scopes.map(({ scope, items, schemaUrl }) => ({
          scope,
          logRecords: items,
          schemaUrl,
        })),
        schemaUrl: envelope.schemaUrl,
      };
    }),
  };
}

const READERS: { [S in OtlpSignal]: (json: JsonReader, root: JsonObject) => OtlpRequestBySignal[S] } = {
  traces: readTraceRequest,
  metrics: readMetricsRequest,
  logs: readLogsRequest,
};

/**
 * Reads an OTLP/JSON export request body (`Content-Type: application/json`) into the same shape
 * `decodeOtlpProtobuf` returns. Accepts the body as text, as UTF-8 bytes, or already parsed.
 *
 * @throws {OtlpDecodeError} when the body is not JSON or a field has the wrong type; the message
 *   names the field's path, e.g. `resourceSpans[0].scopeSpans[0].spans[2].traceId`.
 * @example
 * const request = parseOtlpJson(await readBody(req), 'traces');
 * const spans = flattenSpans(request);
 */
export function parseOtlpJson<S extends OtlpSignal>(
  body: string | Uint8Array | unknown,
  signal: S,
  limits: DecodeLimits = {},
): OtlpRequestBySignal[S] {
  const read = Object.hasOwn(READERS, signal) ? READERS[signal] : undefined;
  if (read === undefined) throw new OtlpDecodeError(`unknown OTLP signal ${JSON.stringify(signal)}`);
  let document: unknown = body;
  if (body instanceof Uint8Array) {
    try {
      document = utf8.decode(body);
    } catch (error) {
      throw new OtlpDecodeError('the JSON body is not valid UTF-8', { cause: error });
    }
  }
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch (error) {
      throw new OtlpDecodeError(`the body is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  const json: JsonReader = new JsonReader(limits);
  const root = json.object(document, '(root)', 0);
  if (root === undefined) json.fail('(root)', 'expected an object, got null');
  return read(json, root);
}
