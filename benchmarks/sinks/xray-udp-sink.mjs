// A loopback stand-in for the X-Ray daemon: a UDP socket that reads each datagram, checks the
// daemon header (`{"format": "json", "version": 1}` then a newline), parses the segment
// document after it and counts segments and subsegments. Nothing is forwarded.
//
// Standalone: `node benchmarks/sinks/xray-udp-sink.mjs [port]` prints host:port.
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';

function emptyStats() {
  return { packets: 0, bytes: 0, segments: 0, subsegments: 0, rejected: 0 };
}

/** @typedef {{ subsegments?: Segment[] }} Segment a segment document, as far as counting reads it */

/**
 * @param {Segment} segment
 * @returns {number}
 */
function countSubsegments(segment) {
  let count = 0;
  for (const child of segment.subsegments ?? []) count += 1 + countSubsegments(child);
  return count;
}

/**
 * Parses one daemon datagram: one segment document, or an array of separately sent subsegments.
 * @param {Buffer} packet
 * @returns {{ documents: number, subsegments: number }}
 */
export function parseDaemonPacket(packet) {
  const text = packet.toString('utf8');
  const newline = text.indexOf('\n');
  if (newline < 0) throw new Error('no header line');
  const header = JSON.parse(text.slice(0, newline));
  if (header.format !== 'json' || header.version !== 1) throw new Error('unexpected daemon header');
  const body = JSON.parse(text.slice(newline + 1));
  const documents = Array.isArray(body) ? body : [body];
  let subsegments = 0;
  for (const document of documents) {
    if (typeof document.trace_id !== 'string' && document.type !== 'subsegment')
      throw new Error('segment without trace_id');
    subsegments += countSubsegments(document);
  }
  return { documents: documents.length, subsegments };
}

/**
 * Starts the sink on 127.0.0.1.
 * @param {{ port?: number }} [options]
 */
export async function startXRayUdpSink({ port = 0 } = {}) {
  let stats = emptyStats();
  const socket = createSocket('udp4');
  socket.on('message', (packet) => {
    stats.packets++;
    stats.bytes += packet.length;
    try {
      const { documents, subsegments } = parseDaemonPacket(packet);
      stats.segments += documents;
      stats.subsegments += subsegments;
    } catch {
      stats.rejected++;
    }
  });
  await /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', resolve);
    })
  );
  return {
    address: `127.0.0.1:${socket.address().port}`,
    stats: () => ({ ...stats }),
    reset: () => {
      stats = emptyStats();
    },
    close: () => /** @type {Promise<void>} */ (new Promise((resolve) => socket.close(() => resolve()))),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sink = await startXRayUdpSink({ port: Number(process.argv[2] ?? 0) });
  process.stdout.write(`${sink.address}\n`);
  process.on('SIGINT', () => {
    process.stdout.write(`${JSON.stringify(sink.stats())}\n`);
    process.exit(0);
  });
}
