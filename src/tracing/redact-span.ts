import { type Attributes, type AttributeValue, type Link, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { RedactionPolicy } from '../logging/index.js';
import { textOf } from '../runtime/index.js';
import { exportableLinks } from './exportable-links.js';
import { exportableEvents, exportableTimes } from './exportable-times.js';

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

/**
 * Attributes whose values come from a small set and repeat from one request to the next: the
 * route template and span name come from code, the user agent and host from a few clients.
 */
const REPEATING_ATTRIBUTES = new Set(['http.route', 'user_agent.original', 'server.address']);

const MEMO_LIMIT = 512;
const MEMO_MAX_LENGTH = 512;

/**
 * The redacted form of values that repeat (span names, route templates, user agents) for one
 * policy, so that each distinct value goes through the rules once rather than once per span.
 * Bounded: emptied when full, so values that do not repeat only cost a lookup.
 */
export class RepeatedValueRedaction {
  readonly policy: RedactionPolicy;
  readonly #redacted = new Map<string, string>();
  /**
   * Whether an attribute's name is sensitive, by the whole name. The policy judges the name's
   * last segment, a new string per call whose hash the policy's own cache must compute each
   * time: about 0.2 µs per attribute, 2 µs per span, where a lookup by the name itself (a
   * string from code, its hash kept) costs a tenth.
   */
  readonly #sensitiveNames = new Map<string, boolean>();

  constructor(policy: RedactionPolicy) {
    this.policy = policy;
  }

  isSensitiveAttribute(key: string): boolean {
    let sensitive = this.#sensitiveNames.get(key);
    if (sensitive === undefined) {
      sensitive = this.policy.isSensitiveKey(lastSegment(key));
      if (this.#sensitiveNames.size >= MEMO_LIMIT) this.#sensitiveNames.clear();
      this.#sensitiveNames.set(key, sensitive);
    }
    return sensitive;
  }

  redactString(text: string): string {
    if (text.length > MEMO_MAX_LENGTH) return this.policy.redactString(text);
    let redacted = this.#redacted.get(text);
    if (redacted === undefined) {
      redacted = this.policy.redactString(text);
      if (this.#redacted.size >= MEMO_LIMIT) this.#redacted.clear();
      this.#redacted.set(text, redacted);
    }
    return redacted;
  }
}

/** The name's last dot-separated part: `http.request.header.authorization` → `authorization`. */
function lastSegment(key: string): string {
  const dot = key.lastIndexOf('.');
  return dot === -1 ? key : key.slice(dot + 1);
}

function redactValue(
  key: string,
  value: AttributeValue,
  policy: RedactionPolicy,
  repeated: RepeatedValueRedaction | undefined,
): AttributeValue {
  if (typeof value === 'string') {
    if (URL_ATTRIBUTES.has(key)) return policy.redactUrl(value);
    if (repeated !== undefined && REPEATING_ATTRIBUTES.has(key)) return repeated.redactString(value);
    return policy.redactString(value);
  }
  if (Array.isArray(value)) return redactArray(value, policy);
  return value;
}

/** What an item that is not a string counts for in an array's length: the 8 bytes of an int64 or a double. */
const NON_STRING_ITEM_LENGTH = 8;

/**
 * The array with its strings redacted, cut after the items whose lengths add up to
 * `maxStringLength`, as a string is cut (at least the first item is kept): one array attribute
 * of megabytes (every id a request touched) made an export request larger than a collector takes
 * (4 MiB through gRPC), and every span in it was lost. The same array when nothing changed.
 */
function redactArray(value: readonly unknown[], policy: RedactionPolicy): AttributeValue {
  const limit = policy.maxStringLength;
  let length = 0;
  let copy: unknown[] | undefined;
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    const kept = typeof item === 'string' ? policy.redactString(item) : item;
    length += typeof kept === 'string' ? kept.length : NON_STRING_ITEM_LENGTH;
    if (length > limit && index > 0) return (copy ?? value.slice(0, index)) as AttributeValue;
    if (copy !== undefined) copy.push(kept);
    else if (kept !== item) {
      copy = value.slice(0, index);
      copy.push(kept);
    }
  }
  return (copy ?? value) as AttributeValue;
}

/**
 * The attributes with the logging redaction policy applied: a sensitive name
 * (`…header.authorization`, `enduser.password`) censors the whole value; every string goes
 * through the value rules (card numbers, JWTs, bearer tokens, AWS keys, e-mail addresses).
 * Returns the same object when nothing changed, so the common case allocates nothing.
 */
export function redactAttributes(
  attributes: Attributes,
  policy: RedactionPolicy,
  repeated?: RepeatedValueRedaction,
): Attributes {
  let copy: Attributes | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    const sensitive =
      repeated === undefined ? policy.isSensitiveKey(lastSegment(key)) : repeated.isSensitiveAttribute(key);
    const redacted = sensitive ? policy.censor : redactValue(key, value, policy, repeated);
    if (redacted === value) continue;
    copy ??= { ...attributes };
    copy[key] = redacted;
  }
  return copy ?? attributes;
}

function redactEvents(events: readonly TimedEvent[], policy: RedactionPolicy): TimedEvent[] | undefined {
  let copy: TimedEvent[] | undefined;
  events.forEach((event, index) => {
    // Like the span's name (see redactSpan): plain JavaScript can give anything
    // (`span.addEvent(error.code)`), which the string rules would only mark unreadable.
    const name = policy.redactString(typeof event.name === 'string' ? event.name : textOf(event.name));
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

/** The codes' names, as plain JavaScript may pass them (`setStatus({ code: 'ERROR' })`), lower-cased. */
const STATUS_CODE_NAMES = new Map<string, SpanStatusCode>([
  ['unset', SpanStatusCode.UNSET],
  ['ok', SpanStatusCode.OK],
  ['error', SpanStatusCode.ERROR],
  ['status_code_unset', SpanStatusCode.UNSET],
  ['status_code_ok', SpanStatusCode.OK],
  ['status_code_error', SpanStatusCode.ERROR],
]);

/**
 * The status code to export in place of one that is not one of the API's three, or undefined
 * for one that is (the usual case). The SDK keeps whatever `setStatus()` was given: OTLP/JSON
 * wrote a name as an enum value the collector refuses with the whole request, protobuf anything
 * else as UNSET. A name is taken for its code, so a span said to have failed still has; anything
 * else is UNSET, as protobuf sent it.
 */
function exportableStatusCode(code: unknown): SpanStatusCode | undefined {
  if (code === SpanStatusCode.UNSET || code === SpanStatusCode.OK || code === SpanStatusCode.ERROR)
    return undefined;
  return (typeof code === 'string' && STATUS_CODE_NAMES.get(code.toLowerCase())) || SpanStatusCode.UNSET;
}

/**
 * A view of the span with everything the app or a library can put a secret into redacted:
 * its name, attributes, events (names and attributes), links' attributes and status message;
 * links no exporter could write left out and counted as dropped (exportable-links.ts), invalid
 * times replaced (exportable-times.ts), a status code that is not one made one;
 * or the span itself when nothing needed it. The view delegates everything else to the span
 * through its prototype chain, so every exporter (OTLP and X-Ray) reads it as it reads any
 * ReadableSpan. With `repeated` (for `policy`), names and repeating attributes are redacted
 * once per distinct value.
 */
export function redactSpan(
  span: ReadableSpan,
  policy: RedactionPolicy,
  repeated?: RepeatedValueRedaction,
): ReadableSpan {
  // The SDK keeps whatever `startSpan()` or `updateName()` was given, from plain JavaScript
  // undefined, null or a number too (`span.updateName(req.query.label)`): redacting it, or naming
  // an X-Ray subsegment after it, threw, and lost the export of the whole batch.
  const spanName = typeof span.name === 'string' ? span.name : textOf(span.name);
  const name = repeated === undefined ? policy.redactString(spanName) : repeated.redactString(spanName);
  const attributes = redactAttributes(span.attributes, policy, repeated);
  // Times no exporter could write are replaced here, on the way to every exporter.
  const times = exportableTimes(span);
  const timedEvents = exportableEvents(span.events, times?.startTime ?? span.startTime);
  const events = redactEvents(timedEvents ?? span.events, policy) ?? timedEvents;
  const given = span.links ?? [];
  // Links no exporter could write are left out here, on the way to every exporter, and counted.
  const exportable = exportableLinks(given);
  const links = redactLinks(exportable, policy) ?? (exportable === given ? undefined : [...exportable]);
  const message = span.status.message;
  const redactedMessage = message === undefined ? undefined : policy.redactString(message);
  const code = exportableStatusCode(span.status.code);
  if (
    name === span.name &&
    attributes === span.attributes &&
    events === undefined &&
    links === undefined &&
    redactedMessage === message &&
    times === undefined &&
    code === undefined
  )
    return span;
  return Object.create(span, {
    ...(times === undefined
      ? {}
      : {
          startTime: { value: times.startTime, enumerable: true },
          endTime: { value: times.endTime, enumerable: true },
          duration: { value: times.duration, enumerable: true },
        }),
    name: { value: name, enumerable: true },
    attributes: { value: attributes, enumerable: true },
    events: { value: events ?? span.events, enumerable: true },
    links: { value: links ?? span.links, enumerable: true },
    droppedLinksCount: {
      value: span.droppedLinksCount + given.length - exportable.length,
      enumerable: true,
    },
    status: {
      value: { ...span.status, message: redactedMessage, ...(code === undefined ? {} : { code }) },
      enumerable: true,
    },
  }) as ReadableSpan;
}
