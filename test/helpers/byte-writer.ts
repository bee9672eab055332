// The fixed-width fields of a binary protocol message, for the protocol stand-ins in this folder
// (Kafka and CQL are big-endian, TDS little-endian); each adds its own notations (strings,
// arrays, tokens) in a subclass.

/** Collects a message's fields in order, in one byte order, and joins them once at the end. */
export class ByteWriter {
  readonly #parts: Buffer[] = [];
  readonly #littleEndian: boolean;

  constructor(byteOrder: 'big-endian' | 'little-endian') {
    this.#littleEndian = byteOrder === 'little-endian';
  }
  uint8(value: number): this {
    return this.bytes(Buffer.from([value]));
  }
  int16(value: number): this {
    return this.#fixed(2, (part) =>
      this.#littleEndian ? part.writeInt16LE(value) : part.writeInt16BE(value),
    );
  }
  uint16(value: number): this {
    return this.#fixed(2, (part) =>
      this.#littleEndian ? part.writeUInt16LE(value) : part.writeUInt16BE(value),
    );
  }
  int32(value: number): this {
    return this.#fixed(4, (part) =>
      this.#littleEndian ? part.writeInt32LE(value) : part.writeInt32BE(value),
    );
  }
  int64(value: bigint): this {
    return this.#fixed(8, (part) =>
      this.#littleEndian ? part.writeBigInt64LE(value) : part.writeBigInt64BE(value),
    );
  }
  bytes(part: Buffer): this {
    this.#parts.push(part);
    return this;
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.#parts);
  }
  #fixed(size: number, write: (part: Buffer) => void): this {
    const part = Buffer.alloc(size);
    write(part);
    return this.bytes(part);
  }
}
