// A stand-in Cassandra node for the cassandra-driver instrumentation test. Debian 12 packages no
// Cassandra, so this speaks the real CQL native protocol, version 4, on loopback for what the
// DataStax Node.js driver needs to connect and run one query: a frame of another version gets
// the protocol error a Cassandra 3.11 node answers (so the driver settles on v4), OPTIONS gets
// SUPPORTED, STARTUP and REGISTER get READY, and QUERY is answered for the control connection's
// `system.local` (one node: itself, data centre `datacenter1`) and `system.peers` (no rows), for
// `USE <keyspace>` (SET_KEYSPACE), and for each statement the test gives a result set (ROWS).
// Anything else gets an ERROR frame. No authentication, no schema tables (the driver must run
// with `isMetadataSyncEnabled: false`), no PREPARE/EXECUTE, no storage: it matches a statement's
// text, it does not run it. The protocol facts (frame header, opcodes, notations, result and
// type encodings) come from the Apache Cassandra project's published specification,
// native_protocol_v4.spec. It checks the driver and the instrumentation against the protocol,
// not a real node's behaviour (docs/decisions/0060-contrib-instrumentations-against-real-servers.md).
import type { Socket } from 'node:net';
import { ByteWriter } from './byte-writer.js';
import { listenOnLoopback, readFrames } from './loopback-tcp-server.js';

const PROTOCOL_VERSION = 4;
const RESPONSE = 0x80;
const HEADER_BYTES = 9;
const OPCODE = {
  ERROR: 0x00,
  STARTUP: 0x01,
  READY: 0x02,
  OPTIONS: 0x05,
  SUPPORTED: 0x06,
  QUERY: 0x07,
  RESULT: 0x08,
  REGISTER: 0x0b,
} as const;
const RESULT_KIND = { ROWS: 0x0002, SET_KEYSPACE: 0x0003 } as const;
const ERROR_CODE = { PROTOCOL: 0x000a, INVALID: 0x2200 } as const;
/** The [option] ids of the column types used here. */
const TYPE = { INT: 0x0009, UUID: 0x000c, VARCHAR: 0x000d, INET: 0x0010, SET: 0x0022 } as const;
const ROWS_GLOBAL_TABLES_SPEC = 0x0001;
export const CASSANDRA_DATA_CENTER = 'datacenter1';

type CqlType = 'int' | 'varchar' | 'uuid' | 'inet' | 'set<varchar>';
type CqlValue = number | string | readonly string[] | null;

export interface CassandraResultSet {
  readonly keyspace: string;
  readonly table: string;
  readonly columns: readonly { readonly name: string; readonly type: CqlType }[];
  readonly rows: readonly (readonly CqlValue[])[];
}

export interface CassandraWireServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /**
   * What arrived, in order: `<OPCODE> v<version>`, with the statement for a QUERY
   * (`QUERY v4 SELECT …`), and `unanswered: …` for a request given an ERROR frame.
   */
  requests(): readonly string[];
  close(): Promise<void>;
}

/** Writes the big-endian notations of a CQL frame body ([int], [short], [string], …). */
class BodyWriter extends ByteWriter {
  constructor() {
    super('big-endian');
  }
  string(value: string): this {
    const text = Buffer.from(value, 'utf8');
    return this.uint16(text.length).bytes(text);
  }
  /** [bytes]: an [int] length, -1 for null. */
  nullableBytes(value: Buffer | null): this {
    return value === null ? this.int32(-1) : this.int32(value.length).bytes(value);
  }
  stringMultimap(entries: Readonly<Record<string, readonly string[]>>): this {
    this.uint16(Object.keys(entries).length);
    for (const [key, values] of Object.entries(entries)) {
      this.string(key).uint16(values.length);
      for (const value of values) this.string(value);
    }
    return this;
  }
}

function typeOption(out: BodyWriter, type: CqlType): void {
  if (type === 'set<varchar>') out.uint16(TYPE.SET).uint16(TYPE.VARCHAR);
  else out.uint16({ int: TYPE.INT, varchar: TYPE.VARCHAR, uuid: TYPE.UUID, inet: TYPE.INET }[type]);
}

function cellBytes(type: CqlType, value: CqlValue): Buffer | null {
  if (value === null) return null;
  switch (type) {
    case 'int': {
      const cell = Buffer.alloc(4);
      cell.writeInt32BE(Number(value));
      return cell;
    }
    case 'uuid':
      return Buffer.from(String(value).replaceAll('-', ''), 'hex');
    case 'inet':
      return Buffer.from(String(value).split('.').map(Number));
    case 'set<varchar>': {
      // A collection: an [int] count, then each element as [bytes].
      const out = new BodyWriter().int32((value as readonly string[]).length);
      for (const element of value as readonly string[]) out.nullableBytes(Buffer.from(element, 'utf8'));
      return out.toBuffer();
    }
    default:
      return Buffer.from(String(value), 'utf8');
  }
}

function rowsResult({ keyspace, table, columns, rows }: CassandraResultSet): Buffer {
  const out = new BodyWriter().int32(RESULT_KIND.ROWS);
  out.int32(ROWS_GLOBAL_TABLES_SPEC).int32(columns.length).string(keyspace).string(table);
  for (const column of columns) {
    out.string(column.name);
    typeOption(out, column.type);
  }
  out.int32(rows.length);
  for (const row of rows) {
    columns.forEach((column, index) => {
      out.nullableBytes(cellBytes(column.type, row[index] ?? null));
    });
  }
  return out.toBuffer();
}

