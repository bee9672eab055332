import type { Attributes, AttributeValue, HrTime, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { isPastInt64 } from '../../logging/otlp/int64-range.js';

// Lookout's OTLP/protobuf encoder for spans (docs/decisions/0066-own-otlp-span-encoder.md):
// the bytes the OTLP transformer writes for the same spans, field for field and in its order
// (a property test holds the two equal), in one pass over a buffer kept between calls. Each
// nested message reserves one byte for its length and moves its content only when the length
// needs more; strings are copied in one scan when they are ASCII; ids are written from their
// hex text; 64-bit times are split into two exact 32-bit halves.

const TWO_32 = 0x1_0000_0000;

/** A hex digit's value, as the transformer's conversion reads any character. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return code - 55;
}

class ProtobufBuffer {
  buffer = Buffer.allocUnsafe(1 << 16);
  pos = 0;

  ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }

  /** A non-negative integer below 2^32. */
  varint32(value: number): void {
    this.ensure(5);
    const buffer = this.buffer;
    let rest = value;
    while (rest > 0x7f) {
      buffer[this.pos++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    buffer[this.pos++] = rest;
  }

  /** A 64-bit value given as its unsigned low and high 32-bit halves. */
  varint64(lowHalf: number, highHalf: number): void {
    this.ensure(10);
    const buffer = this.buffer;
    let low = lowHalf;
    let high = highHalf;
    while (high > 0 || low > 0x7f) {
      buffer[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buffer[this.pos++] = low;
  }

  /** An int64 from a JavaScript integer, two's complement when negative. */
  int64(value: number): void {
    if (value >= 0 && value < TWO_32) {
      this.varint32(value);
      return;
    }
    const magnitude = Math.abs(value);
    let low = magnitude % TWO_32;
    let high = Math.floor(magnitude / TWO_32) % TWO_32;
    if (value < 0) {
      low = ~low >>> 0;
      high = ~high >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    this.varint64(low, high);
  }

  tag(field: number, wireType: number): void {
    this.varint32((field << 3) | wireType);
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  /** An HrTime ([seconds, nanoseconds]) as nanoseconds since the epoch, fixed64. */
  hrTime(time: HrTime): void {
    const [seconds, nanos] = time;
    // seconds × 10^9 + nanos, exactly: seconds split at 2^16 keeps every product below 2^53.
    const upper = Math.floor(seconds / 0x10000) * 1e9; // shifted left by 16 bits below
    const lower = (seconds % 0x10000) * 1e9 + nanos;
    let low = (upper % 0x10000) * 0x10000 + (lower % TWO_32);
    const high = Math.floor(upper / 0x10000) + Math.floor(lower / TWO_32) + Math.floor(low / TWO_32);
    low %= TWO_32;
    this.ensure(8);
    this.buffer.writeUInt32LE(low, this.pos);
    this.buffer.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  string(text: string): void {
    const length = text.length;
    this.ensure(length * 3 + 5);
    const buffer = this.buffer;
    if (length < 0x80) {
      const start = this.pos + 1;
      let index = 0;
      for (; index < length; index++) {
        const code = text.charCodeAt(index);
        if (code > 0x7f) break;
        buffer[start + index] = code;
      }
      if (index === length) {
        buffer[this.pos] = length;
        this.pos = start + length;
        return;
      }
    }
    this.varint32(Buffer.byteLength(text));
    this.pos += buffer.write(text, this.pos);
  }

  bytes(bytes: Uint8Array): void {
    this.varint32(bytes.length);
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** An id's bytes from its hex text. */
  hexBytes(hex: string): void {
    const length = hex.length >> 1;
    this.varint32(length);
    this.ensure(length);
    const buffer = this.buffer;
    for (let index = 0; index < length; index++) {
      buffer[this.pos++] =
        (hexValue(hex.charCodeAt(index * 2)) << 4) | hexValue(hex.charCodeAt(index * 2 + 1));
    }
  }

  /** Field `field` holding an int64. */
  int64Field(field: number, value: number): void {
    this.tag(field, 0);
    this.int64(value);
  }

  /** Field `field` holding a string. */
  stringField(field: number, text: string): void {
    this.tag(field, 2);
    this.string(text);
  }

  /** Field `field` holding a time as fixed64 nanoseconds. */
  timeField(field: number, time: HrTime): void {
    this.tag(field, 1);
    this.hrTime(time);
  }

  /** Field `field` holding an id's bytes, from its hex text. */
  idField(field: number, hex: string): void {
    this.tag(field, 2);
    this.hexBytes(hex);
  }

  /** Field `field` holding a fixed32. */
  fixed32Field(field: number, value: number): void {
    this.tag(field, 5);
    this.fixed32(value);
  }

  /** Reserves one byte for a message's length; returns where it is. */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Writes the length of the message begun at `at`, moving its content when the length needs more bytes. */
  end(at: number): void {
    const length = this.pos - at - 1;
    if (length < 0x80) {
      this.buffer[at] = length;
      return;
    }
    let size = 1;
    for (let rest = length; rest > 0x7f; rest >>>= 7) size++;
    this.ensure(size - 1);
    this.buffer.copyWithin(at + size, at + 1, this.pos);
    this.pos += size - 1;
    let position = at;
    let rest = length;
    while (rest > 0x7f) {
      this.buffer[position++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.buffer[position] = rest;
  }
}

type AnyValue = AttributeValue | Uint8Array | Record<string, unknown> | null | undefined;

function writeAnyValue(out: ProtobufBuffer, value: unknown): void {
  const type = typeof value;
  if (type === 'string') {
    out.stringField(1, value as string);
  } else if (type === 'boolean') {
    out.tag(2, 0);
    out.varint32(value ? 1 : 0);
  } else if (type === 'number') {
    const number = value as number;
    if (Number.isInteger(number) && !isPastInt64(number)) {
      out.int64Field(3, number);
    } else {
      out.tag(4, 1);
      out.double(number);
    }
  } else if (value instanceof Uint8Array) {
    out.tag(7, 2);
    out.bytes(value);
  } else if (Array.isArray(value)) {
    out.tag(5, 2);
    const array = out.begin();
    for (const item of value) {
      out.tag(1, 2);
      const at = out.begin();
      writeAnyValue(out, item);
      out.end(at);
    }
    out.end(array);
  } else if (type === 'object' && value !== null) {
    out.tag(6, 2);
    const list = out.begin();
    const entries = value as Record<string, unknown>;
    for (const key in entries) {
      if (!Object.hasOwn(entries, key)) continue;
      out.tag(1, 2);
      writeKeyValue(out, key, entries[key]);
    }
    out.end(list);
  }
  // Anything else (undefined, null, a function) is an empty value, as the transformer writes it.
}

function writeKeyValue(out: ProtobufBuffer, key: string, value: unknown): void {
  const pair = out.begin();
  out.stringField(1, key);
  out.tag(2, 2);
  const at = out.begin();
  writeAnyValue(out, value);
  out.end(at);
  out.end(pair);
}

function writeAttributes(
  out: ProtobufBuffer,
  attributes: Attributes | Record<string, AnyValue>,
  field: number,
): void {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    out.tag(field, 2);
    writeKeyValue(out, key, attributes[key]);
  }
}

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return ((traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0)) >>> 0;
}

function writeLinkedContext(out: ProtobufBuffer, context: SpanContext): void {
  out.idField(1, context.traceId);
  out.idField(2, context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    out.stringField(3, traceState);
  }
}

function writeSpan(out: ProtobufBuffer, span: ReadableSpan): void {
  const context = span.spanContext();
  writeLinkedContext(out, context);
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    out.idField(4, parent.spanId);
  }
  out.stringField(5, span.name);
  // The API's kinds start at 0 for INTERNAL; OTLP's 0 is "unspecified".
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    out.tag(6, 0);
    out.varint32(kind);
  }
  out.timeField(7, span.startTime);
  out.timeField(8, span.endTime);
  if (span.attributes) writeAttributes(out, span.attributes, 9);
  out.int64Field(10, span.droppedAttributesCount);
  for (const event of span.events) {
    out.tag(11, 2);
    const at = out.begin();
    out.timeField(1, event.time);
    out.stringField(2, event.name);
    if (event.attributes) writeAttributes(out, event.attributes, 3);
    out.int64Field(4, event.droppedAttributesCount || 0);
    out.end(at);
  }
  out.int64Field(12, span.droppedEventsCount);
  for (const link of span.links) {
    out.tag(13, 2);
    const at = out.begin();
    writeLinkedContext(out, link.context);
    if (link.attributes) writeAttributes(out, link.attributes, 4);
    out.int64Field(5, link.droppedAttributesCount || 0);
    out.fixed32Field(6, spanFlags(link.context.traceFlags, link.context.isRemote));
    out.end(at);
  }
  out.int64Field(14, span.droppedLinksCount);
  out.tag(15, 2);
  const status = out.begin();
  if (span.status.message) {
    out.stringField(2, span.status.message);
  }
  out.int64Field(3, span.status.code);
  out.end(status);
  out.fixed32Field(16, spanFlags(context.traceFlags, parent?.isRemote));
}

/** The instrumentation scope as spans carry it; attributes only from newer SDKs. */
interface Scope {
  readonly name: string;
  readonly version?: string | undefined;
  readonly schemaUrl?: string | undefined;
  readonly attributes?: Attributes | undefined;
  readonly droppedAttributesCount?: number | undefined;
}

function writeScope(out: ProtobufBuffer, scope: Scope): void {
  out.tag(1, 2);
  const at = out.begin();
  out.stringField(1, scope.name);
  if (scope.version) {
    out.stringField(2, scope.version);
  }
  if (scope.attributes) writeAttributes(out, scope.attributes, 3);
  if (scope.droppedAttributesCount) {
    out.int64Field(4, scope.droppedAttributesCount);
  }
  out.end(at);
}

type Resource = ReadableSpan['resource'];

function groupByResourceAndScope(spans: readonly ReadableSpan[]): Map<Resource, Map<Scope, ReadableSpan[]>> {
  const resources = new Map<Resource, Map<Scope, ReadableSpan[]>>();
  for (const span of spans) {
    let scopes = resources.get(span.resource);
    if (scopes === undefined) {
      scopes = new Map();
      resources.set(span.resource, scopes);
    }
    const scope: Scope = span.instrumentationScope;
    let list = scopes.get(scope);
    if (list === undefined) {
      list = [];
      scopes.set(scope, list);
    }
    list.push(span);
  }
  return resources;
}

/** Made at the first export: a process that never exports OTLP never holds its 64 KiB. */
let shared: ProtobufBuffer | undefined;

/**
 * The OTLP ExportTraceServiceRequest for `spans` in protobuf, spans grouped by resource and
 * scope in the order they first appear. Returns a copy, safe to keep while the buffer it was
 * written in serves the next call.
 *
 * @example
 * encodeTraceRequest(spans); // what ProtobufTraceSerializer.serializeRequest(spans) returns
 */
export function encodeTraceRequest(spans: readonly ReadableSpan[]): Uint8Array {
  shared ??= new ProtobufBuffer();
  const out = shared;
  out.pos = 0;
  for (const [resource, scopes] of groupByResourceAndScope(spans)) {
    out.tag(1, 2);
    const resourceSpans = out.begin();
    out.tag(1, 2);
    const resourceAt = out.begin();
    if (resource.attributes) writeAttributes(out, resource.attributes, 1);
    out.tag(2, 0);
    out.varint32(0);
    out.end(resourceAt);
    for (const list of scopes.values()) {
      out.tag(2, 2);
      const scopeSpans = out.begin();
      const scope: Scope = (list[0] as ReadableSpan).instrumentationScope;
      writeScope(out, scope);
      for (const span of list) {
        out.tag(2, 2);
        const at = out.begin();
        writeSpan(out, span);
        out.end(at);
      }
      if (scope.schemaUrl) {
        out.stringField(3, scope.schemaUrl);
      }
      out.end(scopeSpans);
    }
    if (resource.schemaUrl) {
      out.stringField(3, resource.schemaUrl);
    }
    out.end(resourceSpans);
  }
  // A copy: the HTTP transport keeps the body for its retries while later batches are encoded.
  return new Uint8Array(out.buffer.subarray(0, out.pos));
}
