// Reads a protobuf message by its table (message-schema.ts). Each message's table is turned once
// into a plan: one reader per field number, and the object every field's default fills, so
// decoding a message is a loop over its tags with one array look-up per field and nothing
// interpreted per byte. Every read goes through ProtobufReader, which bounds it.

import {
  type FieldSpec,
  isMessageRef,
  type MessageSpec,
  SCALAR_DEFAULTS,
  type ScalarKind,
  type ScalarTypes,
} from './message-schema.js';
import type { DecodeLimits } from './otlp-decode-error.js';
import { ProtobufReader, WIRE_TYPES, type WireType } from './protobuf-reader.js';

type Target = Record<string, unknown>;
type FieldReader = (reader: ProtobufReader, field: number, wireType: WireType, target: Target) => void;

interface MessagePlan {
  /** The field reader of each field number the table lists. */
  readonly fields: (FieldReader | undefined)[];
  /** Singular scalars at their defaults; repeated and message fields as placeholders, in order. */
  readonly template: Target;
  /** Repeated fields: a new array each. */
  readonly repeated: string[];
  /** Singular message fields, and the plan whose defaults fill one that was not sent. */
  readonly messages: [name: string, plan: MessagePlan][];
}

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

const { VARINT, FIXED64, LENGTH_DELIMITED, FIXED32 } = WIRE_TYPES;

/** The wire type of each scalar type, and how its value is read. */
const SCALAR_WIRE: {
  readonly [K in ScalarKind]: {
    readonly wireType: WireType;
    readonly read: (reader: ProtobufReader) => ScalarTypes[K];
  };
} = {
  string: { wireType: LENGTH_DELIMITED, read: (reader) => reader.readString() },
  id: { wireType: LENGTH_DELIMITED, read: (reader) => toHex(reader.readBytes()) },
  bytes: { wireType: LENGTH_DELIMITED, read: (reader) => toBase64(reader.readBytes()) },
  bool: { wireType: VARINT, read: (reader) => reader.readBool() },
  int32: { wireType: VARINT, read: (reader) => reader.readInt32() },
  sint32: { wireType: VARINT, read: (reader) => reader.readSint32() },
  uint32: { wireType: VARINT, read: (reader) => reader.readUint32() },
  fixed32: { wireType: FIXED32, read: (reader) => reader.readFixed32() },
  int64: { wireType: VARINT, read: (reader) => reader.readInt64().toString() },
  uint64: { wireType: VARINT, read: (reader) => reader.readUint64().toString() },
  fixed64: { wireType: FIXED64, read: (reader) => reader.readFixed64().toString() },
  sfixed64: { wireType: FIXED64, read: (reader) => reader.readSfixed64().toString() },
  double: { wireType: FIXED64, read: (reader) => reader.readDouble() },
};

/** Enums are int32 varints. */
const ENUM_WIRE = SCALAR_WIRE.int32;

const plans = new WeakMap<MessageSpec, MessagePlan>();

function planOf(spec: MessageSpec): MessagePlan {
  const known = plans.get(spec);
  if (known !== undefined) return known;
  const plan: MessagePlan = { fields: [], template: {}, repeated: [], messages: [] };
  // Cached before its fields are planned: AnyValue and KeyValue refer to each other.
  plans.set(spec, plan);
  const fields = Object.entries(spec.fields);
  for (const [name, field] of fields) {
    const otherMembers = fields.flatMap(([other, { oneof }]) =>
      oneof !== undefined && oneof === field.oneof && other !== name ? [other] : [],
    );
    plan.fields[field.number] = fieldReader(name, field, otherMembers);
    if (field.label === 'repeated') {
      plan.template[name] = undefined;
      plan.repeated.push(name);
    } else if (field.label === 'singular' && isMessageRef(field.type)) {
      plan.template[name] = undefined;
      plan.messages.push([name, planOf(field.type())]);
    } else if (field.label === 'singular') {
      plan.template[name] = typeof field.type === 'string' ? SCALAR_DEFAULTS[field.type] : 0;
    }
  }
  return plan;
}

/** Sets a field; a `oneof` member first clears the group's other members (the last one sent wins). */
function setter(name: string, others: readonly string[]): (target: Target, value: unknown) => void {
  if (others.length === 0) {
    return (target, value) => {
      target[name] = value;
    };
  }
  return (target, value) => {
    for (const other of others) if (other in target) delete target[other];
    target[name] = value;
  };
}

function fieldReader(name: string, field: FieldSpec, others: readonly string[]): FieldReader {
  const set = setter(name, others);
  const type = field.type;
  if (isMessageRef(type)) {
    let plan: MessagePlan | undefined;
    const read = (reader: ProtobufReader, number: number, wireType: WireType): Target => {
      reader.expectWireType(number, wireType, LENGTH_DELIMITED);
      plan ??= planOf(type());
      return readMessage(plan, reader.readMessage());
    };
    if (field.label === 'repeated') {
      return (reader, number, wireType, target) => {
        (target[name] as unknown[]).push(read(reader, number, wireType));
      };
    }
    if (field.label === 'optional') {
      // An optional message that decodes to nothing is absent: only an AnyValue can (a log
      // record's body), and OTLP/JSON writes `{}` for the body protobuf leaves out.
      return (reader, number, wireType, target) => {
        const value = read(reader, number, wireType);
        if (isEmpty(value)) delete target[name];
        else set(target, value);
      };
    }
    return (reader, number, wireType, target) => set(target, read(reader, number, wireType));
  }
  const wire = typeof type === 'string' ? SCALAR_WIRE[type] : ENUM_WIRE;
  if (field.label === 'repeated') {
    return (reader, _number, wireType, target) =>
      reader.readRepeated(wireType, wire.wireType, wire.read, target[name] as unknown[]);
  }
  return (reader, number, wireType, target) => {
    reader.expectWireType(number, wireType, wire.wireType);
    set(target, wire.read(reader));
  };
}

function isEmpty(value: Target): boolean {
  for (const _ in value) return false;
  return true;
}

function readMessage(plan: MessagePlan, reader: ProtobufReader): Target {
  const target = createMessage(plan);
  while (!reader.done) {
    const key = reader.readFieldKey();
    const number = key >>> 3;
    const wireType = (key & 7) as WireType;
    const read = plan.fields[number];
    if (read === undefined) reader.skip(wireType);
    else read(reader, number, wireType, target);
  }
  for (const [name, fieldPlan] of plan.messages) {
    if (target[name] === undefined) target[name] = defaultMessage(fieldPlan);
  }
  return target;
}

function createMessage(plan: MessagePlan): Target {
  const target = { ...plan.template };
  for (const name of plan.repeated) target[name] = [];
  return target;
}

/** A message that was not sent: every field at its default. */
function defaultMessage(plan: MessagePlan): Target {
  const target = createMessage(plan);
  for (const [name, fieldPlan] of plan.messages) target[name] = defaultMessage(fieldPlan);
  return target;
}

/**
 * Decodes a protobuf payload as the message `spec` describes.
 *
 * @throws {OtlpDecodeError} when the bytes are not a well-formed message.
 * @example
 * const request = readProtobuf(EXPORT_TRACE_SERVICE_REQUEST, body);
 */
export function readProtobuf<Decoded>(
  spec: MessageSpec<Decoded>,
  bytes: Uint8Array,
  limits?: DecodeLimits,
): Decoded {
  return readMessage(planOf(spec), ProtobufReader.create(bytes, limits)) as Decoded;
}
