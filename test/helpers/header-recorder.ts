import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the recorder received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Header names and values as received, in order, names as sent (node's `rawHeaders` in pairs). */
  readonly rawHeaders: ReadonlyArray<readonly [string, string]>;
}

/**
 * A downstream service stub on loopback: answers 200 to everything and records each request's
 * headers, so tests can check what an instrumented app propagated on its outgoing calls.
 */
export async function startHeaderRecorder() {
  const received: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const rawHeaders: Array<readonly [string, string]> = [];
    for (let index = 0; index < request.rawHeaders.length; index += 2)
      rawHeaders.push([request.rawHeaders[index]!, request.rawHeaders[index + 1]!]);
    received.push({
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      rawHeaders,
    });
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: (): readonly RecordedRequest[] => [...received],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
