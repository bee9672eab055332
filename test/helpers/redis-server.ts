// A real Redis server for the instrumentation tests, from Debian's `redis-server` package:
// 127.0.0.1 at a free port, nothing persisted. The test prerequisites install the package
// (scripts/lib/test-prerequisites.mjs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../scripts/lib/find-chromium.mjs';
import { startOnFreePort, startServerProcess } from './local-server-process.js';

export interface LocalRedis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts redis-server with no persistence.
 *
 * @example
 * const redis = await startLocalRedis();
 * // REDIS_URL = redis.url
 * await redis.close();
 */
export async function startLocalRedis(): Promise<LocalRedis> {
  const command = findOnPath('redis-server');
  if (command === undefined)
    throw new Error('redis-server is not installed. Fix: apt-get install -y redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'lookout-redis-'));
  const { server, port } = await startOnFreePort(
    (port) =>
      startServerProcess({
        command,
        args: [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
        ],
        ready: /Ready to accept connections/,
      }),
    /Address already in use/i,
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
