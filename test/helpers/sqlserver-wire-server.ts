// A stand-in SQL Server for the tedious instrumentation test. Debian 12 packages no SQL Server,
// so this speaks the real Tabular Data Stream protocol (TDS 7.4) on loopback for what the
// tedious client needs to log in and run one query: PRELOGIN (answered with encryption not
// supported, so the client must run with `encrypt: false`), LOGIN7 (answered with ENVCHANGE
// for the packet size and the database the login named, LOGINACK and DONE), SQL batches (the
// client's `set …` statements after login, answered with DONE; a statement the test gave a result
// set for, with COLMETADATA, ROW and DONE) and the `sp_executesql` RPC that `Connection.execSql()`
// sends (its statement answered with the result set the test gave for it: COLMETADATA, ROW,
// DONEINPROC, RETURNSTATUS, DONEPROC). Any other request gets an ERROR token.
// No TLS, no authentication check, no SQL: it matches a statement's text, it does not run it.
// The protocol facts (packet header, token layouts, data type encodings) come from Microsoft's
// published specification, [MS-TDS]: Tabular Data Stream Protocol. It checks the client and the
// instrumentation against the protocol, not a real server's behaviour
// (docs/decisions/0060-contrib-instrumentations-against-real-servers.md).
import type { Socket } from 'node:net';
import { ByteWriter } from './byte-writer.js';
import { listenOnLoopback, readFrames } from './loopback-tcp-server.js';

/** [MS-TDS] 2.2.3.1.1: the packet types used here. */
const PACKET = { SQL_BATCH: 0x01, RPC: 0x03, TABULAR_RESULT: 0x04, LOGIN7: 0x10, PRELOGIN: 0x12 } as const;
const HEADER_BYTES = 8;
const END_OF_MESSAGE = 0x01;
/** [MS-TDS] 2.2.7: the tokens this stand-in writes. */
const TOKEN = {
  RETURNSTATUS: 0x79,
  COLMETADATA: 0x81,
  ERROR: 0xaa,
  LOGINACK: 0xad,
  ROW: 0xd1,
  ENVCHANGE: 0xe3,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
} as const;
const DONE_STATUS = { FINAL: 0x00, MORE: 0x01, ERROR: 0x02, COUNT: 0x10 } as const;
/** CurCmd of a DONE token: the token stream of a SELECT. */
const CURRENT_COMMAND_SELECT = 0xc1;
/** PRELOGIN option tokens ([MS-TDS] 2.2.6.5). */
const PRELOGIN_OPTION = {
  VERSION: 0x00,
  ENCRYPTION: 0x01,
  INSTOPT: 0x02,
  THREADID: 0x03,
  MARS: 0x04,
} as const;
const ENCRYPT_NOT_SUP = 0x02;
/** TDS 7.4, as LOGINACK carries it (0x74000004, most significant byte first). */
const TDS_VERSION_7_4 = Buffer.from([0x74, 0x00, 0x00, 0x04]);
/** The well-known procedure id of sp_executesql in an RPC request. */
const SP_EXECUTESQL = 10;
/** Data types of the result sets ([MS-TDS] 2.2.5.4): INTN and NVARCHAR. */
const TYPE = { INTN: 0x26, NVARCHAR: 0xe7 } as const;
/** SQL_Latin1_General_CP1_CI_AS: the collation of the NVARCHAR columns. */
const COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);
const PLP_UNKNOWN_LENGTH = 0xffff;

export interface SqlServerResultSet {
  readonly columns: readonly { readonly name: string; readonly type: 'int' | 'nvarchar' }[];
  readonly rows: readonly (readonly (number | string | null)[])[];
}

export interface SqlServerWireServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /**
   * What arrived, in order: `PRELOGIN encryption=<n>`, `LOGIN7 user=<u> database=<d>`,
   * `SQL_BATCH <text>`, `RPC sp_executesql <statement>`, and `unanswered: …` for a request
   * given an ERROR token.
   */
  requests(): readonly string[];
  close(): Promise<void>;
}

