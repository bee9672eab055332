import { requestBounded } from '../request-bounded.js';

/** Largest response read from the sampling proxy; a rules list is a few kilobytes. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * POSTs `body` as JSON to `url` and resolves with the parsed JSON response; rejects on a
 * network error, a non-2xx status, a response over 1 MiB, unparsable JSON or when the whole
 * exchange takes over `timeoutMs` (a slow proxy must not stop the sampler's polls for good).
 * Tracing is suppressed for it (request-bounded.ts).
 */
export async function postJson(url: string, body: unknown, timeoutMs: number): Promise<unknown> {
  const answer = await requestBounded(url, {
    method: 'POST',
    json: body,
    timeoutMs,
    maxBytes: MAX_RESPONSE_BYTES,
  });
  if (answer.status < 200 || answer.status > 299) {
    const target = new URL(url);
    throw new Error(`HTTP ${answer.status} from ${target.origin}${target.pathname}`);
  }
  return JSON.parse(answer.body.toString('utf8'));
}
