import { type ClientRequest, request } from 'node:http';
import type { Socket } from 'node:net';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** What an endpoint answered: its status and its whole body. */
export interface BoundedAnswer {
  readonly status: number;
  readonly body: Buffer;
}

export interface BoundedRequest {
  readonly method?: 'GET' | 'POST';
  /** Sent as the JSON body of a POST. */
  readonly json?: unknown;
  /** For the whole exchange, from the request to the last byte of the answer. */
  readonly timeoutMs: number;
  /** The most body bytes read; past them the exchange fails. */
  readonly maxBytes: number;
}

function unrefSocket(socket: Socket): void {
  socket.unref();
}

/**
 * One HTTP exchange with an endpoint Lookout itself reads (the ECS task metadata, the X-Ray
 * sampling proxy), bounded in time and size: rejects on a network error, an answer past
 * `maxBytes`, or when the whole exchange takes over `timeoutMs`. The socket's idle timeout alone
 * never fires for an answer that trickles in a byte at a time, and one that streams without end
 * would grow memory without bound; the callers wait for each answer before they go on. Runs with
 * tracing suppressed: Lookout's own calls make no spans (docs/design.md decision 7).
 *
 * @example
 * const { status, body } = await requestBounded(url, { timeoutMs: 1000, maxBytes: 1024 * 1024 });
 */
export function requestBounded(url: string, options: BoundedRequest): Promise<BoundedAnswer> {
  const { timeoutMs, maxBytes } = options;
  return new Promise<BoundedAnswer>((settle, fail) => {
    const target = new URL(url);
    const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
    let outgoing: ClientRequest | undefined;
    const deadline = setTimeout(() => {
      const error = new Error(`no complete answer within ${timeoutMs} ms`);
      reject(error);
      outgoing?.destroy(error);
    }, timeoutMs);
    deadline.unref();
    const resolve = (answer: BoundedAnswer): void => {
      clearTimeout(deadline);
      settle(answer);
    };
    const reject = (error: unknown): void => {
      clearTimeout(deadline);
      fail(error);
    };
    // node:https is loaded only for an https endpoint: loading it (and node:tls) costs every
    // process about 4 ms of start-up, and both endpoints are plain http by default.
    const send =
      target.protocol === 'https:' ? (require('node:https') as typeof import('node:https')).request : request;
    context.with(suppressTracing(context.active()), () => {
      outgoing = send(
        target,
        {
          method: options.method ?? 'GET',
          headers:
            payload === undefined
              ? undefined
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              response.destroy(new Error(`answer larger than ${maxBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', reject);
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
          );
        },
      );
      // Its socket never holds the process (unref'd when the request gets it, new or reused: the
      // agent refs a kept-alive socket it hands out): a process that ends while a sampling poll
      // or the metadata read waits for an endpoint that does not answer ends then, not at this
      // exchange's deadline, and the exit flush (which waits for the ECS attributes a span
      // export needs) holds it itself, up to the shutdown timeout.
      outgoing.on('socket', unrefSocket);
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  });
}
