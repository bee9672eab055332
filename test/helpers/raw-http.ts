// Sends bytes exactly as given over a TCP connection and reads the raw response: for requests
// no well-behaved client would send (header values with CR, LF or raw UTF-8), which node:http
// and fetch refuse to build.
import { connect } from 'node:net';

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  readonly status: number;
  /** Header lines as received, names lower-cased, in order. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Everything after the header block, as latin1 text (bytes preserved one to one). */
  readonly body: string;
  /** The whole response, as latin1 text. */
  readonly raw: string;
}

/**
 * Writes `request` (its header lines; `Connection: close` is expected) to the server at `url`
 * and resolves with the response once the server closes the connection.
 *
 * @example
 * const response = await sendRaw(app.url, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
 */
export function sendRaw(url: string, request: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return exchange(url, request, timeoutMs, true);
}

/**
 * Like `sendRaw`, but keeps the connection open for writing until the server closes it: for a
 * server that answers only after work of its own (node:http drops a request whose client has
 * half-closed the connection before the response is written).
 *
 * @example
 * const response = await sendRawAwaitingResponse(app.url, 'POST /test HTTP/1.1\r\n…');
 */
export function sendRawAwaitingResponse(
  url: string,
  request: string | Buffer,
  timeoutMs = 10_000,
): Promise<RawResponse> {
  return exchange(url, request, timeoutMs, false);
}

function exchange(
  url: string,
  request: string | Buffer,
  timeoutMs: number,
  endAfterWrite: boolean,
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) }, () =>
      endAfterWrite ? socket.end(request) : socket.write(request),
    );
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no response within ${timeoutMs} ms`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const split = raw.indexOf('\r\n\r\n');
      const head = split === -1 ? raw : raw.slice(0, split);
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      const headers = headerLines.map((line): readonly [string, string] => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      });
      resolve({ status, headers, body: split === -1 ? '' : raw.slice(split + 4), raw });
    });
  });
}
