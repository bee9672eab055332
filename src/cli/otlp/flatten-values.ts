// What the flattened records of every signal share: attribute values unwrapped to plain values,
// resources and scopes as plain objects.
import type { OtlpAnyValue, OtlpInstrumentationScope, OtlpKeyValue, OtlpResource } from './common-schema.js';

/**
 * An AnyValue unwrapped to a plain value: strings, booleans, numbers (an `intValue` becomes a
 * number when it fits exactly, otherwise stays a decimal string), arrays, plain objects for key
 * value lists, `Uint8Array` for bytes, and `null` for an empty value.
 */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | Uint8Array
  | readonly AttributeValue[]
  | { readonly [key: string]: AttributeValue };

export type Attributes = Readonly<Record<string, AttributeValue>>;

export interface FlatScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: Attributes;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/**
 * Unwraps an OTLP AnyValue into a plain value.
 *
 * @example
 * unwrapAnyValue({ intValue: '42' }); // 42
 * unwrapAnyValue({ arrayValue: { values: [{ stringValue: 'a' }] } }); // ['a']
 */
export function unwrapAnyValue(value: OtlpAnyValue): AttributeValue {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) {
    const exact = BigInt(value.intValue);
    return exact <= MAX_SAFE && exact >= MIN_SAFE ? Number(exact) : value.intValue;
  }
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) return value.arrayValue.values.map(unwrapAnyValue);
  if ('kvlistValue' in value) return toAttributes(value.kvlistValue.values);
  if ('bytesValue' in value) return new Uint8Array(Buffer.from(value.bytesValue, 'base64'));
  return null;
}

/**
 * Turns a KeyValue list into a plain object (a later duplicate key wins). Keys are own
 * properties of a null-prototype object, so `__proto__` or `constructor` are plain keys.
 *
 * @example
 * toAttributes([{ key: 'http.route', value: { stringValue: '/orders/:id' } }]); // { 'http.route': '/orders/:id' }
 */
export function toAttributes(keyValues: readonly OtlpKeyValue[]): Attributes {
  const attributes: Record<string, AttributeValue> = Object.create(null);
  for (const { key, value } of keyValues) attributes[key] = unwrapAnyValue(value);
  return attributes;
}

/** A scope with its attributes as a plain object. */
export function flattenScope(scope: OtlpInstrumentationScope): FlatScope {
  return { name: scope.name, version: scope.version, attributes: toAttributes(scope.attributes) };
}

/** A resource's attributes as a plain object. */
export function flattenResource(resource: OtlpResource): Attributes {
  return toAttributes(resource.attributes);
}

/** An empty id (a root span's parent, a record without trace context) as undefined. */
export const orUndefined = (id: string): string | undefined => (id === '' ? undefined : id);

/** An enum value's name; a value outside the known ones reads as the first (`UNSPECIFIED`, `UNSET`). */
export function enumName<T extends readonly string[]>(names: T, value: number): T[number] {
  return names[value] ?? (names[0] as T[number]);
}
