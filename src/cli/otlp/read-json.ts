// Reads an OTLP/JSON object by its message table (message-schema.ts), into the same object the
// protobuf reader returns for the same message.
//
// OTLP/JSON is the protobuf JSON mapping with the deviations the OTLP specification states
// ("JSON Protobuf Encoding"): keys are lowerCamelCase field names; traceId and spanId are
// case-insensitive hex, not base64; enum values are integers; 64-bit integers are decimal
// strings, and numbers are accepted too; unknown fields are ignored. Other `bytes` fields (such
// as AnyValue.bytesValue) stay base64 as in the protobuf mapping. Enum names are accepted as
// well, which costs nothing and reads payloads from producers that got that detail wrong.
//
// Every JSON object counts as one message against the limits and nests one level deeper than
// the object holding it, as the protobuf reader counts embedded messages.
import {
  type FieldSpec,
  isMessageRef,
  type MessageSpec,
  SCALAR_DEFAULTS,
  type ScalarKind,
  type ScalarTypes,
} from './message-schema.js';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_MESSAGES,
  type DecodeLimits,
  OtlpDecodeError,
} from './otlp-decode-error.js';

export type JsonObject = Readonly<Record<string, unknown>>;
type Target = Record<string, unknown>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const HEX_ID = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const DECIMAL = /^-?\d+$/;

/** A field's path for error messages: `resourceSpans[0].scopeSpans[0].spans[2].traceId`. */
function pathTo(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return `a ${typeof value}`;
}

/** True when the object sets the key to a value (the protobuf JSON mapping reads null as absent). */
function has(object: JsonObject, key: string): boolean {
  return Object.hasOwn(object, key) && object[key] !== undefined && object[key] !== null;
}

/** Walks one JSON document, checking types and counting objects against the limits. */
export class JsonReader {
  readonly #maxDepth: number;
  readonly #maxMessages: number;
  #remaining: number;

  constructor(limits: DecodeLimits) {
    this.#maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.#maxMessages = limits.maxMessages ?? DEFAULT_MAX_MESSAGES;
    this.#remaining = this.#maxMessages;
  }

  fail(path: string, message: string): never {
    throw new OtlpDecodeError(`${path}: ${message}`);
  }

