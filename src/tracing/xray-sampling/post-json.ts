import { request } from 'node:http';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** Largest response read from the sampling proxy; a rules list is a few kilobytes. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * POSTs `body` as JSON to `url` and resolves with the parsed JSON response; rejects on a
 * network error, a non-2xx status, a response over 1 MiB, unparsable JSON or `timeoutMs`.
 * Runs with tracing suppressed: the sampler's own calls make no spans (docs/design.md decision 7).
 */
export function postJson(url: string, body: unknown, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const payload = JSON.stringify(body);
    // node:https is loaded only for an https proxy: loading it (and node:tls) costs every
    // process about 4 ms of start-up, and the sampling proxy is plain http by default.
    const send =
      target.protocol === 'https:' ? (require('node:https') as typeof import('node:https')).request : request;
    context.with(suppressTracing(context.active()), () => {
      const outgoing = send(
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
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  });
}
