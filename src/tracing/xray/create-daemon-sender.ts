import type { Socket } from 'node:dgram';
import { DAEMON_HEADER, type FittedDocument, MAX_DATAGRAM_BYTES } from './fit-datagrams.js';
import type { DaemonEndpoint } from './parse-daemon-address.js';

/** One document to send, with the ids the SDK's emitter logs at debug level. */
export type OutgoingDocument = FittedDocument;

/** Sends documents to the daemon, one datagram each. Never throws. */
export interface DaemonSender {
  /** Resolves when every datagram was handed to the OS, with the first error, if any. */
  send(documents: readonly OutgoingDocument[]): Promise<Error | undefined>;
  /** Resolves when no send is in flight. */
  flush(): Promise<void>;
}

/** The part of aws-xray-sdk-core's `segment_emitter` module that Lookout drives. */
interface SdkSegmentEmitter {
  daemonConfig: { udp_ip: string; udp_port: number };
  socket: unknown;
  format(segment: { toString(): string }): string;
  send(segment: {
    format(): string;
    trace_id: string | undefined;
    id: string;
    type: string | undefined;
  }): void;
}

type SendCallback = (error: Error | null) => void;

/** How long one batch of sends may take before it is reported failed (a slow DNS lookup). */
const SEND_DEADLINE_MS = 5000;

/**
 * Collects the outcome of one batch of datagrams sent through one temporary UDP socket, the
 * socket aws-xray-sdk-core's emitter calls `send()` on.
 */
class BatchSocket {
  readonly #socket: Socket;
  readonly #done: Promise<Error | undefined>;
  #resolve: (error: Error | undefined) => void = () => {};
  #pending = 0;
  #sealed = false;
  #error: Error | undefined;

  constructor(ipv6: boolean) {
    const dgram = require('node:dgram') as typeof import('node:dgram');
    this.#socket = dgram.createSocket(ipv6 ? 'udp6' : 'udp4');
    // An 'error' event with no listener would crash the app (DESIGN decision 4).
    this.#socket.on('error', (error) => this.#fail(error));
    this.#socket.unref();
    this.#done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** The signature of `dgram.Socket.send` that the SDK's emitter calls. */
  send(
    message: Buffer,
    offset: number,
    length: number,
    port: number,
    address: string,
    callback: SendCallback,
  ) {
    this.#pending += 1;
    const complete = (error: Error | null) => {
      this.#pending -= 1;
      if (error) this.#error ??= error;
      // The SDK's callback logs errors with console.error, once per datagram; Lookout reports
      // the batch's first error once, through its exporter wrapper, instead.
      callback(null);
      this.#settleIfDone();
    };
    try {
      this.#socket.send(message, offset, length, port, address, complete);
    } catch (error) {
      complete(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #fail(error: Error): void {
    this.#error ??= error;
    this.#pending = 0;
    this.#settleIfDone();
  }

  /** No more sends will come; resolves once the ones made have completed. */
  seal(): Promise<Error | undefined> {
    this.#sealed = true;
    const timer = setTimeout(
      () => this.#fail(new Error(`sending to the X-Ray daemon took over ${SEND_DEADLINE_MS} ms`)),
      SEND_DEADLINE_MS,
    );
    timer.unref();
    this.#settleIfDone();
    return this.#done.finally(() => clearTimeout(timer));
  }

  #settleIfDone(): void {
    if (!this.#sealed || this.#pending > 0) return;
    this.#sealed = false;
    try {
      this.#socket.close();
    } catch {
      // Already closed after an error.
    }
    this.#resolve(this.#error);
  }
}

/**
 * Creates the sender that writes documents to the daemon's UDP port through aws-xray-sdk-core's
 * segment emitter (deep-required: its index would load the whole SDK, see docs/xray.md).
 *
 * The emitter is used through a per-exporter instance (`Object.create`) that carries its own
 * daemon address and socket, so the app's own use of the X-Ray SDK, if any, is left as it was.
 * It is wrapped because, on its own, it
 * - sends whatever it is given: it does not keep datagrams within the 64 kB limit (the daemon
 *   drops larger ones, the kernel refuses over 65,507 bytes). Documents reach it already fitted
 *   by `fitDatagrams`, and one still too large is refused here rather than sent;
 * - reports errors by logging each one with `console.error` and tells its caller nothing, so an
 *   unreachable daemon could neither be counted nor reported once. The socket it is handed
 *   here records the errors and resolves when every datagram has been handed to the OS, which
 *   also lets `forceFlush()` wait for the sends before a Lambda invocation freezes.
 *
 * As the SDK does on Lambda, each batch uses a temporary socket closed when its sends complete.
 *
 * @example
 * const sender = createDaemonSender({ host: '127.0.0.1', port: 2000 });
 * await sender.send([{ text: '{"name":"a",…}', traceId: '1-…', id: '…', isSubsegment: false }]);
 */
export function createDaemonSender(endpoint: DaemonEndpoint): DaemonSender {
  let sdkEmitter: SdkSegmentEmitter;
  try {
    sdkEmitter = require('aws-xray-sdk-core/dist/lib/segment_emitter') as SdkSegmentEmitter;
  } catch (error) {
    // The SDK parses AWS_XRAY_DAEMON_ADDRESS when first required and throws on forms it refuses.
    throw new Error(
      `aws-xray-sdk-core could not be loaded (it refuses AWS_XRAY_DAEMON_ADDRESS values without a host:port): ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  }
  const emitter = Object.create(sdkEmitter) as SdkSegmentEmitter;
  emitter.daemonConfig = { udp_ip: endpoint.host, udp_port: endpoint.port };
  // The size budget of fitDatagrams assumes this framing; a different SDK would break it.
  if (emitter.format({ toString: () => '{}' }) !== `${DAEMON_HEADER}{}`)
    throw new Error('aws-xray-sdk-core frames documents differently than Lookout expects');
  const { isIPv6 } = require('node:net') as typeof import('node:net');
  const ipv6 = isIPv6(endpoint.host);
  const headerBytes = Buffer.byteLength(DAEMON_HEADER);
  const inFlight = new Set<Promise<unknown>>();

  const send = async (documents: readonly OutgoingDocument[]): Promise<Error | undefined> => {
    if (documents.length === 0) return undefined;
    let refused: Error | undefined;
    let batch: BatchSocket;
    try {
      batch = new BatchSocket(ipv6);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    emitter.socket = batch;
    for (const document of documents) {
      if (headerBytes + Buffer.byteLength(document.text) > MAX_DATAGRAM_BYTES) {
        refused ??= new Error(
          `a document of ${Buffer.byteLength(document.text)} bytes was not sent (over the limit)`,
        );
        continue;
      }
      try {
        emitter.send({
          format: () => document.text,
          trace_id: document.traceId,
          id: document.id,
          type: document.isSubsegment ? 'subsegment' : undefined,
        });
      } catch (error) {
        refused ??= error instanceof Error ? error : new Error(String(error));
      }
    }
    const outcome = batch.seal();
    inFlight.add(outcome);
    try {
      return refused ?? (await outcome);
    } finally {
      inFlight.delete(outcome);
    }
  };

  return {
    send,
    flush: async () => {
      await Promise.allSettled([...inFlight]);
    },
  };
}
