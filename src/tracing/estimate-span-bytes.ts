import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

// What one span adds to an OTLP export request, estimated from its text, for the server span
// processor's split of a batch by bytes (docs/decisions/0077-server-span-processor.md). Sized on
// OTLP/JSON, the larger of the two encodings: its field names, hex ids and decimal times. A
// string counts its UTF-16 length: its bytes when it is ASCII, up to a third of them otherwise,
// which the processor's limit leaves room for (4 MiB estimated against a collector's 20 MiB).

/** A span's fixed fields: ids, times, kind, status, flags and the names around them. */
const SPAN_BYTES = 300;
/** An attribute's key and value wrappers (`{"key":"","value":{"stringValue":""}}`). */
const ATTRIBUTE_BYTES = 40;
/** A number, a boolean, or anything that is not a string, with its wrapper. */
const SCALAR_BYTES = 30;
/** An event's time, name and count fields. */
const EVENT_BYTES = 80;
/** A link's ids, trace state and flags. */
const LINK_BYTES = 150;

/** A text's length; a name or message that is not a string (plain JavaScript) counts as a scalar. */
function textBytes(text: unknown): number {
  return typeof text === 'string' ? text.length : SCALAR_BYTES;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (!Array.isArray(value)) return SCALAR_BYTES;
  let bytes = SCALAR_BYTES;
  for (const item of value) bytes += typeof item === 'string' ? item.length + SCALAR_BYTES : SCALAR_BYTES;
  return bytes;
}

function attributeBytes(attributes: Attributes | undefined): number {
  let bytes = 0;
  for (const key in attributes) bytes += ATTRIBUTE_BYTES + key.length + valueBytes(attributes[key]);
  return bytes;
}

/**
 * About how many bytes `span` adds to an OTLP/JSON export request (protobuf takes fewer):
 * counted from its names, attributes, events and links, without encoding anything.
 *
 * @example
 * if (bytes + estimateSpanBytes(span) > limit) startAnotherRequest();
 */
export function estimateSpanBytes(span: ReadableSpan): number {
  let bytes = SPAN_BYTES + textBytes(span.name) + attributeBytes(span.attributes);
  const message = span.status?.message;
  if (message !== undefined) bytes += textBytes(message);
  const events = span.events;
  if (events !== undefined) {
    for (const event of events)
      bytes += EVENT_BYTES + textBytes(event.name) + attributeBytes(event.attributes);
  }
  const links = span.links;
  if (links !== undefined) for (const link of links) bytes += LINK_BYTES + attributeBytes(link.attributes);
  return bytes;
}
