import type { Attributes, AttributeValue, Link } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { RedactionPolicy } from '../logging/index.js';

/**
 * Attributes holding a URL or a request target whose query string can carry secrets
 * (`?token=…`); their sensitive query parameters are censored by name, like log keys.
 */
const URL_ATTRIBUTES = new Set([
  'url.full',
  'url.path',
  'url.query',
  'http.url',
  'http.target',
  'url.original',
]);

/**
 * Censors the values of sensitive query parameters (`?password=…&page=2` keeps `page`),
 * judging each name with the policy's key rules, with the censor percent-encoded so the URL
 * stays valid; the userinfo and secret-shaped values go too (`RedactionPolicy.redactUrl`).
 */
export function redactQueryParameters(text: string, policy: RedactionPolicy): string {
  return policy.redactUrl(text);
}

/** The name's last dot-separated part: `http.request.header.authorization` → `authorization`. */
function lastSegment(key: string): string {
  const dot = key.lastIndexOf('.');
  return dot === -1 ? key : key.slice(dot + 1);
}

function redactValue(key: string, value: AttributeValue, policy: RedactionPolicy): AttributeValue {
  if (typeof value === 'string')
    return URL_ATTRIBUTES.has(key) ? policy.redactUrl(value) : policy.redactString(value);
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
    const name = policy.redactString(event.name);
    const attributes =
      event.attributes === undefined ? undefined : redactAttributes(event.attributes, policy);
    if (name === event.name && attributes === event.attributes) return;
    copy ??= [...events];
    copy[index] = attributes === undefined ? { ...event, name } : { ...event, name, attributes };
  });
  return copy;
}

function redactLinks(links: readonly Link[], policy: RedactionPolicy): Link[] | undefined {
  let copy: Link[] | undefined;
  links.forEach((link, index) => {
    if (link.attributes === undefined) return;
    const attributes = redactAttributes(link.attributes, policy);
    if (attributes === link.attributes) return;
    copy ??= [...links];
    copy[index] = { ...link, attributes };
  });
  return copy;
}

/**
 * A view of the span with everything the app or a library can put a secret into redacted:
 * its name, attributes, events (names and attributes), links' attributes and status message;
 * or the span itself when nothing needed it. The view delegates everything else to the span
 * through its prototype chain, so every exporter (OTLP and X-Ray) reads it as it reads any
 * ReadableSpan.
 */
export function redactSpan(span: ReadableSpan, policy: RedactionPolicy): ReadableSpan {
  const name = policy.redactString(span.name);
  const attributes = redactAttributes(span.attributes, policy);
  const events = redactEvents(span.events, policy);
  const links = redactLinks(span.links ?? [], policy);
  const message = span.status.message;
  const redactedMessage = message === undefined ? undefined : policy.redactString(message);
  if (
    name === span.name &&
    attributes === span.attributes &&
    events === undefined &&
    links === undefined &&
    redactedMessage === message
  )
    return span;
  return Object.create(span, {
    name: { value: name, enumerable: true },
    attributes: { value: attributes, enumerable: true },
    events: { value: events ?? span.events, enumerable: true },
    links: { value: links ?? span.links, enumerable: true },
    status: { value: { ...span.status, message: redactedMessage }, enumerable: true },
  }) as ReadableSpan;
}
