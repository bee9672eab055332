// A small protobuf wire-format reader for decoding OTLP payloads that arrive from outside
// (the local viewer and the test peers receive them over HTTP). It trusts nothing: every read is
// bounds-checked against the enclosing message, nesting is capped, and the number of decoded
// messages is budgeted, so hostile bytes end in one OtlpDecodeError instead of a hang, an
// out-of-bounds read or an allocation that grows without bound.
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_MESSAGES,
  type DecodeLimits,
  OtlpDecodeError,
} from './otlp-decode-error.js';

/** Protobuf wire types (proto3 uses no groups, so 3 and 4 are rejected). */
export const WIRE_TYPES = {
  VARINT: 0,
  FIXED64: 1,
  LENGTH_DELIMITED: 2,
  FIXED32: 5,
} as const;

export type WireType = (typeof WIRE_TYPES)[keyof typeof WIRE_TYPES];

/** A field tag: the field number and how its value is encoded. */
export interface ProtobufTag {
  readonly field: number;
  readonly wireType: WireType;
}

interface Budget {
  readonly maxDepth: number;
  readonly maxMessages: number;
  remaining: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const TWO_POW_32 = 0x1_0000_0000;

/**
 * Reads protobuf fields from one message. Sub-messages get their own reader bounded to their
 * bytes, sharing the depth and message budget of the payload.
 *
 * @example
 * const reader = ProtobufReader.create(bytes);
 * while (!reader.done) {
 *   const { field, wireType } = reader.readTag();
 *   if (field === 1 && wireType === WIRE_TYPES.LENGTH_DELIMITED) name = reader.readString();
 *   else reader.skip(wireType);
 * }
 */
export class ProtobufReader {
  readonly #bytes: Uint8Array;
  readonly #end: number;
  readonly #depth: number;
  readonly #budget: Budget;
  #pos: number;

  private constructor(bytes: Uint8Array, start: number, end: number, depth: number, budget: Budget) {
    this.#bytes = bytes;
    this.#pos = start;
    this.#end = end;
    this.#depth = depth;
    this.#budget = budget;
  }

  /** A reader over a whole payload (the top-level message). */
  static create(bytes: Uint8Array, limits: DecodeLimits = {}): ProtobufReader {
    if (!(bytes instanceof Uint8Array)) throw new OtlpDecodeError('payload must be a Uint8Array');
    const maxMessages = limits.maxMessages ?? DEFAULT_MAX_MESSAGES;
    const budget: Budget = {
      maxDepth: limits.maxDepth ?? DEFAULT_MAX_DEPTH,
      maxMessages,
      remaining: maxMessages,
    };
    return new ProtobufReader(bytes, 0, bytes.length, 0, budget);
  }

  /** True when every byte of this message has been read. */
  get done(): boolean {
    return this.#pos >= this.#end;
  }

  /** Current offset in the payload (for error messages). */
  get offset(): number {
    return this.#pos;
  }

  #fail(message: string, offset = this.#pos): never {
    throw new OtlpDecodeError(message, { offset });
  }

