// The vocabulary of the OTLP message tables (common-schema.ts, traces-schema.ts,
// metrics-schema.ts, logs-schema.ts). Each message is described once, as in its .proto file:
// field number, field type and label, under the field's OTLP/JSON name. The protobuf reader
// (read-protobuf.ts) and the OTLP/JSON reader (read-json.ts) both interpret these tables, and the
// decoded TypeScript types are derived from them, so a field added here is read from both
// encodings and typed, with nothing else to change. test/unit/cli/otlp-schema.test.ts checks every
// table against the official .proto files (docs/decisions/0050-otlp-messages-described-once.md).

/**
 * Scalar field types and what each decodes to. Beyond protobuf's own types: `id` is a `bytes`
 * field that OTLP/JSON writes as hex (trace and span ids) and `bytes` is one it writes as base64.
 * 64-bit integers decode to decimal strings (as OTLP/JSON writes them), the rest to numbers.
 */
export interface ScalarTypes {
  readonly string: string;
  readonly id: string;
  readonly bytes: string;
  readonly bool: boolean;
  readonly int32: number;
  readonly sint32: number;
  readonly uint32: number;
  readonly fixed32: number;
  readonly int64: string;
  readonly uint64: string;
  readonly fixed64: string;
  readonly sfixed64: string;
  readonly double: number;
}

export type ScalarKind = keyof ScalarTypes;

/** The proto3 default of each scalar type: what a field that was not sent decodes to. */
export const SCALAR_DEFAULTS: { readonly [K in ScalarKind]: ScalarTypes[K] } = {
  string: '',
  id: '',
  bytes: '',
  bool: false,
  int32: 0,
  sint32: 0,
  uint32: 0,
  fixed32: 0,
  int64: '0',
  uint64: '0',
  fixed64: '0',
  sfixed64: '0',
  double: 0,
};

/**
 * An enum: its values' names in value order, without the prefix every one carries in the .proto
 * file (`SPAN_KIND_SERVER` is `SERVER` with the prefix `SPAN_KIND_`). Decodes to its number.
 */
export interface EnumSpec<Names extends readonly string[] = readonly string[]> {
  readonly kind: 'enum';
  /** The enum's name in the .proto file. */
  readonly name: string;
  readonly prefix: string;
  readonly names: Names;
}

/**
 * Describes an enum.
 *
 * @example
 * const STATUS_CODE = defineEnum('StatusCode', 'STATUS_CODE_', ['UNSET', 'OK', 'ERROR'] as const);
 */
export function defineEnum<const Names extends readonly string[]>(
  name: string,
  prefix: string,
  names: Names,
): EnumSpec<Names> {
  return { kind: 'enum', name, prefix, names };
}

/** A message, by a function that returns it (so that messages can refer to each other). */
export type MessageRef<Decoded = unknown> = () => MessageSpec<Decoded>;

export type FieldType = ScalarKind | EnumSpec | MessageRef;

/**
 * `singular`: always in the decoded object, its default when not sent. `optional`: in the decoded
 * object only when sent (proto3 `optional`, and members of a `oneof`). `repeated`: an array.
 */
export type FieldLabel = 'singular' | 'optional' | 'repeated';

export interface FieldSpec<Type extends FieldType = FieldType, Label extends FieldLabel = FieldLabel> {
  readonly number: number;
  readonly type: Type;
  readonly label: Label;
  /** The `oneof` the field belongs to: at most one of its members is set. */
  readonly oneof: string | undefined;
}

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

/**
 * A message: its name in the .proto file and its fields by OTLP/JSON name (the lowerCamelCase of
 * the .proto field name). `Decoded` is the type it decodes to.
 */
export interface MessageSpec<Decoded = unknown> {
  readonly name: string;
  readonly fields: FieldSpecs;
  /** Never set: carries the decoded type for the readers' signatures. */
  readonly decoded?: Decoded;
}

type ValueOf<Type extends FieldType> = Type extends ScalarKind
  ? ScalarTypes[Type]
  : Type extends EnumSpec
    ? number
    : Type extends MessageRef<infer Decoded>
      ? Decoded
      : never;

type FieldValueOf<Field> =
  Field extends FieldSpec<infer Type, infer Label>
    ? Label extends 'repeated'
      ? readonly ValueOf<Type>[]
      : ValueOf<Type>
    : never;

type KeysLabelled<Fields, Labels> = {
  [Key in keyof Fields]: Fields[Key] extends FieldSpec<FieldType, infer Label>
    ? Label extends Labels
      ? Key
      : never
    : never;
}[keyof Fields];

type Flatten<T> = { [Key in keyof T]: T[Key] } & {};

/** The object a message with these fields decodes to. */
export type DecodedFields<Fields extends FieldSpecs> = Flatten<
  { readonly [Key in KeysLabelled<Fields, 'singular' | 'repeated'>]: FieldValueOf<Fields[Key]> } & {
    readonly [Key in KeysLabelled<Fields, 'optional'>]?: FieldValueOf<Fields[Key]>;
  }
>;

/** The type a message decodes to. */
export type Decoded<Spec> = Spec extends MessageSpec<infer Type> ? Type : never;

/**
 * Describes a message.
 *
 * @example
 * const STATUS = defineMessage('Status', { message: field(2, 'string'), code: field(3, STATUS_CODE) });
 */
export function defineMessage<const Fields extends FieldSpecs>(
  name: string,
  fields: Fields,
): MessageSpec<DecodedFields<Fields>> {
  return { name, fields };
}

/** A singular field: decodes to its default when not sent. */
export function field<const Type extends FieldType>(number: number, type: Type): FieldSpec<Type, 'singular'> {
  return { number, type, label: 'singular', oneof: undefined };
}

/** A field with presence (proto3 `optional`): absent from the decoded object when not sent. */
export function optional<const Type extends FieldType>(
  number: number,
  type: Type,
): FieldSpec<Type, 'optional'> {
  return { number, type, label: 'optional', oneof: undefined };
}

/** A repeated field: decodes to an array, empty when not sent. Scalars may arrive packed or not. */
export function repeated<const Type extends FieldType>(
  number: number,
  type: Type,
): FieldSpec<Type, 'repeated'> {
  return { number, type, label: 'repeated', oneof: undefined };
}

/**
 * A member of a `oneof`: absent when not sent. From protobuf the last member sent wins; OTLP/JSON
 * that sets two members of one `oneof` is malformed.
 */
export function oneOf<const Type extends FieldType>(
  group: string,
  number: number,
  type: Type,
): FieldSpec<Type, 'optional'> {
  return { number, type, label: 'optional', oneof: group };
}

/** True for a field whose type is a message. */
export function isMessageRef(type: FieldType): type is MessageRef {
  return typeof type === 'function';
}
