import { connect, type Socket } from 'node:net';
// Not the global: holdImmediatesUntil replaces that one while the registration is under way.
import { setImmediate as onNextTurn } from 'node:timers';

/** A response of the Lambda Runtime API. */
export interface RuntimeApiResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

interface Waiting {
  readonly resolve: (response: RuntimeApiResponse) => void;
  readonly reject: (error: Error) => void;
  /** The connection the request was written on. */
  readonly socket: Socket;
}

/** The connection ended before a byte of the answer came back. */
class ClosedBeforeAnswerError extends Error {}

const HEAD_END = Buffer.from('\r\n\r\n');
/** A chunk size line's size: hex digits, then an optional extension or nothing. */
const CHUNK_SIZE = /^[0-9A-Fa-f]+(?=[;\s]|$)/;

/** The body of a chunked message once it is complete, else undefined. */
function readChunked(data: Buffer, start: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  let offset = start;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    // Hex digits only (an extension may follow a ';'): parseInt alone takes a sign, and a
    // negative size moves the offset back, to its own line for "-6", a loop that never ends.
    const digits = CHUNK_SIZE.exec(data.toString('latin1', offset, lineEnd))?.[0];
    if (digits === undefined) throw new Error('malformed chunked response');
    const size = Number.parseInt(digits, 16);
    const chunkStart = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = data.indexOf(HEAD_END, lineEnd);
      if (trailerEnd >= 0) return { body: Buffer.concat(parts), end: trailerEnd + 4 };
      return data.length >= chunkStart + 2 && data.toString('latin1', chunkStart, chunkStart + 2) === '\r\n'
        ? { body: Buffer.concat(parts), end: chunkStart + 2 }
        : undefined;
    }
    if (data.length < chunkStart + size + 2) return undefined;
    parts.push(data.subarray(chunkStart, chunkStart + size));
    offset = chunkStart + size + 2;
  }
}

/**
 * One keep-alive HTTP/1.1 connection to the Lambda Runtime API, one request at a time. It is
 * written on `node:net` rather than `node:http` on purpose: requests made here are Lookout's own
 * and must create no spans (docs/design.md decision 7), and `node:http` is where instrumentations and
 * `diagnostics_channel` subscribers see every request. Between requests and during a long poll
 * the socket is unref'd: it never keeps the process alive on its own. Only what the Runtime API sends is read:
 * a status line, headers, and a body framed by `Content-Length` or chunked encoding.
 *
 * @example
 * const api = new RuntimeApiConnection('127.0.0.1', 9001);
 * const { status, headers } = await api.request('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'lookout' }, '{"events":["INVOKE"]}');
 */
export class RuntimeApiConnection {
  readonly #host: string;
  readonly #port: number;
  #socket: Socket | undefined;
  #data: Buffer = Buffer.alloc(0);
  #waiting: Waiting | undefined;
  /** The request in flight is a long poll: its answer is read on the turn after it arrives. */
  #readLater = false;
  #readScheduled = false;
  readonly #readScheduledResponse = (): void => {
    if (!this.#readScheduled) return;
    this.#readScheduled = false;
    this.#readResponse();
  };

  constructor(host: string, port: number) {
    this.#host = host;
    this.#port = port;
  }

  /**
   * Sends one request; rejects on a connection error or a response that cannot be read.
   * `holdsProcess: false` (a long poll) lets the process end while it waits, and its answer is
   * read on the turn of the event loop after it arrived: an extension's INVOKE arrives with the
   * invocation, and the function's handler runs first (its response goes back within that
   * turn), the extension's bookkeeping after it
   * (docs/decisions/0058-lambda-extension-off-the-invocation-path.md). Otherwise the request
   * keeps the process alive until answered, as a registration awaited in a preload must.
   */
  request(
    method: string,
    path: string,
    headers: Readonly<Record<string, string>>,
    body = '',
    holdsProcess = true,
  ): Promise<RuntimeApiResponse> {
    if (this.#waiting !== undefined) return Promise.reject(new Error('a request is already in flight'));
    const reused = this.#socket !== undefined && !this.#socket.destroyed;
    const sent = this.#send(method, path, headers, body, holdsProcess);
    if (!reused) return sent;
    // A kept-alive connection that the Runtime API closed while it was idle (an HTTP server's
    // keep-alive timeout; Node.js's is 5 s, and the extension's connection is idle for the whole
    // invocation) fails the next request written on it before any answer: that request goes
    // once more, on a new connection. Otherwise the extension would stop returning to /next,
    // and the environment would never freeze.
    return sent.catch((error: unknown) => {
      if (!(error instanceof ClosedBeforeAnswerError)) throw error;
      return this.#send(method, path, headers, body, holdsProcess);
    });
  }

  #send(
    method: string,
    path: string,
    headers: Readonly<Record<string, string>>,
    body: string,
    holdsProcess: boolean,
  ): Promise<RuntimeApiResponse> {
    const socket = this.#connection();
    if (holdsProcess) socket.ref();
    else socket.unref();
    this.#readLater = !holdsProcess;
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.#host}:${this.#port}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    if (method !== 'GET') head += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject, socket };
      socket.write(`${head}\r\n${body}`);
    });
  }

  #connection(): Socket {
    if (this.#socket !== undefined && !this.#socket.destroyed) return this.#socket;
    const socket = connect({ host: this.#host, port: this.#port });
    socket.setNoDelay(true);
    socket.unref();
    this.#data = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      if (this.#socket !== socket) return;
      this.#data = this.#data.length === 0 ? chunk : Buffer.concat([this.#data, chunk]);
      if (!this.#readLater) this.#readResponse();
      else if (!this.#readScheduled) {
        this.#readScheduled = true;
        onNextTurn(this.#readScheduledResponse);
      }
    });
    const fail = (error: Error) => {
      if (this.#socket !== socket) return;
      // An answer that arrived before the connection ended is still read.
      this.#readScheduledResponse();
      this.#socket = undefined;
      const waiting = this.#waiting;
      if (waiting?.socket !== socket) return;
      this.#waiting = undefined;
      waiting.reject(this.#data.length === 0 ? new ClosedBeforeAnswerError(error.message) : error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the Runtime API closed the connection')));
    this.#socket = socket;
    return socket;
  }

  #readResponse(): void {
    const waiting = this.#waiting;
    if (waiting === undefined) return;
    const data = this.#data;
    const headEnd = data.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const lines = data.toString('latin1', 0, headEnd).split('\r\n');
    const status = Number.parseInt(lines[0]?.split(' ')[1] ?? '', 10);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const start = headEnd + 4;
    let body: Buffer;
    let end: number;
    try {
      if (headers.get('transfer-encoding')?.toLowerCase().includes('chunked')) {
        const chunked = readChunked(data, start);
        if (chunked === undefined) return;
        ({ body, end } = chunked);
      } else {
        const length = Number.parseInt(headers.get('content-length') ?? '0', 10);
        if (data.length < start + length) return;
        body = data.subarray(start, start + length);
        end = start + length;
      }
    } catch (error) {
      this.#socket?.destroy(error as Error);
      return;
    }
    this.#data = data.subarray(end);
    this.#waiting = undefined;
    this.#socket?.unref();
    waiting.resolve({ status, headers, body: body.toString('utf8') });
  }
}
