import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeApiConnection } from '../../../src/lambda/extension/runtime-api-connection.js';

let server: Server | undefined;
afterEach(async () => {
  server?.close();
  server = undefined;
});

/** A TCP server that answers every request with the given raw bytes, split in two writes. */
async function rawServer(answers: string[]): Promise<number> {
  server = createServer((socket) => {
    socket.on('data', () => {
      const answer = answers.shift() ?? '';
      const middle = Math.floor(answer.length / 2);
      socket.write(answer.slice(0, middle));
      setImmediate(() => socket.write(answer.slice(middle)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('the Runtime API connection', () => {
  it('reads a Content-Length body and a chunked body from one kept-alive connection', async () => {
    // Prepare
    const port = await rawServer([
      'HTTP/1.1 200 OK\r\nLambda-Extension-Identifier: abc\r\nContent-Length: 2\r\n\r\n{}',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"eve\r\nf\r\nntType":"INVOKE\r\n2\r\n"}\r\n0\r\n\r\n',
    ]);
    const connection = new RuntimeApiConnection('127.0.0.1', port);

    // Act
    const first = await connection.request(
      'POST',
      '/2020-01-01/extension/register',
      { 'Lambda-Extension-Name': 'x' },
      '{}',
    );
    const second = await connection.request('GET', '/2020-01-01/extension/event/next', {}, '', false);

    // Assess
    expect(first).toMatchObject({ status: 200, body: '{}' });
    expect(first.headers.get('lambda-extension-identifier')).toBe('abc');
    expect(JSON.parse(second.body)).toEqual({ eventType: 'INVOKE' });
  });

  it('rejects when the connection is refused', async () => {
    const port = await rawServer([]);
    server?.close();
    await once(server!, 'close');
    const connection = new RuntimeApiConnection('127.0.0.1', port);
    await expect(connection.request('GET', '/', {})).rejects.toThrow();
  });

  it("reads a long poll's answer that the connection's end follows at once", async () => {
    // Prepare: the answer and the end of the connection come together
    server = createServer((socket) => {
      socket.once('data', () =>
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 22\r\n\r\n{"eventType":"INVOKE"}'),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const connection = new RuntimeApiConnection('127.0.0.1', port);

    // Act
    const response = await connection.request('GET', '/2020-01-01/extension/event/next', {}, '', false);

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ eventType: 'INVOKE' });
  });

  it('sends a request once more on a new connection when the kept-alive one closes before answering it', async () => {
    // Prepare: the first connection answers one request, then drops the next one unanswered,
    // as a server that closed the connection while it was idle does.
    let connections = 0;
    server = createServer((socket) => {
      connections++;
      const connection = connections;
      let requests = 0;
      socket.on('data', () => {
        requests++;
        if (connection === 1 && requests === 2) {
          socket.destroy();
          return;
        }
        socket.write(answerOf(`{"connection":${connection}}`));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const connection = new RuntimeApiConnection('127.0.0.1', port);

    // Act
    const first = await connection.request('GET', '/2020-01-01/extension/event/next', {}, '', false);
    const second = await connection.request('GET', '/2020-01-01/extension/event/next', {}, '', false);

    // Assess
    expect(JSON.parse(first.body)).toEqual({ connection: 1 });
    expect(JSON.parse(second.body)).toEqual({ connection: 2 });
  });

  it('does not send a request again on a new connection that closes before answering', async () => {
    // Prepare
    server = createServer((socket) => socket.on('data', () => socket.destroy()));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const connection = new RuntimeApiConnection('127.0.0.1', port);

    // Act + Assess
    await expect(connection.request('GET', '/', {})).rejects.toThrow();
  });
});

function answerOf(body: string): string {
  return `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}
