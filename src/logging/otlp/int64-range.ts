// OTLP writes an integer attribute as an `intValue`, an int64: a number past that range cannot
// be one (the protobuf encoder writes it as a double, OTLP/JSON as its decimal text), or a
// collector refuses the whole request. One range for the span and log record encoders alike.

const INT64_LIMIT = 2 ** 63;

/**
 * Whether `value` lies outside int64's range (−2^63 to 2^63 − 1): too large or small for an
 * OTLP `intValue` (Infinity included).
 *
 * @example
 * isPastInt64(2 ** 64); // true
 * isPastInt64(Number.MAX_SAFE_INTEGER); // false
 */
export function isPastInt64(value: number): boolean {
  return value >= INT64_LIMIT || value < -INT64_LIMIT;
}
