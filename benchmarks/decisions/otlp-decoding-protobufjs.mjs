// The alternative that otlp-decoding.mjs measures against the message tables: protobufjs 7 with
// the official .proto files (test/helpers/opentelemetry-proto), and what it decodes converted into
// the objects src/cli/otlp returns, by reflection over the .proto types. Lookout does not use it;
// it is kept so that the figures in docs/decisions/0050-otlp-messages-described-once.md can be
// measured again. protobufjs is a dev dependency (for test/unit/cli/otlp-schema.test.ts); long comes with it.
import Long from 'long';

const REQUESTS = {
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
};

/** The .proto files that hold the three requests and everything they refer to. */
export const PROTO_FILES = [
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
];

// What the OTLP/JSON-shaped objects need beyond the .proto files: fields the viewer skips, ids in
// hex, and a log body that is absent when empty. The same facts the message tables state.
const SKIPPED = new Set(['stringValueStrindex', 'keyStrindex', 'entityRefs']);
const HEX = new Set(['traceId', 'spanId', 'parentSpanId']);
const ABSENT_WHEN_EMPTY = new Set(['body']);
const LONGS = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const DEFAULTS = { string: '', bytes: '', bool: false, double: 0, float: 0 };

/**
 * A decoder with the interface of src/cli/otlp's `decodeOtlpProtobuf`, over a protobufjs root
 * that holds the OTLP messages.
 *
 * @param {typeof import('protobufjs')} protobuf
 * @param {import('protobufjs').Root} root
 */
export function createProtobufjsDecoder(protobuf, root) {
  // A bundled protobufjs cannot find `long` by itself and would read 64-bit fields as lossy numbers.
  protobuf.util.Long = Long;
  protobuf.configure();
  root.resolveAll();
  const types = Object.fromEntries(
    Object.entries(REQUESTS).map(([signal, name]) => [signal, root.lookupType(name)]),
  );

  const scalar = (field, value) => {
    if (field.resolvedType instanceof protobuf.Enum) return value;
    if (LONGS.has(field.type)) return typeof value === 'number' ? String(value) : value.toString();
    if (field.type === 'bytes') {
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.length);
      return HEX.has(field.name) ? bytes.toString('hex') : bytes.toString('base64');
    }
    return value;
  };
  const value = (field, item) =>
    field.resolvedType instanceof protobuf.Type ? convert(field.resolvedType, item) : scalar(field, item);
  const convert = (type, message) => {
    const result = {};
    for (const field of type.fieldsArray) {
      const name = field.name;
      if (SKIPPED.has(name)) continue;
      const present = Object.hasOwn(message, name) && message[name] !== null && message[name] !== undefined;
      if (field.repeated) {
        result[name] = present ? message[name].map((item) => value(field, item)) : [];
      } else if (field.partOf) {
        // A oneof member, or a proto3 `optional` field: present only when set (the last one wins).
        if (present && message[field.partOf.name] === name) result[name] = value(field, message[name]);
      } else if (field.resolvedType instanceof protobuf.Type) {
        if (!ABSENT_WHEN_EMPTY.has(name))
          result[name] = convert(field.resolvedType, present ? message[name] : {});
        else if (present) {
          const body = convert(field.resolvedType, message[name]);
          if (Object.keys(body).length > 0) result[name] = body;
        }
      } else if (present) {
        result[name] = scalar(field, message[name]);
      } else {
        result[name] =
          field.resolvedType instanceof protobuf.Enum
            ? 0
            : LONGS.has(field.type)
              ? '0'
              : (DEFAULTS[field.type] ?? 0);
      }
    }
    return result;
  };

  return {
    decodeOtlpProtobuf(bytes, signal) {
      const type = types[signal];
      return convert(type, type.decode(bytes));
    },
  };
}
