// The TCP side shared by the protocol stand-ins in this folder: a server on a free loopback
// port whose close() also ends the connections still open, and the cutting of a connection's
// bytes into the protocol's frames.
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';

export interface LoopbackTcpServer {
  readonly port: number;
  /** Ends every open connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 at a free port and hands each connection to `onConnection`.
 *
 * @example
 * const server = await listenOnLoopback((socket) => socket.end());
 * await server.close();
 */
export async function listenOnLoopback(onConnection: (socket: Socket) => void): Promise<LoopbackTcpServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    onConnection(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * Calls `onFrame` with each whole frame that arrives on `socket`, in order. `frameLength` tells
 * from the bytes so far how long the next frame is (undefined until its length field is in).
 * A frame `onFrame` throws on ends the connection, as a server ends one it cannot read, after
 * `onUnreadable` is told why: the test then shows it rather than waiting for an answer.
 *
 * @example
 * readFrames(socket, (bytes) => (bytes.length < 4 ? undefined : 4 + bytes.readInt32BE(0)), answer, record);
 */
export function readFrames(
  socket: Socket,
  frameLength: (bytes: Buffer) => number | undefined,
  onFrame: (frame: Buffer) => void,
  onUnreadable: (error: unknown) => void,
): void {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (
      let length = frameLength(pending);
      length !== undefined && pending.length >= length;
      length = frameLength(pending)
    ) {
      const frame = pending.subarray(0, length);
      pending = pending.subarray(length);
      try {
        onFrame(frame);
      } catch (error) {
        onUnreadable(error);
        socket.destroy();
        return;
      }
    }
  });
}
