// The internal extension against a Runtime API that answers its event poll in ways Lambda does
// not: a real process loads the layer's extension preload (layer/register-extension.mjs) and
// talks HTTP/1.1 over loopback to a raw TCP stand-in that accepts the registration, then
// answers /extension/event/next with the hostile bytes. The extension must give up (state
// `off`, with a reason) and leave the process alone: no unhandled rejection that ends it, no
// loop that never returns.
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type LoopbackTcpServer, listenOnLoopback } from '../helpers/loopback-tcp-server.js';
import { fixture, REPO_ROOT, runScript } from '../helpers/node-process.js';

let server: LoopbackTcpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const REGISTERED = 'HTTP/1.1 200 OK\r\nLambda-Extension-Identifier: ext-1\r\nContent-Length: 2\r\n\r\n{}';

/** A Runtime API stand-in: registers the extension, then answers every event poll with `next`. */
async function startRuntimeApi(next: string): Promise<number> {
  server = await listenOnLoopback((socket: Socket) => {
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (text.startsWith('POST /2020-01-01/extension/register')) socket.write(REGISTERED);
      else if (text.startsWith('GET /2020-01-01/extension/event/next')) socket.write(next);
    });
  });
  return server.port;
}

function withBody(body: string): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

const CASES = [
  ['an event that is JSON null', withBody('null'), /off: the extension received undefined/],
  ['an event that is not JSON', withBody('{"eventType":'), /off: \/extension\/event\/next failed/],
  [
    'a chunk size that is negative',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-6\r\n',
    /off: \/extension\/event\/next failed: malformed chunked response/,
  ],
] as const;

describe.each(CASES)(
  'the internal extension, when its event poll is answered with %s',
  (_what, next, said) => {
    it('turns itself off and leaves the process to end normally', async () => {
      // Prepare
      const port = await startRuntimeApi(next);

      // Act
      const run = await runScript(
        [
          '--import',
          join(REPO_ROOT, 'layer/register-extension.mjs'),
          fixture('lambda/extension-state-probe.mjs'),
        ],
        { AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}` },
        5000,
      );

      // Assess: the process ended by itself (not killed at the time limit, nor by an unhandled
      // rejection), with the extension off for the reason the poll's answer gives
      expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('registered: true');
      expect(run.stdout).toMatch(said);
    });
  },
);