  /** A message field; null or absent reads as undefined (the protobuf JSON mapping's "absent"). */
  object(value: unknown, path: string, depth: number): JsonObject | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value))
      this.fail(path, `expected an object, got ${kindOf(value)}`);
    if (depth > this.#maxDepth) this.fail(path, `nested deeper than ${this.#maxDepth} levels`);
    this.#remaining -= 1;
    if (this.#remaining < 0)
      this.fail(path, `the payload holds more messages than the decoder accepts (${this.#maxMessages})`);
    return value as JsonObject;
  }

  /** A repeated field; null or absent reads as empty. */
  array(value: unknown, path: string): readonly unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, `expected an array, got ${kindOf(value)}`);
    return value;
  }

  /** A repeated message field, each element (one level deeper) read by `read`. */
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

  string(value: unknown, path: string, key: string): string {
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') this.fail(pathTo(path, key), `expected a string, got ${kindOf(value)}`);
    return value;
  }

  boolean(value: unknown, path: string, key: string): boolean {
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') this.fail(pathTo(path, key), `expected a boolean, got ${kindOf(value)}`);
    return value;
  }

  /** traceId / spanId: case-insensitive hex, returned lowercase. */
  hexId(value: unknown, path: string, key: string): string {
    const text = this.string(value, path, key);
    if (!HEX_ID.test(text))
      this.fail(pathTo(path, key), `expected a hex-encoded id, got ${JSON.stringify(text.slice(0, 40))}`);
    return text.toLowerCase();
  }

  /** Other bytes fields: base64 (standard or URL-safe), returned as standard base64. */
  base64(value: unknown, path: string, key: string): string {
    const text = this.string(value, path, key);
    if (!BASE64.test(text)) this.fail(pathTo(path, key), 'expected base64-encoded bytes');
    return Buffer.from(text, 'base64').toString('base64');
  }

  #integer(value: unknown, path: string, key: string, min: bigint, max: bigint, what: string): bigint {
    if (value === undefined || value === null) return 0n;
    let result: bigint;
    if (typeof value === 'number' && Number.isInteger(value)) result = BigInt(value);
    else if (typeof value === 'string' && DECIMAL.test(value) && value.length <= 21) result = BigInt(value);
    else return this.fail(pathTo(path, key), `expected ${what}, got ${kindOf(value)}`);
    if (result < min || result > max) this.fail(pathTo(path, key), `${what} out of range`);
    return result;
  }

  /** uint32 fields (counts, data point flags) and fixed32 flags. */
  uint32(value: unknown, path: string, key: string): number {
    return Number(this.#integer(value, path, key, 0n, 0xffff_ffffn, 'an unsigned 32-bit integer'));
  }

  /** int32 and sint32 fields. */
  int32(value: unknown, path: string, key: string): number {
    return Number(this.#integer(value, path, key, -(2n ** 31n), 2n ** 31n - 1n, 'a 32-bit integer'));
  }

  /** uint64 / fixed64 fields (times, counts) as decimal strings. */
  uint64(value: unknown, path: string, key: string): string {
    return this.#integer(value, path, key, 0n, UINT64_MAX, 'an unsigned 64-bit integer').toString();
  }

  /** int64 / sfixed64 fields as decimal strings. */
  int64(value: unknown, path: string, key: string): string {
    return this.#integer(value, path, key, INT64_MIN, INT64_MAX, 'a 64-bit integer').toString();
  }

  /** An enum: its integer value, or (leniently) its name. */
  enumValue(value: unknown, path: string, key: string, names: readonly string[]): number {
    if (typeof value === 'string' && !DECIMAL.test(value)) {
      const index = names.indexOf(value);
      if (index === -1)
        this.fail(pathTo(path, key), `unknown enum value ${JSON.stringify(value.slice(0, 60))}`);
      return index;
    }
    return this.int32(value, path, key);
  }

  /** double fields: a number, or the strings the protobuf JSON mapping allows. */
  double(value: unknown, path: string, key: string): number {
    if (value === undefined || value === null) return 0;
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      if (value === 'NaN') return Number.NaN;
      if (value === 'Infinity') return Number.POSITIVE_INFINITY;
      if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
      const parsed = Number(value);
      if (value.trim() !== '' && Number.isFinite(parsed)) return parsed;
    }
    return this.fail(pathTo(path, key), `expected a number, got ${kindOf(value)}`);
  }
}

type ScalarReader<T> = (json: JsonReader, value: unknown, path: string, key: string) => T;

/** How each scalar type is written in OTLP/JSON. */
const SCALAR_JSON: { readonly [K in ScalarKind]: ScalarReader<ScalarTypes[K]> } = {
  string: (json, value, path, key) => json.string(value, path, key),
  id: (json, value, path, key) => json.hexId(value, path, key),
  bytes: (json, value, path, key) => json.base64(value, path, key),
  bool: (json, value, path, key) => json.boolean(value, path, key),
  int32: (json, value, path, key) => json.int32(value, path, key),
  sint32: (json, value, path, key) => json.int32(value, path, key),
  uint32: (json, value, path, key) => json.uint32(value, path, key),
  fixed32: (json, value, path, key) => json.uint32(value, path, key),
  int64: (json, value, path, key) => json.int64(value, path, key),
  uint64: (json, value, path, key) => json.uint64(value, path, key),
  fixed64: (json, value, path, key) => json.uint64(value, path, key),
  sfixed64: (json, value, path, key) => json.int64(value, path, key),
  double: (json, value, path, key) => json.double(value, path, key),
};

type FieldReader = (
  json: JsonReader,
  object: JsonObject,
  path: string,
  depth: number,
  target: Target,
) => void;

interface MessagePlan {
  readonly name: string;
  readonly fields: FieldReader[];
  /** The members of each `oneof`, by the oneof's name. */
  readonly oneofs: Map<string, string[]>;
}

const EMPTY_OBJECT: JsonObject = Object.freeze({});
const plans = new WeakMap<MessageSpec, MessagePlan>();

