import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startInternalExtension } from '../../../src/lambda/extension/internal-extension.js';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

function answer(body: string, headers = ''): string {
  return `HTTP/1.1 200 OK\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Longer than the registration's own timeout (2 s). */
const LATE_MS = 2300;

describe('the internal extension, when Lambda accepts its registration after it was given up on', () => {
  it('waits on /next all the same, and goes straight back at each event, holding nothing', async () => {
    // Prepare: a Runtime API on loopback that accepts the registration late, then hands out
    // one INVOKE event; the second /next is the extension going back without a hand-over.
    const nextRequests: number[] = [];
    let secondNext: () => void = () => {};
    const secondNextSeen = new Promise<void>((resolve) => {
      secondNext = resolve;
    });
    server = createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        const text = chunk.toString('latin1');
        if (text.startsWith('POST /2020-01-01/extension/register')) {
          setTimeout(() => socket.write(answer('{}', 'Lambda-Extension-Identifier: ext-1\r\n')), LATE_MS);
          return;
        }
        if (!text.startsWith('GET /2020-01-01/extension/event/next')) return;
        nextRequests.push(Date.now());
        if (nextRequests.length === 1) {
          const deadlineMs = Date.now() + 60_000;
          socket.write(answer(JSON.stringify({ eventType: 'INVOKE', requestId: 'first', deadlineMs })));
        } else secondNext();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;

    // Act
    const extension = startInternalExtension(`127.0.0.1:${port}`);
    extension?.arm(100);
    const registered = await extension?.registration;
    await secondNextSeen;

    // Assess: given up on, and off (invocations deliver before they answer), yet on /next,
    // where Lambda waits for every registered extension before it ends the init phase
    expect(registered).toBe(false);
    expect(extension?.state()).toBe('off');
    expect(nextRequests).toHaveLength(2);
  }, 10_000);
});
