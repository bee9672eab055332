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

// One key per step, not a path of keys: the readers run on every invocation, before the
// handler, and a rest parameter or a spread is an array made per call, which costs most while
// V8 still interprets them (the first thousands of invocations of an environment).

/** The plain object under `key`, or undefined as soon as `value` or it is not one. */
export function objectAt(value: unknown, key: string): Readonly<Record<string, unknown>> | undefined {
  const parent = asObject(value);
  return parent === undefined ? undefined : asObject(parent[key]);
}

/** The non-empty string under `key` of a plain object, or undefined. */
export function stringAt(value: unknown, key: string): string | undefined {
  const parent = asObject(value);
  return parent === undefined ? undefined : asString(parent[key]);
}

/** A header's value as the event gives it: a string, or an array whose first item is one. */
function firstValue(value: unknown, multi: boolean): string | undefined {
  return asString(multi ? (Array.isArray(value) ? value[0] : undefined) : value);
}

/** Adds `headers`' string values to `into` under lower-cased names; later names win. */
function addLowerCased(
  into: Record<string, string>,
  headers: Readonly<Record<string, unknown>>,
  multi: boolean,
): void {
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const text = firstValue(headers[name], multi);
    if (text !== undefined) into[name.toLowerCase()] = text;
  }
}

/**
 * Request headers with lower-cased names, first value only. API Gateway REST and ALB events
 * keep the caller's spelling (and may carry only `multiValueHeaders`); HTTP APIs and function
 * URLs lower-case them already.
 */
export function lowerCaseHeaders(event: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  const multi = objectAt(event, 'multiValueHeaders');
  if (multi !== undefined) addLowerCased(headers, multi, true);
  const single = objectAt(event, 'headers');
  if (single !== undefined) addLowerCased(headers, single, false);
  return headers;
}

/** The last `:`-separated part of an ARN (`arn:aws:sqs:eu-west-1:123:orders` → `orders`). */
export function arnResource(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const parts = arn.split(':');
  return parts.length >= 6 ? asString(parts.slice(5).join(':')) : undefined;
}