/** Writes the little-endian fields of a token stream, and its character and token notations. */
class TokenWriter extends ByteWriter {
  constructor() {
    super('little-endian');
  }
  /** B_VARCHAR: a length in characters (one byte), then UCS-2. */
  bVarchar(value: string): this {
    return this.uint8(value.length).bytes(Buffer.from(value, 'utf16le'));
  }
  /** US_VARCHAR: a length in characters (two bytes), then UCS-2. */
  usVarchar(value: string): this {
    return this.uint16(value.length).bytes(Buffer.from(value, 'utf16le'));
  }
  /** A token whose body starts with its length in two bytes (ENVCHANGE, LOGINACK, ERROR). */
  sized(token: number, writeBody: (body: TokenWriter) => void): this {
    const body = new TokenWriter();
    writeBody(body);
    const bytes = body.toBuffer();
    return this.uint8(token).uint16(bytes.length).bytes(bytes);
  }
  done(token: number, status: number, currentCommand: number, rowCount: number): this {
    return this.uint8(token).uint16(status).uint16(currentCommand).int64(BigInt(rowCount));
  }
}

function envChange(out: TokenWriter, type: number, newValue: string, oldValue: string): void {
  out.sized(TOKEN.ENVCHANGE, (body) => body.uint8(type).bVarchar(newValue).bVarchar(oldValue));
}

function resultSet(out: TokenWriter, { columns, rows }: SqlServerResultSet): void {
  out.uint8(TOKEN.COLMETADATA).uint16(columns.length);
  for (const column of columns) {
    out.int32(0).uint16(0x0001); // user type; flags: nullable
    if (column.type === 'int') out.uint8(TYPE.INTN).uint8(4);
    else out.uint8(TYPE.NVARCHAR).uint16(8000).bytes(COLLATION);
    out.bVarchar(column.name);
  }
  for (const row of rows) {
    out.uint8(TOKEN.ROW);
    columns.forEach((column, index) => {
      const value = row[index] ?? null;
      if (column.type === 'int') {
        if (value === null) out.uint8(0);
        else out.uint8(4).int32(Number(value));
      } else if (value === null) {
        out.uint16(0xffff);
      } else {
        const text = Buffer.from(String(value), 'utf16le');
        out.uint16(text.length).bytes(text);
      }
    });
  }
}

/** The text of a UCS-2 field at `offset` of `lengthInCharacters` characters. */
function ucs2(payload: Buffer, offset: number, lengthInCharacters: number): string {
  return payload.toString('utf16le', offset, offset + lengthInCharacters * 2);
}

/** The offset after ALL_HEADERS, which TDS 7.2 and later put before a batch or an RPC. */
function skipAllHeaders(payload: Buffer): number {
  return payload.readUInt32LE(0);
}

/** The statement of an `sp_executesql` RPC: its first parameter, an NVARCHAR. */
function readExecuteSqlStatement(payload: Buffer): string {
  let offset = skipAllHeaders(payload);
  const nameLength = payload.readUInt16LE(offset);
  offset += 2;
  if (nameLength !== 0xffff) {
    const name = ucs2(payload, offset, nameLength);
    throw new Error(`RPC ${name}: only sp_executesql is answered`);
  }
  const procedureId = payload.readUInt16LE(offset);
  if (procedureId !== SP_EXECUTESQL)
    throw new Error(`RPC procedure id ${procedureId}: only sp_executesql is answered`);
  offset += 2 + 2; // procedure id, option flags
  offset += 1 + payload.readUInt8(offset) * 2 + 1; // parameter name (B_VARCHAR), status flags
  const type = payload.readUInt8(offset);
  if (type !== TYPE.NVARCHAR) throw new Error(`sp_executesql statement of type 0x${type.toString(16)}`);
  const maxLength = payload.readUInt16LE(offset + 1);
  offset += 1 + 2 + COLLATION.length;
  if (maxLength !== PLP_UNKNOWN_LENGTH) {
    const length = payload.readUInt16LE(offset);
    return payload.toString('utf16le', offset + 2, offset + 2 + length);
  }
  // nvarchar(max) is sent as a partially length-prefixed value: a total length, then chunks
  // each with its own length, ended by a chunk of length 0.
  offset += 8;
  const chunks: Buffer[] = [];
  for (
    let chunkLength = payload.readUInt32LE(offset);
    chunkLength > 0;
    chunkLength = payload.readUInt32LE(offset)
  ) {
    chunks.push(payload.subarray(offset + 4, offset + 4 + chunkLength));
    offset += 4 + chunkLength;
  }
  return Buffer.concat(chunks).toString('utf16le');
}