/** The tables the driver's control connection reads at connect time, for a one-node cluster. */
function systemTables(port: number): Readonly<Record<string, CassandraResultSet>> {
  return {
    "SELECT * FROM system.local WHERE key='local'": {
      keyspace: 'system',
      table: 'local',
      columns: [
        { name: 'key', type: 'varchar' },
        { name: 'cluster_name', type: 'varchar' },
        { name: 'data_center', type: 'varchar' },
        { name: 'rack', type: 'varchar' },
        { name: 'release_version', type: 'varchar' },
        { name: 'partitioner', type: 'varchar' },
        { name: 'host_id', type: 'uuid' },
        { name: 'rpc_address', type: 'inet' },
        { name: 'tokens', type: 'set<varchar>' },
      ],
      rows: [
        [
          'local',
          `stand-in on port ${port}`,
          CASSANDRA_DATA_CENTER,
          'rack1',
          '3.11.16',
          'org.apache.cassandra.dht.Murmur3Partitioner',
          '6f1c3a52-0d6e-4b0e-9c59-8f3d1f0a2b7c',
          '127.0.0.1',
          ['0'],
        ],
      ],
    },
    'SELECT * FROM system.peers': {
      keyspace: 'system',
      table: 'peers',
      columns: [
        { name: 'peer', type: 'inet' },
        { name: 'data_center', type: 'varchar' },
        { name: 'rack', type: 'varchar' },
        { name: 'release_version', type: 'varchar' },
        { name: 'host_id', type: 'uuid' },
        { name: 'rpc_address', type: 'inet' },
        { name: 'tokens', type: 'set<varchar>' },
      ],
      rows: [],
    },
  };
}

/**
 * Starts the stand-in on a free loopback port. `results` maps a statement's exact text to the
 * result set it is answered with.
 *
 * @example
 * const cassandra = await startCassandraWireServer({ results: {} });
 * // new cassandra.Client({ contactPoints: [`${cassandra.host}:${cassandra.port}`], localDataCenter: CASSANDRA_DATA_CENTER, isMetadataSyncEnabled: false })
 * await cassandra.close();
 */
export async function startCassandraWireServer(options: {
  readonly results: Readonly<Record<string, CassandraResultSet>>;
}): Promise<CassandraWireServer> {
  const received: string[] = [];
  let results: Readonly<Record<string, CassandraResultSet>> = {};

  function error(code: number, message: string): [number, Buffer] {
    return [
      OPCODE.ERROR,
      new BodyWriter().int32(code).string(`${message} (a stand-in Cassandra node)`).toBuffer(),
    ];
  }

  /** The response opcode and body to one request of protocol version 4. */
  function answer(opcode: number, body: Buffer, name: string): [number, Buffer] {
    switch (opcode) {
      case OPCODE.OPTIONS:
        return [
          OPCODE.SUPPORTED,
          new BodyWriter().stringMultimap({ CQL_VERSION: ['3.4.4'], COMPRESSION: [] }).toBuffer(),
        ];
      case OPCODE.STARTUP:
      case OPCODE.REGISTER:
        return [OPCODE.READY, Buffer.alloc(0)];
      case OPCODE.QUERY: {
        // [long string] query, then the query parameters (consistency, flags, values…), unread.
        const query = body.toString('utf8', 4, 4 + body.readInt32BE(0));
        received[received.length - 1] = `${name} ${query}`;
        const use = /^USE "?(\w+)"?$/i.exec(query);
        if (use !== null)
          return [
            OPCODE.RESULT,
            new BodyWriter()
              .int32(RESULT_KIND.SET_KEYSPACE)
              .string(use[1] ?? '')
              .toBuffer(),
          ];
        const result = results[query];
        if (result !== undefined) return [OPCODE.RESULT, rowsResult(result)];
        received.push(`unanswered: ${query}`);
        return error(ERROR_CODE.INVALID, 'no result set for this statement');
      }
      default:
        received.push(`unanswered: ${name}`);
        return error(ERROR_CODE.PROTOCOL, `opcode 0x${opcode.toString(16)} is not answered`);
    }
  }

  function onFrame(socket: Socket, frame: Buffer): void {
    const version = frame.readUInt8(0) & 0x7f;
    const stream = frame.readInt16BE(2);
    const opcode = frame.readUInt8(4);
    const body = frame.subarray(HEADER_BYTES);
    const name = `${Object.entries(OPCODE).find(([, code]) => code === opcode)?.[0] ?? `opcode 0x${opcode.toString(16)}`} v${version}`;
    received.push(name);
    // A Cassandra 3.11 node answers a version it does not speak with a protocol error in the
    // newest version it does, which is how a driver learns what to fall back to.
    const [responseOpcode, responseBody] =
      version === PROTOCOL_VERSION
        ? answer(opcode, body, name)
        : error(
            ERROR_CODE.PROTOCOL,
            `Invalid or unsupported protocol version (${version}); supported versions are (4/v4)`,
          );
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt8(RESPONSE | PROTOCOL_VERSION, 0);
    header.writeInt16BE(stream, 2);
    header.writeUInt8(responseOpcode, 4);
    header.writeInt32BE(responseBody.length, 5);
    socket.write(Buffer.concat([header, responseBody]));
  }

  const server = await listenOnLoopback((socket) => {
    readFrames(
      socket,
      (bytes) => (bytes.length < HEADER_BYTES ? undefined : HEADER_BYTES + bytes.readInt32BE(5)),
      (frame) => onFrame(socket, frame),
      (error) => received.push(`unanswered: unreadable ${String(error)}`),
    );
  });
  results = { ...systemTables(server.port), ...options.results };
  return { host: '127.0.0.1', port: server.port, requests: () => [...received], close: () => server.close() };
}