function planOf(spec: MessageSpec): MessagePlan {
  const known = plans.get(spec);
  if (known !== undefined) return known;
  const plan: MessagePlan = { name: spec.name, fields: [], oneofs: new Map() };
  plans.set(spec, plan);
  for (const [key, field] of Object.entries(spec.fields)) {
    plan.fields.push(fieldReader(key, field));
    if (field.oneof !== undefined)
      plan.oneofs.set(field.oneof, [...(plan.oneofs.get(field.oneof) ?? []), key]);
  }
  return plan;
}

function scalarReader(type: ScalarKind | { readonly prefix: string; readonly names: readonly string[] }) {
  if (typeof type === 'string') return SCALAR_JSON[type] as ScalarReader<unknown>;
  const names = type.names.map((name) => `${type.prefix}${name}`);
  return (json: JsonReader, value: unknown, path: string, key: string): number =>
    json.enumValue(value, path, key, names);
}

function fieldReader(key: string, field: FieldSpec): FieldReader {
  const type = field.type;
  if (isMessageRef(type)) {
    let plan: MessagePlan | undefined;
    const read = (json: JsonReader, object: JsonObject, path: string, depth: number): Target => {
      plan ??= planOf(type());
      return readObject(json, plan, object, path, depth);
    };
    if (field.label === 'repeated') {
      return (json, object, path, depth, target) => {
        target[key] = json.messages(
          object[key],
          pathTo(path, key),
          depth,
          (element, elementPath, elementDepth) => read(json, element, elementPath, elementDepth),
        );
      };
    }
    if (field.label === 'optional') {
      return (json, object, path, depth, target) => {
        if (!has(object, key)) return;
        const fieldPath = pathTo(path, key);
        const value = read(
          json,
          json.object(object[key], fieldPath, depth + 1) ?? EMPTY_OBJECT,
          fieldPath,
          depth + 1,
        );
        // An optional message that holds nothing is absent, as in the protobuf reader.
        if (Object.keys(value).length > 0) target[key] = value;
      };
    }
    return (json, object, path, depth, target) => {
      const fieldPath = pathTo(path, key);
      target[key] = read(
        json,
        json.object(object[key], fieldPath, depth + 1) ?? EMPTY_OBJECT,
        fieldPath,
        depth + 1,
      );
    };
  }
  const read = scalarReader(type);
  if (field.label === 'repeated') {
    return (json, object, path, _depth, target) => {
      target[key] = json
        .array(object[key], pathTo(path, key))
        .map((value, index) => read(json, value, path, `${key}[${index}]`));
    };
  }
  if (field.label === 'optional') {
    return (json, object, path, _depth, target) => {
      if (has(object, key)) target[key] = read(json, object[key], path, key);
    };
  }
  const absent = typeof type === 'string' ? SCALAR_DEFAULTS[type] : 0;
  return (json, object, path, _depth, target) => {
    const value = object[key];
    target[key] = value === undefined || value === null ? absent : read(json, value, path, key);
  };
}

function readObject(
  json: JsonReader,
  plan: MessagePlan,
  object: JsonObject,
  path: string,
  depth: number,
): Target {
  for (const [oneof, members] of plan.oneofs) {
    const present = members.filter((key) => has(object, key));
    if (present.length > 1)
      json.fail(path, `${plan.name} sets more than one ${oneof} field (${present.join(', ')})`);
  }
  const target: Target = {};
  for (const read of plan.fields) read(json, object, path, depth, target);
  return target;
}

/**
 * Reads a parsed OTLP/JSON document as the message `spec` describes.
 *
 * @throws {OtlpDecodeError} when a value has the wrong type, or the document is past the limits.
 * @example
 * const request = readJson(EXPORT_TRACE_SERVICE_REQUEST, JSON.parse(body));
 */
export function readJson<Decoded>(
  spec: MessageSpec<Decoded>,
  document: unknown,
  limits: DecodeLimits = {},
): Decoded {
  // Annotated so that `fail` (returning never) narrows `root` below.
  const json: JsonReader = new JsonReader(limits);
  const root = json.object(document, '(root)', 0);
  if (root === undefined) json.fail('(root)', 'expected an object, got null');
  return readObject(json, planOf(spec), root, '', 0) as Decoded;
}
