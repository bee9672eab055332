import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { parseXRayDatagram, spansFromXRayDocument } from './from-xray.js';
import type { TelemetryStore } from './telemetry-store.js';

/**
 * Starts an X-Ray daemon stand-in on 127.0.0.1 (UDP, `port` 0 picks a free one): every
 * segment document received becomes spans in the store; unreadable datagrams are counted.
 *
 * @example
 * const { socket, port } = await startXRayUdpReceiver(store, 2000);
 */
export async function startXRayUdpReceiver(
  telemetry: TelemetryStore,
  port: number,
): Promise<{ socket: Socket; port: number }> {
  // A large receive buffer: an exporter sends a split segment as a burst of datagrams.
  const socket = createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  socket.on('message', (datagram) => {
    const parsed = parseXRayDatagram(datagram);
    if ('problem' in parsed) {
      telemetry.reject('xray');
      return;
    }
    let spans: ReturnType<typeof spansFromXRayDocument>;
    try {
      spans = parsed.documents.flatMap(spansFromXRayDocument);
    } catch {
      // A throw here would be uncaught and end the viewer: whatever a datagram holds that the
      // mapping did not foresee, it is one more datagram refused.
      telemetry.reject('xray');
      return;
    }
    telemetry.addSpans(spans);
  });
  socket.bind(port, '127.0.0.1');
  await Promise.race([
    once(socket, 'listening'),
    once(socket, 'error').then(([error]) => Promise.reject(error)),
  ]);
  return { socket, port: socket.address().port };
}
