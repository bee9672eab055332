import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { RedactionPolicy } from '../logging/index.js';

/**
 * Attributes holding a URL or a request target whose query string can carry secrets
 * (`?token=…`); their sensitive query parameters are censored by name, like log keys.
 */
const URL_ATTRIBUTES = new Set(['url.full', 'url.query', 'http.url', 'http.target', 'url.original']);

/**
 * Censors the values of sensitive query parameters (`?password=…&page=2` keeps `page`),
 * judging each name with the policy's key rules.
 */
export function redactQueryParameters(text: string, policy: RedactionPolicy): string {
  const start = text.indexOf('?');
  if (start === -1 && !text.includes('=')) return text;
  const prefix = start === -1 ? '' : text.slice(0, start + 1);
  const query = start === -1 ? text : text.slice(start + 1);
  const hash = query.indexOf('#');
  const fragment = hash === -1 ? '' : query.slice(hash);
  const parameters = (hash === -1 ? query : query.slice(0, hash)).split('&');
  let changed = false;
  const redacted = parameters.map((parameter) => {
    const equals = parameter.indexOf('=');
    if (equals === -1) return parameter;
    if (!policy.isSensitiveKey(safeDecode(parameter.slice(0, equals)))) return parameter;
    changed = true;
    return `${parameter.slice(0, equals + 1)}${encodeURIComponent(policy.censor)}`;
  });
  return changed ? `${prefix}${redacted.join('&')}${fragment}` : text;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The name's last dot-separated part: `http.request.header.authorization` → `authorization`. */
function lastSegment(key: string): string {
  const dot = key.lastIndexOf('.');
  return dot === -1 ? key : key.slice(dot + 1);
}

function redactValue(key: string, value: AttributeValue, policy: RedactionPolicy): AttributeValue {
  if (typeof value === 'string') {
    const text = URL_ATTRIBUTES.has(key) ? redactQueryParameters(value, policy) : value;
    return policy.redactString(text);
  }
  if (Array.isArray(value) && value.some((item) => typeof item === 'string')) {
    return value.map((item) =>
      typeof item === 'string' ? policy.redactString(item) : item,
    ) as AttributeValue;
  }
  return value;
}

/**
 * The attributes with the logging redaction policy applied: a sensitive name
 * (`…header.authorization`, `enduser.password`) censors the whole value; every string goes
 * through the value rules (card numbers, JWTs, bearer tokens, AWS keys, e-mail addresses).
 * Returns the same object when nothing changed, so the common case allocates nothing.
 */
export function redactAttributes(attributes: Attributes, policy: RedactionPolicy): Attributes {
  let copy: Attributes | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    const redacted = policy.isSensitiveKey(lastSegment(key))
      ? policy.censor
      : redactValue(key, value, policy);
    if (redacted === value) continue;
    copy ??= { ...attributes };
    copy[key] = redacted;
  }
  return copy ?? attributes;
}

function redactEvents(events: readonly TimedEvent[], policy: RedactionPolicy): TimedEvent[] | undefined {
  let copy: TimedEvent[] | undefined;
  events.forEach((event, index) => {
    if (event.attributes === undefined) return;
    const attributes = redactAttributes(event.attributes, policy);
    if (attributes === event.attributes) return;
    copy ??= [...events];
    copy[index] = { ...event, attributes };
  });
  return copy;
}

/**
 * A view of the span with its attributes, event attributes and status message redacted, or
 * the span itself when nothing needed it. The view delegates everything else to the span
 * through its prototype chain, so exporters read it as they read any ReadableSpan.
 */
export function redactSpan(span: ReadableSpan, policy: RedactionPolicy): ReadableSpan {
  const attributes = redactAttributes(span.attributes, policy);
  const events = redactEvents(span.events, policy);
  const message = span.status.message;
  const redactedMessage = message === undefined ? undefined : policy.redactString(message);
  if (attributes === span.attributes && events === undefined && redactedMessage === message) return span;
  return Object.create(span, {
    attributes: { value: attributes, enumerable: true },
    events: { value: events ?? span.events, enumerable: true },
    status: { value: { ...span.status, message: redactedMessage }, enumerable: true },
  }) as ReadableSpan;
}
