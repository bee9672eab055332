// A stand-in Kafka broker for the kafkajs instrumentation test. Debian 12 packages no Kafka
// broker, so this speaks the real Kafka protocol on loopback for the producer path only:
// ApiVersions (v0–v2), Metadata v0 (one broker, itself; one partition per topic, which it
// leads) and Produce v3, whose record batches (magic 2, uncompressed) it decodes, checking
// their CRC-32C, and keeps. Nothing else: no consumer groups, no fetch, no replication, no
// storage. It checks the client and the instrumentation against the protocol, not a real
// broker's behaviour (docs/decisions/0060-contrib-instrumentations-against-real-servers.md).
import type { Socket } from 'node:net';
import { ByteWriter } from './byte-writer.js';
import { listenOnLoopback, readFrames } from './loopback-tcp-server.js';

const API = { PRODUCE: 0, METADATA: 3, API_VERSIONS: 18 } as const;
/** The versions advertised: the lowest Metadata, and the first Produce with record batches. */
const SUPPORTED: Readonly<Record<number, readonly [min: number, max: number]>> = {
  [API.PRODUCE]: [3, 3],
  [API.METADATA]: [0, 0],
  [API.API_VERSIONS]: [0, 2],
};
const NODE_ID = 0;
const ERROR = { NONE: 0, CORRUPT_MESSAGE: 2, UNSUPPORTED_VERSION: 35 } as const;

export interface ProducedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface KafkaWireServer {
  /** `127.0.0.1:<port>`, as kafkajs names a broker. */
  readonly broker: string;
  readonly port: number;
  /** The requests received, as `<api name> v<version>`, in order. */
  requests(): readonly string[];
  /** The records produced so far, in order. */
  records(): readonly ProducedRecord[];
  close(): Promise<void>;
}

