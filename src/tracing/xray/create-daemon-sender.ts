import type { Socket } from 'node:dgram';
import type { DaemonEndpoint } from '../../config/parse-daemon-address.js';
import { DAEMON_HEADER, MAX_DATAGRAM_BYTES } from './fit-datagrams.js';

/** Sends datagram bodies (a document, or an array of subsegments) to the daemon. Never throws. */
export interface DaemonSender {
  /** Resolves when every datagram was handed to the OS, with the first error, if any. */
  send(bodies: readonly string[]): Promise<Error | undefined>;
  /** Resolves when no send is in flight. */
  flush(): Promise<void>;
  /** Waits for the sends in flight, then closes the socket. */
  close(): Promise<void>;
}

/**
 * Bytes sent in one go before the sender lets the event loop turn. The daemon reads from a
 * socket whose receive buffer is 208 KiB by default on Linux, and each datagram also costs
 * kernel bookkeeping there; a burst of a large trace sent at once can overflow it and lose
 * spans. Sending in slices of this size lets a daemon on the same machine drain between them.
 */
export const BURST_BYTES = 96 * 1024;
/** What the kernel charges a receive buffer per datagram beyond its payload, about (measured: 450-byte datagrams fill 208 KiB at 166). */
const DATAGRAM_OVERHEAD_BYTES = 800;

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
const NOTHING_SENT = Promise.resolve(undefined);
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The socket's address lookup: the daemon's address is resolved once, before the socket is made,
 * so what the socket is given (and its bind address) is an IP already. Answered at once: Node's
 * own lookup answers an IP on the next tick, and a send made as the process exits (the Lambda
 * wrapper's last delivery, when the runtime exits on an unhandled rejection) gets no next tick.
 * This way the datagram is handed to the OS within the send call.
 */
function resolvedAlready(
  address: string,
  _options: unknown,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  callback(null, address, address.includes(':') ? 6 : 4);
}

/**
 * Creates the sender that writes datagrams to the daemon's UDP port, each the daemon's header
 * line then one body (a document, or an array of subsegments: see `packDatagrams`): one
 * persistent socket, opened at
 * the first send and unref'd so it never keeps the process alive; the daemon's address resolved
 * once. aws-xray-sdk-core's emitter is not used: it logs each failed datagram with
 * `console.error` and tells its caller nothing, and on Lambda opens and closes a socket per
 * batch; measured in docs/decisions/0011-xray-sender-without-sdk-emitter.md.
 *
 * A body over the datagram limit is refused here rather than sent (bodies reach the sender
 * fitted by `fitDatagrams` and packed by `packDatagrams`). Errors (an unreachable address, a closed socket) come back
 * from `send()` as a value, the first of the batch; the socket is reopened at the next send.
 *
 * @example
 * const sender = createDaemonSender({ host: '127.0.0.1', port: 2000 });
 * await sender.send(['{"name":"a",…}', '[{"type":"subsegment",…},{"type":"subsegment",…}]']);
 */
export function createDaemonSender(endpoint: DaemonEndpoint): DaemonSender {
  const header = Buffer.from(DAEMON_HEADER, 'utf8');
  const inFlight = new Set<Promise<unknown>>();
  let opening: Promise<{ socket: Socket; address: string }> | undefined;
  /** The socket once open, for sends that need not wait for `opening`. */
  let opened: { socket: Socket; address: string } | undefined;

  const open = (): Promise<{ socket: Socket; address: string }> => {
    opening ??= (async () => {
      const { isIP } = require('node:net') as typeof import('node:net');
      let address = endpoint.host;
      let family = isIP(address);
      if (family === 0) {
        const { lookup } = require('node:dns/promises') as typeof import('node:dns/promises');
        // IPv4 first, as the X-Ray SDKs send (from an IPv4 socket): the daemon listens on IPv4 by
        // default (127.0.0.1:2000, or 0.0.0.0 in a container), and many hosts resolve a name such
        // as `localhost` to ::1 first, where every datagram would be lost without an error. A
        // name with no IPv4 address is used as it resolves.
        const resolved = await lookup(endpoint.host, { family: 4 }).catch(() => lookup(endpoint.host));
        address = resolved.address;
        family = resolved.family;
      }
      const dgram = require('node:dgram') as typeof import('node:dgram');
      const socket = dgram.createSocket({
        type: family === 6 ? 'udp6' : 'udp4',
        lookup: resolvedAlready,
      });
      // An 'error' event with no listener would crash the app (docs/design.md decision 4). The next
      // send opens a new socket.
      socket.on('error', () => {
        opening = undefined;
        opened = undefined;
        try {
          socket.close();
        } catch {
          // already closed
        }
      });
      socket.unref();
      return { socket, address };
    })();
    const current = opening;
    current.then(
      (target) => {
        if (opening === current) opened = target;
      },
      () => {
        opening = undefined;
      },
    );
    return current;
  };

  /** The error for a body too large for one datagram, or undefined when it fits. */
  const oversize = (body: Buffer): Error | undefined =>
    header.length + body.length > MAX_DATAGRAM_BYTES
      ? new Error(`a datagram of ${body.length} bytes was not sent (over the limit)`)
      : undefined;

  /** Sends the header and `body` as one datagram; `done` gets the send's error. Never throws. */
  const sendDatagram = (
    target: { socket: Socket; address: string },
    body: Buffer,
    done: (error: Error | undefined) => void,
  ): void => {
    try {
      target.socket.send([header, body], endpoint.port, target.address, (error) => done(error ?? undefined));
    } catch (error) {
      done(toError(error));
    }
  };

  const sendAll = async (bodies: readonly string[]): Promise<Error | undefined> => {
    let first: Error | undefined;
    // An open socket is used at once: the first burst then leaves within this call (see
    // resolvedAlready()).
    let target = opened;
    if (target === undefined) {
      try {
        target = await open();
      } catch (error) {
        return toError(error);
      }
    }
    const sends: Array<Promise<void>> = [];
    let burst = 0;
    for (const text of bodies) {
      const body = Buffer.from(text, 'utf8');
      const tooLarge = oversize(body);
      if (tooLarge !== undefined) {
        first ??= tooLarge;
        continue;
      }
      if (burst > 0 && burst + body.length + DATAGRAM_OVERHEAD_BYTES > BURST_BYTES) {
        await turn();
        burst = 0;
      }
      burst += header.length + body.length + DATAGRAM_OVERHEAD_BYTES;
      sends.push(
        new Promise<void>((resolve) => {
          sendDatagram(target, body, (error) => {
            if (error !== undefined) first ??= error;
            resolve();
          });
        }),
      );
    }
    await Promise.all(sends);
    return first;
  };

  // One body on an open socket, what a Lambda invocation's spans pack into: sent at once, with
  // one promise and one callback (docs/decisions/0059-lambda-span-processor.md).
  const sendOne = (target: { socket: Socket; address: string }, text: string): Promise<Error | undefined> => {
    const body = Buffer.from(text, 'utf8');
    const tooLarge = oversize(body);
    if (tooLarge !== undefined) return Promise.resolve(tooLarge);
    // Tracked for flush() until the send calls back; a send that failed at once is not.
    let outcome: Promise<Error | undefined> | undefined;
    let settledAtOnce = false;
    outcome = new Promise<Error | undefined>((resolve) => {
      sendDatagram(target, body, (error) => {
        if (outcome === undefined) settledAtOnce = true;
        else inFlight.delete(outcome);
        resolve(error);
      });
    });
    if (!settledAtOnce) inFlight.add(outcome);
    return outcome;
  };

  const sendTracked = async (bodies: readonly string[]): Promise<Error | undefined> => {
    const outcome = sendAll(bodies);
    inFlight.add(outcome);
    try {
      return await outcome;
    } finally {
      inFlight.delete(outcome);
    }
  };

  const send = (bodies: readonly string[]): Promise<Error | undefined> => {
    if (bodies.length === 0) return NOTHING_SENT;
    if (bodies.length === 1 && opened !== undefined) return sendOne(opened, bodies[0]!);
    return sendTracked(bodies);
  };

  const flush = async (): Promise<void> => {
    await Promise.allSettled([...inFlight]);
  };

  return {
    send,
    flush,
    close: async () => {
      await flush();
      const current = opening;
      opening = undefined;
      opened = undefined;
      if (current === undefined) return;
      try {
        (await current).socket.close();
      } catch {
        // never opened, or already closed
      }
    },
  };
}
