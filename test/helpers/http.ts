// A tiny HTTP client over node:http for tests. Not fetch: the test process keeps to the plain
// core module, with no agent pooling, so a stopped app never leaves a kept-alive socket behind.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RequestOptions {
  /** @default 'GET' */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /**
   * Rejects when no complete response arrives in time.
   * @default 10000
   */
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  readonly body: string;
}

/**
 * Sends one HTTP request and resolves with the status, headers and body text.
 *
 * @example
 * const response = await request(`${app.url}/orders/1`, { headers: { traceparent } });
 * expect(response.status).toBe(200);
 */
export function request(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const { method = 'GET', headers = {}, body, timeoutMs = 10_000 } = options;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    outgoing.setTimeout(timeoutMs, () =>
      outgoing.destroy(new Error(`request: ${method} ${url} got no response within ${timeoutMs} ms`)),
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
