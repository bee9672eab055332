import { type ClientRequest, request } from 'node:http';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** Largest response read from the sampling proxy; a rules list is a few kilobytes. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * POSTs `body` as JSON to `url` and resolves with the parsed JSON response; rejects on a
 * network error, a non-2xx status, a response over 1 MiB, unparsable JSON or when the whole
 * exchange takes over `timeoutMs`. Runs with tracing suppressed: the sampler's own calls make
 * no spans (docs/design.md decision 7).
 */
export function postJson(url: string, body: unknown, timeoutMs: number): Promise<unknown> {
  return new Promise<unknown>((settle, fail) => {
    const target = new URL(url);
    const payload = JSON.stringify(body);
    // The socket's idle timeout alone never fires for an answer that trickles in a byte at a
    // time, and the sampler waits for each answer before it polls again: one deadline for the
    // whole exchange keeps a slow proxy from stopping the polls for good.
    let outgoing: ClientRequest | undefined;
    const deadline = setTimeout(() => {
      const error = new Error(`no complete answer within ${timeoutMs} ms`);
      reject(error);
      outgoing?.destroy(error);
    }, timeoutMs);
    deadline.unref();
    const resolve = (value: unknown): void => {
      clearTimeout(deadline);
      settle(value);
    };
    const reject = (error: unknown): void => {
      clearTimeout(deadline);
      fail(error);
    };
    // node:https is loaded only for an https proxy: loading it (and node:tls) costs every
    // process about 4 ms of start-up, and the sampling proxy is plain http by default.
    const send =
      target.protocol === 'https:' ? (require('node:https') as typeof import('node:https')).request : request;
    context.with(suppressTracing(context.active()), () => {
      outgoing = send(
        target,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          timeout: timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              response.destroy(new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', reject);
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status < 200 || status > 299) {
              reject(new Error(`HTTP ${status} from ${target.origin}${target.pathname}`));
              return;
            }
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      const sent = outgoing;
      sent.on('timeout', () => sent.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      sent.on('error', reject);
      sent.end(payload);
    });
  });
}
