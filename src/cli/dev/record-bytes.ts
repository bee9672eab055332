// What one record the viewer keeps costs in memory, estimated, so the stores can be bounded by
// bytes as well as by count (one 1 MiB log line costs what 10,000 short ones do).

/** A record's own object and its place in a store (a slot, a set entry for a span's id). */
const RECORD_BYTES = 64;
/** A string's header in the heap, with alignment; its characters are counted on top, one byte each. */
const STRING_BYTES = 24;
/** A number (a boxed double where it is not a small integer), boolean or null. */
const VALUE_BYTES = 16;
/** An object or array's header. */
const OBJECT_BYTES = 32;
/** An array element's slot. */
const ELEMENT_BYTES = 8;
/**
 * A property's entry: the attribute and field objects are built key by key (`toJsonObject`),
 * so V8 keeps them as hash tables of key, value and details, about half full. The key string is
 * counted too, as if not shared with other records. (A record's own fields are slots in it.)
 */
const PROPERTY_BYTES = 48 + STRING_BYTES;

/**
 * Estimated bytes of a plain JSON-like value: a string is its length plus a header, anything
 * else a value, objects and arrays their entries plus a header (measured against V8's heap for
 * spans of 0 to 50,000 attributes: within a factor of 1.5 either way). A string's length is known
 * without reading it, so this walks the values a record holds (as many as its decoding made)
 * and never serialises. Strings of characters outside Latin-1 take two bytes each in the heap
 * and are counted at one: the estimate is of the text, not the heap to the byte. The records are
 * built by `toJsonValue`, whose nesting stops at 20 levels, so the recursion is shallow.
 *
 * @example
 * estimateBytes({ message: 'x'.repeat(1000) }); // 1135
 */
export function estimateBytes(value: unknown): number {
  if (typeof value === 'string') return STRING_BYTES + value.length;
  if (value === null || typeof value !== 'object') return VALUE_BYTES;
  let bytes = OBJECT_BYTES;
  if (Array.isArray(value)) {
    for (const item of value) bytes += ELEMENT_BYTES + estimateBytes(item);
    return bytes;
  }
  for (const key in value) {
    bytes += PROPERTY_BYTES + key.length + estimateBytes((value as Record<string, unknown>)[key]);
  }
  return bytes;
}

/**
 * Estimated bytes of one record (span, log line, metric point, audit entry) held by a store:
 * its own fields are slots in one object, what they hold is estimated by `estimateBytes`.
 *
 * @example
 * logs.push(log, estimateRecordBytes(log));
 */
export function estimateRecordBytes(record: object): number {
  let bytes = RECORD_BYTES;
  for (const key in record) bytes += ELEMENT_BYTES + estimateBytes((record as Record<string, unknown>)[key]);
  return bytes;
}
