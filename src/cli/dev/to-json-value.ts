import type { JsonObject, JsonValue } from './viewer-records.js';

/**
 * Turns a decoded attribute value (or any parsed JSON) into a plain JSON value: bytes become
 * base64, bigints decimal strings, non-finite numbers strings, and nesting stops at a depth.
 *
 * @example
 * toJsonValue(new Uint8Array([1, 2])); // 'AQI='
 */
export function toJsonValue(value: unknown, depth = 0): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return String(value);
  }
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString('base64');
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item, depth + 1));
  return toJsonObject(value as Record<string, unknown>, depth + 1);
}

const MAX_DEPTH = 20;

/** Like `toJsonValue` for an object of attributes. */
export function toJsonObject(value: Readonly<Record<string, unknown>>, depth = 0): JsonObject {
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    // A plain key named `__proto__` must stay a key, not replace the prototype.
    Object.defineProperty(result, key, {
      value: toJsonValue(item, depth),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}