// CRC-32C (Castagnoli), the checksum of a record batch.
const CRC32C_TABLE = Uint32Array.from({ length: 256 }, (_, index) => {
  let crc = index;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  return crc >>> 0;
});
function crc32c(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Reads the big-endian and zigzag-varint fields of a Kafka message. */
class Reader {
  offset = 0;
  constructor(readonly bytes: Buffer) {}
  int8(): number {
    return this.bytes.readInt8(this.#advance(1));
  }
  int16(): number {
    return this.bytes.readInt16BE(this.#advance(2));
  }
  int32(): number {
    return this.bytes.readInt32BE(this.#advance(4));
  }
  uint32(): number {
    return this.bytes.readUInt32BE(this.#advance(4));
  }
  int64(): bigint {
    return this.bytes.readBigInt64BE(this.#advance(8));
  }
  /** A string with an int16 length; null for -1. */
  string(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.bytes.toString('utf8', this.#advance(length), this.offset);
  }
  /** Bytes with an int32 length; null for -1. */
  bytesField(): Buffer | null {
    const length = this.int32();
    return length < 0 ? null : this.bytes.subarray(this.#advance(length), this.offset);
  }
  array<T>(readItem: () => T): T[] {
    const count = this.int32();
    return Array.from({ length: Math.max(count, 0) }, readItem);
  }
  /** A zigzag-encoded varint (lengths and deltas in a record; small, so a number is exact). */
  varint(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = this.bytes.readUInt8(this.#advance(1));
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
    }
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }
  /** Bytes with a varint length; null for -1. */
  varbytes(): Buffer | null {
    const length = this.varint();
    return length < 0 ? null : this.bytes.subarray(this.#advance(length), this.offset);
  }
  #advance(count: number): number {
    const at = this.offset;
    if (at + count > this.bytes.length) throw new RangeError(`read past the end at ${at}`);
    this.offset += count;
    return at;
  }
}

/** Writes the big-endian fields of a Kafka response. */
class Writer extends ByteWriter {
  constructor() {
    super('big-endian');
  }
  string(value: string): this {
    const text = Buffer.from(value, 'utf8');
    return this.int16(text.length).bytes(text);
  }
  array<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }
}

/** The records of one record batch (magic 2); throws on anything this stand-in does not read. */
function readRecordBatch(batch: Buffer): Omit<ProducedRecord, 'topic' | 'partition' | 'offset'>[] {
  const reader = new Reader(batch);
  reader.int64(); // base offset, assigned by the broker
  const length = reader.int32();
  reader.int32(); // partition leader epoch
  const magic = reader.int8();
  if (magic !== 2) throw new Error(`record batch magic ${magic}, not 2`);
  const crc = reader.uint32();
  const checked = batch.subarray(reader.offset, 12 + length);
  if (crc32c(checked) !== crc) throw new Error('record batch CRC-32C does not match');
  const attributes = reader.int16();
  if ((attributes & 0x07) !== 0) throw new Error(`compressed record batch (codec ${attributes & 0x07})`);
  reader.int32(); // last offset delta
  reader.int64(); // first timestamp
  reader.int64(); // max timestamp
  reader.int64(); // producer id
  reader.int16(); // producer epoch
  reader.int32(); // base sequence
  return reader.array(() => {
    reader.varint(); // record length
    reader.int8(); // attributes
    reader.varint(); // timestamp delta
    reader.varint(); // offset delta
    const key = reader.varbytes();
    const value = reader.varbytes();
    const headers: Record<string, string> = {};
    const headerCount = reader.varint();
    for (let index = 0; index < headerCount; index++) {
      const name = reader.varbytes()?.toString('utf8') ?? '';
      headers[name] = reader.varbytes()?.toString('utf8') ?? '';
    }
    return { key: key?.toString('utf8') ?? null, value: value?.toString('utf8') ?? null, headers };
  });
}

/**
 * Starts the stand-in on a free loopback port.
 *
 * @example
 * const kafka = await startKafkaWireServer();
 * // KAFKA_BROKER = kafka.broker
 * await kafka.close();
 */
export async function startKafkaWireServer(): Promise<KafkaWireServer> {
  const received: string[] = [];
  const produced: ProducedRecord[] = [];
  let port = 0;

  /** The response body to one request; undefined when none is due (acks 0). */
  function answer(apiKey: number, version: number, body: Reader): Buffer | undefined {
    const writer = new Writer();
    switch (apiKey) {
      case API.API_VERSIONS: {
        // Its own version in range or not, ApiVersions is answered (v0 layout when it is not),
        // so a client can pick a version it shares.
        const known = version <= 2;
        writer.int16(known ? ERROR.NONE : ERROR.UNSUPPORTED_VERSION);
        writer.array(Object.entries(SUPPORTED), (out, [key, [min, max]]) => {
          out.int16(Number(key)).int16(min).int16(max);
        });
        if (known && version >= 1) writer.int32(0); // throttle time
        return writer.toBuffer();
      }
      case API.METADATA: {
        const topics = body.array(() => body.string() ?? '');
        writer.array([NODE_ID], (out, nodeId) => {
          out.int32(nodeId).string('127.0.0.1').int32(port);
        });
        writer.array(topics, (out, topic) => {
          out.int16(ERROR.NONE).string(topic);
          out.array([0], (partitionOut, partition) => {
            partitionOut.int16(ERROR.NONE).int32(partition).int32(NODE_ID);
            partitionOut.array([NODE_ID], (ids, id) => ids.int32(id)); // replicas
            partitionOut.array([NODE_ID], (ids, id) => ids.int32(id)); // in-sync replicas
          });
        });
        return writer.toBuffer();
      }
      case API.PRODUCE: {
        body.string(); // transactional id
        const acks = body.int16();
        body.int32(); // timeout
        const topics = body.array(() => {
          const topic = body.string() ?? '';
          const partitions = body.array(() => {
            const partition = body.int32();
            const batch = body.bytesField();
            const baseOffset = produced.length;
            let error: number = ERROR.NONE;
            try {
              for (const record of batch === null ? [] : readRecordBatch(batch))
                produced.push({ topic, partition, offset: produced.length, ...record });
            } catch (readError) {
              received.push(`unreadable record batch: ${String(readError)}`);
              error = ERROR.CORRUPT_MESSAGE;
            }
            return { partition, error, baseOffset };
          });
          return { topic, partitions };
        });
        if (acks === 0) return undefined;
        writer.array(topics, (out, { topic, partitions }) => {
          out.string(topic);
          out.array(partitions, (partitionOut, { partition, error, baseOffset }) => {
            partitionOut.int32(partition).int16(error).int64(BigInt(baseOffset)).int64(-1n);
          });
        });
        writer.int32(0); // throttle time
        return writer.toBuffer();
      }
      default:
        throw new Error(`API key ${apiKey} is not answered by this stand-in`);
    }
  }

  function onRequest(socket: Socket, message: Buffer): void {
    const reader = new Reader(message);
    const apiKey = reader.int16();
    const version = reader.int16();
    const correlationId = reader.int32();
    reader.string(); // client id
    const name = Object.entries(API).find(([, key]) => key === apiKey)?.[0] ?? `API ${apiKey}`;
    received.push(`${name} v${version}`);
    const [min, max] = SUPPORTED[apiKey] ?? [0, -1];
    if (apiKey !== API.API_VERSIONS && (version < min || version > max)) {
      // A broker closes the connection on a request it cannot read.
      received.push(`unsupported: ${name} v${version}`);
      socket.destroy();
      return;
    }
    const body = answer(apiKey, version, reader);
    if (body === undefined) return;
    const header = Buffer.alloc(8);
    header.writeInt32BE(4 + body.length, 0);
    header.writeInt32BE(correlationId, 4);
    socket.write(Buffer.concat([header, body]));
  }

  const server = await listenOnLoopback((socket) => {
    readFrames(
      socket,
      (bytes) => (bytes.length < 4 ? undefined : 4 + bytes.readInt32BE(0)),
      (frame) => onRequest(socket, frame.subarray(4)),
      (error) => received.push(`unreadable: ${String(error)}`),
    );
  });
  port = server.port;
  return {
    broker: `127.0.0.1:${port}`,
    port,
    requests: () => [...received],
    records: () => [...produced],
    close: () => server.close(),
  };
}