  #need(count: number, what: string): void {
    if (count > this.#end - this.#pos) {
      this.#fail(`truncated ${what}: needs ${count} bytes, ${this.#end - this.#pos} left`);
    }
  }

  /**
   * Reads a varint as two unsigned 32-bit halves (no BigInt on the hot path: tags, lengths and
   * enums are all small). Rejects varints longer than 10 bytes and 10th bytes above 1.
   */
  #readVarintParts(): [low: number, high: number] {
    const start = this.#pos;
    let low = 0;
    let high = 0;
    for (let index = 0; index < 10; index++) {
      if (this.#pos >= this.#end) this.#fail('truncated varint', start);
      const byte = this.#bytes[this.#pos++] as number;
      const bits = byte & 0x7f;
      if (index < 4) {
        low |= bits << (7 * index);
      } else if (index === 4) {
        low |= bits << 28;
        high |= bits >>> 4;
      } else if (index < 9) {
        high |= bits << (7 * index - 32);
      } else {
        if ((byte & 0x80) !== 0) this.#fail('varint too long (more than 10 bytes)', start);
        if (bits > 1) this.#fail('varint overflows 64 bits', start);
        high |= bits << 31;
      }
      if ((byte & 0x80) === 0) return [low >>> 0, high >>> 0];
    }
    return this.#fail('varint too long (more than 10 bytes)', start);
  }

  /** Reads a field tag; rejects field number 0 and the group / unknown wire types. */
  readTag(): ProtobufTag {
    const key = this.readFieldKey();
    return { field: key >>> 3, wireType: (key & 7) as WireType };
  }

  /**
   * Reads a field tag as the number on the wire, `field << 3 | wireType`, checked as `readTag`
   * checks it. A decoder that dispatches on the field number allocates nothing per field this way.
   */
  readFieldKey(): number {
    const start = this.#pos;
    const [low, high] = this.#readVarintParts();
    if (high !== 0) this.#fail('field tag out of range', start);
    const field = low >>> 3;
    const wireType = low & 7;
    if (field === 0) this.#fail('invalid field number 0', start);
    if (wireType !== 0 && wireType !== 1 && wireType !== 2 && wireType !== 5) {
      this.#fail(`unsupported wire type ${wireType} for field ${field}`, start);
    }
    return low;
  }

  /** uint64 as a bigint. */
  readUint64(): bigint {
    const [low, high] = this.#readVarintParts();
    return (BigInt(high) << 32n) | BigInt(low);
  }

  /** int64 (two's complement varint) as a bigint. */
  readInt64(): bigint {
    return BigInt.asIntN(64, this.readUint64());
  }

  /** uint32 (a varint truncated to its low 32 bits, as protobuf does). */
  readUint32(): number {
    return this.#readVarintParts()[0];
  }

  /** int32 and enums: the low 32 bits as a signed number. */
  readInt32(): number {
    return this.#readVarintParts()[0] | 0;
  }

  /** sint32 (zigzag). */
  readSint32(): number {
    const value = this.#readVarintParts()[0];
    return (value >>> 1) ^ -(value & 1);
  }

  readBool(): boolean {
    const [low, high] = this.#readVarintParts();
    return low !== 0 || high !== 0;
  }

  readFixed32(): number {
    this.#need(4, 'fixed32');
    const bytes = this.#bytes;
    const at = this.#pos;
    this.#pos += 4;
    return (
      ((bytes[at] as number) |
        ((bytes[at + 1] as number) << 8) |
        ((bytes[at + 2] as number) << 16) |
        ((bytes[at + 3] as number) << 24)) >>>
      0
    );
  }

  /** fixed64 as a bigint. */
  readFixed64(): bigint {
    const low = this.readFixed32();
    const high = this.readFixed32();
    return (BigInt(high) << 32n) | BigInt(low);
  }

  /** fixed64 as a number; exact below 2^53 (counts), approximate above. */
  readFixed64AsNumber(): number {
    const low = this.readFixed32();
    const high = this.readFixed32();
    return high * TWO_POW_32 + low;
  }

  /** sfixed64 as a bigint. */
  readSfixed64(): bigint {
    return BigInt.asIntN(64, this.readFixed64());
  }

  readDouble(): number {
    this.#need(8, 'double');
    const view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset + this.#pos, 8);
    this.#pos += 8;
    return view.getFloat64(0, true);
  }

  #readLength(): number {
    const start = this.#pos;
    const [low, high] = this.#readVarintParts();
    if (high !== 0 || low > this.#end - this.#pos) {
      this.#fail(
        `length ${high === 0 ? low : 'over 4 GiB'} runs past the end of the message (${this.#end - this.#pos} bytes left)`,
        start,
      );
    }
    return low;
  }

  /** Length-delimited bytes, as a view into the payload (no copy). */
  readBytes(): Uint8Array {
    const length = this.#readLength();
    const at = this.#pos;
    this.#pos += length;
    return this.#bytes.subarray(at, at + length);
  }

  /** A length-delimited UTF-8 string; invalid UTF-8 is a decode error. */
  readString(): string {
    const start = this.#pos;
    const bytes = this.readBytes();
    try {
      return utf8.decode(bytes);
    } catch (error) {
      return this.#fail(`invalid UTF-8 in string field: ${(error as Error).message}`, start);
    }
  }

  /** A reader over an embedded message; counts against the depth and message budget. */
  readMessage(): ProtobufReader {
    const start = this.#pos;
    const length = this.#readLength();
    const depth = this.#depth + 1;
    if (depth > this.#budget.maxDepth) {
      this.#fail(`messages nested deeper than ${this.#budget.maxDepth} levels`, start);
    }
    this.#budget.remaining -= 1;
    if (this.#budget.remaining < 0)
      this.#fail(`payload holds more messages than the decoder accepts (${this.#budget.maxMessages})`, start);
    const child = new ProtobufReader(this.#bytes, this.#pos, this.#pos + length, depth, this.#budget);
    this.#pos += length;
    return child;
  }

  /**
   * Reads a repeated scalar field, packed (one length-delimited run) or not (one element per
   * tag); protobuf parsers must accept both.
   */
  readRepeated<T>(
    wireType: WireType,
    elementWireType: WireType,
    readOne: (reader: this) => T,
    into: T[],
  ): void {
    if (wireType === WIRE_TYPES.LENGTH_DELIMITED && elementWireType !== WIRE_TYPES.LENGTH_DELIMITED) {
      const length = this.#readLength();
      const end = this.#pos + length;
      const saved = this.#pos;
      // Read within the packed run only: a bounded view that cannot run into the next field.
      const packed = new ProtobufReader(this.#bytes, saved, end, this.#depth, this.#budget) as this;
      while (!packed.done) into.push(readOne(packed));
      this.#pos = end;
      return;
    }
    if (wireType !== elementWireType) {
      this.#fail(`wire type ${wireType} does not match the field's type (${elementWireType})`);
    }
    into.push(readOne(this));
  }

  /** Skips a field's value. */
  skip(wireType: WireType): void {
    switch (wireType) {
      case WIRE_TYPES.VARINT:
        this.#readVarintParts();
        return;
      case WIRE_TYPES.FIXED64:
        this.#need(8, 'fixed64');
        this.#pos += 8;
        return;
      case WIRE_TYPES.LENGTH_DELIMITED: {
        // Read the length first: `this.#pos += this.#readLength()` would add it to the old position.
        const length = this.#readLength();
        this.#pos += length;
        return;
      }
      case WIRE_TYPES.FIXED32:
        this.#need(4, 'fixed32');
        this.#pos += 4;
        return;
      default:
        this.#fail(`unsupported wire type ${String(wireType)}`);
    }
  }

  /**
   * Checks a known field's wire type; on a mismatch the payload is malformed (a sender and a
   * receiver that disagree on a field's type would silently misread it otherwise).
   */
  expect(tag: ProtobufTag, wireType: WireType): void {
    this.expectWireType(tag.field, tag.wireType, wireType);
  }

  /** `expect` for a field read with `readFieldKey`. */
  expectWireType(field: number, actual: WireType, expected: WireType): void {
    if (actual !== expected) this.#fail(`field ${field} has wire type ${actual}, expected ${expected}`);
  }
}
