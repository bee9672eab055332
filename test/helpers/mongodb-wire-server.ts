// A stand-in MongoDB server for the mongodb instrumentation test. Debian 12 packages no MongoDB
// server, so this speaks the real wire protocol on loopback (the driver's first handshake as
// OP_QUERY, everything after as OP_MSG, documents in BSON through the driver's own `bson`) and
// answers only what the Node.js driver needs: the handshake and monitoring `hello`/`isMaster`,
// `ping`, `endSessions`, `insert` and `find` on in-memory collections. It checks the driver and
// the instrumentation against the protocol, not a real server's behaviour
// (docs/decisions/0060-contrib-instrumentations-against-real-servers.md).
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { BSON, type Document } from 'mongodb';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const HEADER_BYTES = 16;
const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;
/** MongoDB 6.0's wire version: within every driver 6 release's supported range. */
const MAX_WIRE_VERSION = 17;

export interface MongoDbWireServer {
  /** `mongodb://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The command names received, in order (the first key of each command document). */
  commands(): readonly string[];
  close(): Promise<void>;
}

interface Request {
  readonly requestId: number;
  readonly opCode: number;
  readonly command: Document;
  readonly expectsReply: boolean;
}

/**
 * Starts the stand-in on a free loopback port.
 *
 * @example
 * const mongo = await startMongoDbWireServer();
 * // MONGODB_URL = mongo.url
 * await mongo.close();
 */
export async function startMongoDbWireServer(): Promise<MongoDbWireServer> {
  const collections = new Map<string, Document[]>();
  const received: string[] = [];
  const sockets = new Set<Socket>();
  let nextRequestId = 1;
  let nextConnectionId = 1;

  function answer(command: Document, connectionId: number): Document {
    const name = Object.keys(command)[0] ?? '';
    received.push(name);
    switch (name.toLowerCase()) {
      case 'hello':
      case 'ismaster':
        return {
          helloOk: true,
          ismaster: true,
          isWritablePrimary: true,
          maxBsonObjectSize: 16 * 1024 * 1024,
          maxMessageSizeBytes: 48_000_000,
          maxWriteBatchSize: 100_000,
          localTime: new Date(),
          logicalSessionTimeoutMinutes: 30,
          connectionId,
          minWireVersion: 0,
          maxWireVersion: MAX_WIRE_VERSION,
          readOnly: false,
          ok: 1,
        };
      case 'ping':
      case 'endsessions':
        return { ok: 1 };
      case 'insert': {
        const documents = (command.documents as Document[] | undefined) ?? [];
        collectionOf(command, name).push(...documents);
        return { n: documents.length, ok: 1 };
      }
      case 'find': {
        const filter = (command.filter as Document | undefined) ?? {};
        const firstBatch = collectionOf(command, name).filter((document) =>
          Object.entries(filter).every(
            ([key, value]) => BSON.EJSON.stringify(document[key]) === BSON.EJSON.stringify(value),
          ),
        );
        const ns = `${String(command.$db)}.${String(command[name])}`;
        return { cursor: { id: BSON.Long.fromNumber(0), ns, firstBatch }, ok: 1 };
      }
      default:
        return {
          ok: 0,
          errmsg: `no such command: '${name}' (a stand-in server)`,
          code: 59,
          codeName: 'CommandNotFound',
        };
    }
  }

  function collectionOf(command: Document, name: string): Document[] {
    const key = `${String(command.$db)}.${String(command[name])}`;
    let documents = collections.get(key);
    if (documents === undefined) {
      documents = [];
      collections.set(key, documents);
    }
    return documents;
  }

  function reply(socket: Socket, request: Request, body: Document): void {
    const document = BSON.serialize(body);
    const header = Buffer.alloc(HEADER_BYTES);
    let payload: Buffer;
    if (request.opCode === OP_QUERY) {
      // OP_REPLY: responseFlags, cursorID, startingFrom, numberReturned, then the document.
      payload = Buffer.alloc(20);
      payload.writeInt32LE(1, 16);
      header.writeInt32LE(OP_REPLY, 12);
    } else {
      // OP_MSG: flagBits, then one body section (kind 0).
      payload = Buffer.from([0, 0, 0, 0, 0]);
      header.writeInt32LE(OP_MSG, 12);
    }
    header.writeInt32LE(HEADER_BYTES + payload.length + document.length, 0);
    header.writeInt32LE(nextRequestId++, 4);
    header.writeInt32LE(request.requestId, 8);
    socket.write(Buffer.concat([header, payload, document]));
  }

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const connectionId = nextConnectionId++;
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const length = pending.readInt32LE(0);
        let request: Request;
        try {
          request = parseRequest(pending.subarray(0, length));
        } catch (error) {
          // What this stand-in cannot read ends the connection, as a real server would, and is
          // recorded so the test shows it rather than waiting for a reply that never comes.
          received.push(`unreadable: ${(error as Error).message}`);
          socket.destroy();
          return;
        }
        pending = pending.subarray(length);
        const body = answer(request.command, connectionId);
        if (request.expectsReply) reply(socket, request, body);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `mongodb://127.0.0.1:${port}`,
    port,
    commands: () => [...received],
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One OP_QUERY or OP_MSG message, its document sequences folded into the command document. */
function parseRequest(message: Buffer): Request {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_QUERY) {
    // flags, fullCollectionName (a C string), numberToSkip, numberToReturn, then the query.
    const nameEnd = message.indexOf(0, HEADER_BYTES + 4);
    const queryStart = nameEnd + 1 + 8;
    const command = BSON.deserialize(
      message.subarray(queryStart, queryStart + message.readInt32LE(queryStart)),
    );
    return { requestId, opCode, command, expectsReply: true };
  }
  if (opCode !== OP_MSG)
    throw new Error(`the stand-in MongoDB server reads OP_QUERY and OP_MSG, not op code ${opCode}`);
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let command: Document = {};
  const sequences: Record<string, Document[]> = {};
  let offset = HEADER_BYTES + 4;
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const size = message.readInt32LE(offset);
      command = BSON.deserialize(message.subarray(offset, offset + size));
      offset += size;
    } else {
      // A document sequence: its size (itself included), an identifier, then documents.
      const sectionEnd = offset + message.readInt32LE(offset);
      const identifierEnd = message.indexOf(0, offset + 4);
      const identifier = message.toString('utf8', offset + 4, identifierEnd);
      const documents: Document[] = [];
      for (let at = identifierEnd + 1; at < sectionEnd; ) {
        const size = message.readInt32LE(at);
        documents.push(BSON.deserialize(message.subarray(at, at + size)));
        at += size;
      }
      sequences[identifier] = documents;
      offset = sectionEnd;
    }
  }
  return {
    requestId,
    opCode,
    command: { ...command, ...sequences },
    expectsReply: (flags & MORE_TO_COME) === 0,
  };
}
