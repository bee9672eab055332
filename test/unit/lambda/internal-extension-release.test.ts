import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startInternalExtension } from '../../../src/lambda/extension/internal-extension.js';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

const MARGIN_MS = 20;

function answer(body: string, headers = ''): string {
  return `HTTP/1.1 200 OK\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe("the internal extension's latest release", () => {
  it('holds an invocation that is never handed over until its own deadline margin, after an earlier invocation whose release was due sooner', async () => {
    // Prepare: a Runtime API on loopback that registers the extension, then hands out two
    // INVOKE events; the third /next is the extension letting the second invocation go.
    const nextRequests: Array<{ at: number }> = [];
    let secondReleaseAt = 0;
    let thirdNext: () => void = () => {};
    const thirdNextSeen = new Promise<void>((resolve) => {
      thirdNext = resolve;
    });
    server = createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        const text = chunk.toString('latin1');
        if (text.startsWith('POST /2020-01-01/extension/register')) {
          socket.write(answer('{}', 'Lambda-Extension-Identifier: ext-1\r\n'));
          return;
        }
        if (!text.startsWith('GET /2020-01-01/extension/event/next')) return;
        nextRequests.push({ at: Date.now() });
        if (nextRequests.length === 1) {
          // Due soon: its release timer is the one pending when the second invocation arrives.
          const deadlineMs = Date.now() + MARGIN_MS + 60;
          socket.write(answer(JSON.stringify({ eventType: 'INVOKE', requestId: 'first', deadlineMs })));
        } else if (nextRequests.length === 2) {
          const deadlineMs = Date.now() + MARGIN_MS + 300;
          secondReleaseAt = deadlineMs - MARGIN_MS;
          socket.write(answer(JSON.stringify({ eventType: 'INVOKE', requestId: 'second', deadlineMs })));
        } else thirdNext();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;

    // Act: the first invocation is handed over at once; the second never is (an unwrapped
    // handler, say).
    const extension = startInternalExtension(`127.0.0.1:${port}`);
    extension?.arm(MARGIN_MS);
    expect(await extension?.registration).toBe(true);
    extension?.handOver('first', async () => {});
    await thirdNextSeen;

    // Assess: the second invocation was held until its own release time, not let go when the
    // timer armed for the first one fired.
    expect(nextRequests).toHaveLength(3);
    expect(nextRequests[2]!.at).toBeGreaterThanOrEqual(secondReleaseAt);
    expect(extension?.state()).toBe('active');
  });
});
