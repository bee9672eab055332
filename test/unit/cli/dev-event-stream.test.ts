// The viewer's live event stream over a real loopback socket: what it does with a reader that
// stops reading.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventStream } from '../../../src/cli/dev/event-stream.js';

let server: Server | undefined;
let closeStream: (() => void) | undefined;
afterEach(async () => {
  closeStream?.();
  closeStream = undefined;
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

describe('createEventStream', () => {
  it('cuts off a stream whose reader stopped reading once its backlog passes the bound', async () => {
    // Prepare: updates of 512 KiB, so the backlog passes the bound after a few of them once the
    // loopback socket's buffers are full; the client reads the headers, then nothing more.
    const update = { filler: 'x'.repeat(512 * 1024) };
    const events = createEventStream(() => update);
    closeStream = () => events.close();
    server = createServer((_request, response) => events.open(response));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const client = connect(port, '127.0.0.1');
    client.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await once(client, 'data');
    client.pause();
    const connections = () =>
      new Promise<number>((resolve, reject) =>
        server?.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
    expect(await connections()).toBe(1);

    // Act: one update after another, as a busy app's telemetry causes them, until the server has
    // let the connection go or 40 updates (20 MiB) have been offered.
    let open = 1;
    for (let sent = 0; sent < 40 && open > 0; sent += 1) {
      events.changed();
      await new Promise((resolve) => setTimeout(resolve, 300));
      open = await connections();
    }

    // Assess
    expect(open).toBe(0);
    client.destroy();
  });

  it('builds and serialises one snapshot per update for all the pages open', async () => {
    // Prepare: three readers on the stream
    let snapshots = 0;
    const events = createEventStream(() => {
      snapshots += 1;
      return { version: snapshots };
    });
    closeStream = () => events.close();
    server = createServer((_request, response) => events.open(response));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const readers = await Promise.all(
      [1, 2, 3].map(async () => {
        const client = connect(port, '127.0.0.1');
        let text = '';
        client.on('data', (chunk) => {
          text += chunk.toString();
        });
        client.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
        await once(client, 'data');
        return { client, text: () => text };
      }),
    );
    const opened = snapshots;

    // Act
    events.changed();
    for (const reader of readers)
      await expect.poll(() => reader.text().split('event: update').length - 1, { timeout: 5000 }).toBe(2);

    // Assess
    expect(opened).toBe(3);
    expect(snapshots).toBe(4);
    for (const reader of readers) {
      expect(reader.text()).toContain('data: {"version":4}');
      reader.client.destroy();
    }
  });
});
