// opentelemetry/proto/common/v1/common.proto and resource/v1/resource.proto: values, attributes,
// resources and instrumentation scopes, which every signal shares.
// Fields of the .proto files that are not listed here are skipped like unknown fields
// (AnyValue.string_value_strindex, KeyValue.key_strindex, Resource.entity_refs).
import { type Decoded, defineMessage, field, type MessageSpec, oneOf, repeated } from './message-schema.js';

/**
 * `AnyValue`: exactly one of its fields, or none (an empty value). Written out by hand, unlike the
 * other decoded types, because AnyValue and KeyValue refer to each other and a union says "one
 * of" better than optional fields do; the table below is checked against it.
 */
export type OtlpAnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number }
  | { readonly arrayValue: { readonly values: readonly OtlpAnyValue[] } }
  | { readonly kvlistValue: { readonly values: readonly OtlpKeyValue[] } }
  | { readonly bytesValue: string }
  | Readonly<Record<string, never>>;

export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}

const ARRAY_VALUE = defineMessage('ArrayValue', {
  values: repeated(1, (): MessageSpec<OtlpAnyValue> => ANY_VALUE),
});

const KEY_VALUE_LIST = defineMessage('KeyValueList', {
  values: repeated(1, (): MessageSpec<OtlpKeyValue> => KEY_VALUE),
});

const ANY_VALUE_FIELDS = defineMessage('AnyValue', {
  stringValue: oneOf('value', 1, 'string'),
  boolValue: oneOf('value', 2, 'bool'),
  intValue: oneOf('value', 3, 'int64'),
  doubleValue: oneOf('value', 4, 'double'),
  arrayValue: oneOf('value', 5, () => ARRAY_VALUE),
  kvlistValue: oneOf('value', 6, () => KEY_VALUE_LIST),
  bytesValue: oneOf('value', 7, 'bytes'),
});

type KeysOfUnion<T> = T extends unknown ? keyof T : never;
type Variants = Exclude<OtlpAnyValue, Readonly<Record<string, never>>>;
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/**
 * Every variant of the union is one of the table's optional fields with the same type: this line
 * fails to compile when a field is added to, or changed in, one and not the other.
 */
const tableMatchesUnion: Same<
  Decoded<typeof ANY_VALUE_FIELDS>,
  { readonly [Key in KeysOfUnion<Variants>]?: Extract<Variants, Record<Key, unknown>>[Key] }
> = true;
void tableMatchesUnion;

export const ANY_VALUE: MessageSpec<OtlpAnyValue> = ANY_VALUE_FIELDS as MessageSpec<OtlpAnyValue>;

export const KEY_VALUE: MessageSpec<OtlpKeyValue> = defineMessage('KeyValue', {
  key: field(1, 'string'),
  value: field(2, () => ANY_VALUE),
});

export const RESOURCE = defineMessage('Resource', {
  attributes: repeated(1, () => KEY_VALUE),
  droppedAttributesCount: field(2, 'uint32'),
});
export type OtlpResource = Decoded<typeof RESOURCE>;

export const INSTRUMENTATION_SCOPE = defineMessage('InstrumentationScope', {
  name: field(1, 'string'),
  version: field(2, 'string'),
  attributes: repeated(3, () => KEY_VALUE),
  droppedAttributesCount: field(4, 'uint32'),
});
export type OtlpInstrumentationScope = Decoded<typeof INSTRUMENTATION_SCOPE>;
