import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDaemonSender, type DaemonSender } from '../../../src/tracing/xray/create-daemon-sender.js';
import { startXRayDaemon, type XRayDaemon } from '../../helpers/xray-daemon.js';
import { XRAY_TRACE_ID } from './make-span.js';

let daemon: XRayDaemon | undefined;
let sender: DaemonSender | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await sender?.close();
  sender = undefined;
  await daemon?.close();
  daemon = undefined;
});

let ids = 0;
function segment(): string {
  ids += 1;
  const id = ids.toString(16).padStart(16, '0');
  return JSON.stringify({ name: 'orders', id, trace_id: XRAY_TRACE_ID, start_time: 1, end_time: 2 });
}

describe('the X-Ray daemon sender', () => {
  it('sends a single body on the open socket at once, and the daemon receives every datagram', async () => {
    // Prepare: the first send opens the socket.
    daemon = await startXRayDaemon();
    sender = createDaemonSender({ host: '127.0.0.1', port: daemon.port });
    const bodies = [segment(), segment(), segment()];

    // Act
    const results = [
      await sender.send([bodies[0]!]),
      await sender.send([bodies[1]!]),
      await sender.send([bodies[2]!]),
    ];
    await daemon.waitForDocuments(3);

    // Assess
    expect(results).toEqual([undefined, undefined, undefined]);
    expect(daemon.problems()).toEqual([]);
    expect(daemon.documents().map((document) => document.id)).toEqual(
      bodies.map((body) => (JSON.parse(body) as { id: string }).id),
    );
  });

  it('sends to the IPv4 address of a daemon name that resolves to IPv6 first, as the X-Ray SDKs do', async () => {
    // Prepare: the daemon listens on IPv4 only, as its default 127.0.0.1:2000 does, and its name
    // resolves to ::1 first, as `localhost` does on hosts whose /etc/hosts lists both. Such a
    // hosts file cannot be written here, so the resolver the sender uses is stubbed.
    daemon = await startXRayDaemon();
    const dns = createRequire(import.meta.url)('node:dns/promises') as typeof import('node:dns/promises');
    const lookup = vi
      .spyOn(dns, 'lookup')
      .mockImplementation((async (_host: string, options?: { family?: number }) =>
        options?.family === 4
          ? { address: '127.0.0.1', family: 4 }
          : { address: '::1', family: 6 }) as typeof dns.lookup);
    sender = createDaemonSender({ host: 'xray-daemon.test', port: daemon.port });

    // Act
    const result = await sender.send([segment()]);
    await daemon.waitForDocuments(1);

    // Assess
    expect(result).toBeUndefined();
    expect(lookup).toHaveBeenCalled();
    expect(daemon.documents()).toHaveLength(1);
  });

  it('refuses a body over the datagram limit on the open socket, and still sends the next', async () => {
    daemon = await startXRayDaemon();
    sender = createDaemonSender({ host: '127.0.0.1', port: daemon.port });
    await sender.send([segment()]);

    const refused = await sender.send(['x'.repeat(70_000)]);
    const next = await sender.send([segment()]);
    await daemon.waitForDocuments(2);

    expect(refused?.message).toMatch(/was not sent \(over the limit\)/);
    expect(next).toBeUndefined();
  });

  it('returns a send error on the open socket as a value, every time', async () => {
    // The kernel refuses datagrams to the broadcast address on a socket without SO_BROADCAST.
    sender = createDaemonSender({ host: '255.255.255.255', port: 2000 });

    const results = [await sender.send([segment()]), await sender.send([segment()])];

    expect(results.map((error) => error?.message)).toEqual([
      expect.stringMatching(/EACCES|broadcast|permission/i),
      expect.stringMatching(/EACCES|broadcast|permission/i),
    ]);
  });

  it('flushes only once a single body in flight has been handed to the OS', async () => {
    daemon = await startXRayDaemon();
    sender = createDaemonSender({ host: '127.0.0.1', port: daemon.port });
    await sender.send([segment()]);
    const order: string[] = [];

    const sent = sender.send([segment()]).then(() => order.push('sent'));
    const flushed = sender.flush().then(() => order.push('flushed'));
    await Promise.all([sent, flushed]);

    expect(order).toEqual(['sent', 'flushed']);
  });
});