/**
 * Starts the stand-in on a free loopback port. `results` maps a statement's exact text to the
 * result set it is answered with.
 *
 * @example
 * const sqlServer = await startSqlServerWireServer({ results: { 'SELECT 1 AS one': { columns: [{ name: 'one', type: 'int' }], rows: [[1]] } } });
 * // tedious: new Connection({ server: sqlServer.host, options: { port: sqlServer.port, encrypt: false } })
 * await sqlServer.close();
 */
export async function startSqlServerWireServer(options: {
  readonly results: Readonly<Record<string, SqlServerResultSet>>;
}): Promise<SqlServerWireServer> {
  const received: string[] = [];

  function answerPrelogin(payload: Buffer): Buffer {
    // The client's options: token, offset, length each, up to a 0xFF terminator.
    for (let at = 0; payload.readUInt8(at) !== 0xff; at += 5) {
      if (payload.readUInt8(at) === PRELOGIN_OPTION.ENCRYPTION)
        received.push(`PRELOGIN encryption=${payload.readUInt8(payload.readUInt16BE(at + 1))}`);
    }
    const options: [number, Buffer][] = [
      [PRELOGIN_OPTION.VERSION, Buffer.from([16, 0, 0x10, 0x00, 0, 0])], // 16.0.4096, sub-build 0
      [PRELOGIN_OPTION.ENCRYPTION, Buffer.from([ENCRYPT_NOT_SUP])],
      [PRELOGIN_OPTION.INSTOPT, Buffer.from([0])],
      [PRELOGIN_OPTION.THREADID, Buffer.alloc(0)],
      [PRELOGIN_OPTION.MARS, Buffer.from([0])],
    ];
    const table = Buffer.alloc(options.length * 5 + 1);
    let dataOffset = table.length;
    options.forEach(([token, data], index) => {
      table.writeUInt8(token, index * 5);
      table.writeUInt16BE(dataOffset, index * 5 + 1);
      table.writeUInt16BE(data.length, index * 5 + 3);
      dataOffset += data.length;
    });
    table.writeUInt8(0xff, table.length - 1);
    return Buffer.concat([table, ...options.map(([, data]) => data)]);
  }

  function answerLogin(payload: Buffer): Buffer {
    // LOGIN7's fixed part: offset and length (in characters) of each variable field.
    const field = (at: number) => ucs2(payload, payload.readUInt16LE(at), payload.readUInt16LE(at + 2));
    const packetSize = payload.readUInt32LE(8);
    const user = field(40);
    const database = field(68) || 'master';
    received.push(`LOGIN7 user=${user} database=${database}`);
    const out = new TokenWriter();
    envChange(out, 1, database, 'master');
    envChange(out, 4, String(packetSize), '4096');
    out.sized(TOKEN.LOGINACK, (body) =>
      body
        .uint8(1)
        .bytes(TDS_VERSION_7_4)
        .bVarchar('Lookout TDS stand-in')
        .bytes(Buffer.from([16, 0, 0x10, 0x00])),
    );
    out.done(TOKEN.DONE, DONE_STATUS.FINAL, 0, 0);
    return out.toBuffer();
  }

  function unanswered(out: TokenWriter, what: string, reason: string): void {
    received.push(`unanswered: ${what}`);
    out.sized(TOKEN.ERROR, (body) =>
      body
        .int32(50_000)
        .uint8(1)
        .uint8(16)
        .usVarchar(`${reason} (a stand-in SQL Server)`)
        .bVarchar('stand-in')
        .bVarchar('')
        .int32(1),
    );
    out.done(TOKEN.DONE, DONE_STATUS.ERROR, 0, 0);
  }

  function answerBatch(payload: Buffer): Buffer {
    const text = payload.toString('utf16le', skipAllHeaders(payload));
    received.push(`SQL_BATCH ${text}`);
    const out = new TokenWriter();
    const result = options.results[text];
    if (result !== undefined) {
      resultSet(out, result);
      out.done(TOKEN.DONE, DONE_STATUS.COUNT, CURRENT_COMMAND_SELECT, result.rows.length);
    } else if (text.split('\n').every((line) => line.startsWith('set '))) {
      // The session options tedious sets after login: nothing to answer but their end.
      out.done(TOKEN.DONE, DONE_STATUS.FINAL, 0, 0);
    } else {
      unanswered(out, text, 'no result set for this statement');
    }
    return out.toBuffer();
  }

  function answerRpc(payload: Buffer): Buffer {
    const out = new TokenWriter();
    let statement: string;
    try {
      statement = readExecuteSqlStatement(payload);
    } catch (error) {
      unanswered(out, `RPC ${(error as Error).message}`, (error as Error).message);
      return out.toBuffer();
    }
    received.push(`RPC sp_executesql ${statement}`);
    const result = options.results[statement];
    if (result === undefined) {
      unanswered(out, statement, 'no result set for this statement');
      return out.toBuffer();
    }
    resultSet(out, result);
    out.done(
      TOKEN.DONEINPROC,
      DONE_STATUS.MORE | DONE_STATUS.COUNT,
      CURRENT_COMMAND_SELECT,
      result.rows.length,
    );
    out.uint8(TOKEN.RETURNSTATUS).int32(0);
    out.done(TOKEN.DONEPROC, DONE_STATUS.FINAL, 0, 0);
    return out.toBuffer();
  }

  /** Sends `payload` as one message: packets of at most `packetSize` bytes, the last one marked. */
  function send(socket: Socket, payload: Buffer, packetSize: number): void {
    const room = packetSize - HEADER_BYTES;
    let at = 0;
    let packetId = 1;
    do {
      const chunk = payload.subarray(at, at + room);
      at += room;
      const header = Buffer.alloc(HEADER_BYTES);
      header.writeUInt8(PACKET.TABULAR_RESULT, 0);
      header.writeUInt8(at >= payload.length ? END_OF_MESSAGE : 0, 1);
      header.writeUInt16BE(HEADER_BYTES + chunk.length, 2);
      header.writeUInt8(packetId++ % 256, 6);
      socket.write(Buffer.concat([header, chunk]));
    } while (at < payload.length);
  }

  const server = await listenOnLoopback((socket) => {
    let packetSize = 4096;
    let message: Buffer[] = [];
    readFrames(
      socket,
      (bytes) => (bytes.length < HEADER_BYTES ? undefined : bytes.readUInt16BE(2)),
      (packet) => {
        // A message may span packets: answer it once its last packet is in.
        message.push(packet.subarray(HEADER_BYTES));
        if ((packet.readUInt8(1) & END_OF_MESSAGE) === 0) return;
        const type = packet.readUInt8(0);
        const payload = Buffer.concat(message);
        message = [];
        if (type === PACKET.PRELOGIN) send(socket, answerPrelogin(payload), packetSize);
        else if (type === PACKET.LOGIN7) {
          send(socket, answerLogin(payload), packetSize);
          packetSize = payload.readUInt32LE(8);
        } else if (type === PACKET.SQL_BATCH) send(socket, answerBatch(payload), packetSize);
        else if (type === PACKET.RPC) send(socket, answerRpc(payload), packetSize);
        else throw new Error(`packet type 0x${type.toString(16)}`);
      },
      (error) => received.push(`unanswered: unreadable ${String(error)}`),
    );
  });
  return { host: '127.0.0.1', port: server.port, requests: () => [...received], close: () => server.close() };
}
