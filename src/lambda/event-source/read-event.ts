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

/**
 * The resource of an ARN: what follows its fifth `:`, colons included
 * (`arn:aws:sqs:eu-west-1:123:orders` → `orders`).
 */
export function arnResource(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  // Found with indexOf, not split: the ARN is the caller's, and a split of megabytes of colons
  // is an array of millions of strings made per invocation. This reads the five fixed parts only.
  let at = -1;
  for (let part = 0; part < 5; part++) {
    at = arn.indexOf(':', at + 1);
    if (at === -1) return undefined;
  }
  return asString(arn.slice(at + 1));
}

/**
 * The `/`-separated part at `index` of an ARN's resource (`stream/clicks`, 1 → `clicks`), or
 * undefined when it is missing or empty, reading no further than that part.
 */
export function arnResourcePart(arn: string | undefined, index: number): string | undefined {
  // The limit stops the split after the part wanted, however many slashes follow.
  const resource = arnResource(arn);
  return resource === undefined ? undefined : asString(resource.split('/', index + 1)[index]);
}
