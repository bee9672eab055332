// Small readers for event payloads: an event is whatever the caller sent (any JSON, or a
// direct invocation's arbitrary value), so nothing here assumes a shape or throws.

/** A plain object's own properties, or undefined for anything else. */
export function asObject(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A non-empty string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The object at a path of keys, or undefined as soon as one step is not an object. */
export function objectAt(
  value: unknown,
  ...keys: readonly string[]
): Readonly<Record<string, unknown>> | undefined {
  let current = asObject(value);
  for (const key of keys) current = asObject(current?.[key]);
  return current;
}

/** The string at a path of keys, or undefined. */
export function stringAt(value: unknown, ...keys: readonly string[]): string | undefined {
  const parent = keys.length > 1 ? objectAt(value, ...keys.slice(0, -1)) : asObject(value);
  const last = keys[keys.length - 1];
  return last === undefined ? undefined : asString(parent?.[last]);
}

/**
 * Request headers with lower-cased names, first value only. API Gateway REST and ALB events
 * keep the caller's spelling (and may carry only `multiValueHeaders`); HTTP APIs and function
 * URLs lower-case them already.
 */
export function lowerCaseHeaders(event: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  const multi = objectAt(event, 'multiValueHeaders');
  if (multi !== undefined) {
    for (const [name, values] of Object.entries(multi)) {
      const first = Array.isArray(values) ? asString(values[0]) : undefined;
      if (first !== undefined) headers[name.toLowerCase()] = first;
    }
  }
  const single = objectAt(event, 'headers');
  if (single !== undefined) {
    for (const [name, value] of Object.entries(single)) {
      const text = asString(value);
      if (text !== undefined) headers[name.toLowerCase()] = text;
    }
  }
  return headers;
}

/** The last `:`-separated part of an ARN (`arn:aws:sqs:eu-west-1:123:orders` → `orders`). */
export function arnResource(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const parts = arn.split(':');
  return parts.length >= 6 ? asString(parts.slice(5).join(':')) : undefined;
}
