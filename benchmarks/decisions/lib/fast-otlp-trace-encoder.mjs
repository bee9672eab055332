// A prototype of a general OTLP trace encoder written for speed, measured against the OTLP
// transformer by benchmarks/decisions/otlp-span-encoder.mjs (docs/decisions/0008-otlp-span-encoder.md).
// It encodes any SDK span (events, links, trace state, every attribute type) into the bytes the
// transformer writes for the same spans, field for field and in the transformer's order, but in
// one pass over a buffer kept between calls: each nested message reserves one byte for its
// length and moves its content only when the length needs more; strings are copied in one scan
// when they are ASCII; ids are written from their hex text; 64-bit times are split into two
// exact 32-bit halves without BigInt. Not used by Lookout's exporter: a measurement.

const TWO_32 = 0x1_0000_0000;
const HEX_VALUES = new Int8Array(128).fill(-1);
for (let index = 0; index < 16; index++) {
  HEX_VALUES['0123456789abcdef'.charCodeAt(index)] = index;
  HEX_VALUES['0123456789ABCDEF'.charCodeAt(index)] = index;
}

class Writer {
  buffer = Buffer.allocUnsafe(1 << 16);
  pos = 0;

  ensure(extra) {
    const needed = this.pos + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }

  /** A non-negative integer below 2^32. */
  varint32(value) {
    this.ensure(5);
    const buffer = this.buffer;
    while (value > 0x7f) {
      buffer[this.pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buffer[this.pos++] = value;
  }

  /** A 64-bit value given as its low and high 32-bit halves (unsigned). */
  varint64(low, high) {
    this.ensure(10);
    const buffer = this.buffer;
    while (high > 0 || low > 0x7f) {
      buffer[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buffer[this.pos++] = low;
  }

  /** An int64 from a JavaScript integer (two's complement when negative). */
  int64(value) {
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

  tag(field, wireType) {
    this.varint32((field << 3) | wireType);
  }

  fixed32(value) {
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  /** An OpenTelemetry HrTime ([seconds, nanoseconds]) as nanoseconds, fixed64. */
  hrTime(time) {
    const seconds = time[0];
    const nanos = time[1];
    // seconds × 10^9 + nanos, exactly: seconds split at 2^16 keeps every product below 2^53.
    const upper = Math.floor(seconds / 0x10000) * 1e9; // to be shifted left by 16 bits
    const lower = (seconds % 0x10000) * 1e9 + nanos;
    let low = (upper % 0x10000) * 0x10000 + (lower % TWO_32);
    let high = Math.floor(upper / 0x10000) + Math.floor(lower / TWO_32);
    high += Math.floor(low / TWO_32);
    low %= TWO_32;
    this.ensure(8);
    this.buffer.writeUInt32LE(low, this.pos);
    this.buffer.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  double(value) {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  string(text) {
    const length = text.length;
    this.ensure(length * 3 + 5);
    const buffer = this.buffer;
    if (length < 128) {
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
    const bytes = Buffer.byteLength(text);
    this.varint32(bytes);
    this.pos += buffer.write(text, this.pos);
  }

  bytes(bytes) {
    this.varint32(bytes.length);
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** An id's bytes from its hex text, as the transformer's conversion reads it. */
  hexBytes(hex) {
    const length = hex.length >> 1;
    this.varint32(length);
    this.ensure(length);
    const buffer = this.buffer;
    for (let index = 0; index < length; index++) {
      const high = hex.charCodeAt(index * 2);
      const low = hex.charCodeAt(index * 2 + 1);
      buffer[this.pos++] = (hexValue(high) << 4) | hexValue(low);
    }
  }

  /** Reserves one byte for a message's length; returns where it is. */
  begin() {
    this.ensure(1);
    return this.pos++;
  }

  /** Writes the length of the message begun at `at`, moving its content if the length needs more bytes. */
  end(at) {
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

/** A hex digit's value; any other character as the transformer's conversion takes it. */
function hexValue(code) {
  const value = code < 128 ? HEX_VALUES[code] : -1;
  if (value >= 0) return value;
  return code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : code - 55;
}

function writeAnyValue(writer, value) {
  const type = typeof value;
  if (type === 'string') {
    writer.tag(1, 2);
    writer.string(value);
  } else if (type === 'boolean') {
    writer.tag(2, 0);
    writer.varint32(value ? 1 : 0);
  } else if (type === 'number') {
    if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
      writer.tag(3, 0);
      writer.int64(value);
    } else {
      writer.tag(4, 1);
      writer.double(value);
    }
  } else if (value instanceof Uint8Array) {
    writer.tag(7, 2);
    writer.bytes(value);
  } else if (Array.isArray(value)) {
    writer.tag(5, 2);
    const array = writer.begin();
    for (const item of value) {
      writer.tag(1, 2);
      const at = writer.begin();
      writeAnyValue(writer, item);
      writer.end(at);
    }
    writer.end(array);
  } else if (type === 'object' && value !== null) {
    writer.tag(6, 2);
    const list = writer.begin();
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      writer.tag(1, 2);
      writeKeyValue(writer, key, value[key]);
    }
    writer.end(list);
  }
}

function writeKeyValue(writer, key, value) {
  const pair = writer.begin();
  writer.tag(1, 2);
  writer.string(key);
  writer.tag(2, 2);
  const at = writer.begin();
  writeAnyValue(writer, value);
  writer.end(at);
  writer.end(pair);
}

function writeAttributes(writer, attributes, field) {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    writer.tag(field, 2);
    writeKeyValue(writer, key, attributes[key]);
  }
}

function spanFlags(traceFlags, isRemote) {
  return ((traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0)) >>> 0;
}

function writeSpan(writer, span) {
  const context = span.spanContext();
  writer.tag(1, 2);
  writer.hexBytes(context.traceId);
  writer.tag(2, 2);
  writer.hexBytes(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    writer.tag(3, 2);
    writer.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    writer.tag(4, 2);
    writer.hexBytes(parent.spanId);
  }
  writer.tag(5, 2);
  writer.string(span.name);
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    writer.tag(6, 0);
    writer.varint32(kind);
  }
  writer.tag(7, 1);
  writer.hrTime(span.startTime);
  writer.tag(8, 1);
  writer.hrTime(span.endTime);
  if (span.attributes) writeAttributes(writer, span.attributes, 9);
  writer.tag(10, 0);
  writer.int64(span.droppedAttributesCount);
  for (const event of span.events) {
    writer.tag(11, 2);
    const at = writer.begin();
    writer.tag(1, 1);
    writer.hrTime(event.time);
    writer.tag(2, 2);
    writer.string(event.name);
    if (event.attributes) writeAttributes(writer, event.attributes, 3);
    writer.tag(4, 0);
    writer.int64(event.droppedAttributesCount || 0);
    writer.end(at);
  }
  writer.tag(12, 0);
  writer.int64(span.droppedEventsCount);
  for (const link of span.links) {
    writer.tag(13, 2);
    const at = writer.begin();
    const linked = link.context;
    writer.tag(1, 2);
    writer.hexBytes(linked.traceId);
    writer.tag(2, 2);
    writer.hexBytes(linked.spanId);
    const linkedState = linked.traceState?.serialize();
    if (linkedState) {
      writer.tag(3, 2);
      writer.string(linkedState);
    }
    if (link.attributes) writeAttributes(writer, link.attributes, 4);
    writer.tag(5, 0);
    writer.int64(link.droppedAttributesCount || 0);
    writer.tag(6, 5);
    writer.fixed32(spanFlags(linked.traceFlags, linked.isRemote));
    writer.end(at);
  }
  writer.tag(14, 0);
  writer.int64(span.droppedLinksCount);
  writer.tag(15, 2);
  const status = writer.begin();
  if (span.status.message) {
    writer.tag(2, 2);
    writer.string(span.status.message);
  }
  writer.tag(3, 0);
  writer.int64(span.status.code);
  writer.end(status);
  writer.tag(16, 5);
  writer.fixed32(spanFlags(context.traceFlags, parent?.isRemote));
}

function writeScope(writer, scope) {
  writer.tag(1, 2);
  const at = writer.begin();
  writer.tag(1, 2);
  writer.string(scope.name);
  if (scope.version) {
    writer.tag(2, 2);
    writer.string(scope.version);
  }
  if (scope.attributes) writeAttributes(writer, scope.attributes, 3);
  if (scope.droppedAttributesCount) {
    writer.tag(4, 0);
    writer.int64(scope.droppedAttributesCount);
  }
  writer.end(at);
}

const writer = new Writer();

/**
 * The ExportTraceServiceRequest for `spans`, grouped by resource and scope in the order they
 * first appear, as bytes of a buffer reused by the next call (copy them to keep them).
 */
export function encodeTraceRequest(spans) {
  const resources = new Map();
  for (const span of spans) {
    let scopes = resources.get(span.resource);
    if (scopes === undefined) {
      scopes = new Map();
      resources.set(span.resource, scopes);
    }
    let list = scopes.get(span.instrumentationScope);
    if (list === undefined) {
      list = [];
      scopes.set(span.instrumentationScope, list);
    }
    list.push(span);
  }
  writer.pos = 0;
  for (const [resource, scopes] of resources) {
    writer.tag(1, 2);
    const resourceSpans = writer.begin();
    writer.tag(1, 2);
    const resourceAt = writer.begin();
    if (resource.attributes) writeAttributes(writer, resource.attributes, 1);
    writer.tag(2, 0);
    writer.varint32(0);
    writer.end(resourceAt);
    for (const list of scopes.values()) {
      writer.tag(2, 2);
      const scopeSpans = writer.begin();
      const scope = list[0].instrumentationScope;
      writeScope(writer, scope);
      for (const span of list) {
        writer.tag(2, 2);
        const at = writer.begin();
        writeSpan(writer, span);
        writer.end(at);
      }
      if (scope.schemaUrl) {
        writer.tag(3, 2);
        writer.string(scope.schemaUrl);
      }
      writer.end(scopeSpans);
    }
    if (resource.schemaUrl) {
      writer.tag(3, 2);
      writer.string(resource.schemaUrl);
    }
    writer.end(resourceSpans);
  }
  return writer.buffer.subarray(0, writer.pos);
}
