// A real memcached server for the instrumentation tests, from Debian's `memcached` package:
// 127.0.0.1 at a free port, TCP only, 16 MB of memory. The test prerequisites install the
// package (scripts/lib/test-prerequisites.mjs).
import { findOnPath } from '../../scripts/lib/find-chromium.mjs';
import { startOnFreePort, startServerProcess, systemUser } from './local-server-process.js';

export interface LocalMemcached {
  /** `127.0.0.1:<port>`, as memcached clients name a server. */
  readonly location: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts memcached. As root it runs as the package's `memcache` user (memcached refuses root
 * without `-u`).
 *
 * @example
 * const memcached = await startLocalMemcached();
 * // MEMCACHED_LOCATION = memcached.location
 * await memcached.close();
 */
export async function startLocalMemcached(): Promise<LocalMemcached> {
  const command = findOnPath('memcached');
  if (command === undefined) throw new Error('memcached is not installed. Fix: apt-get install -y memcached');
  const asRoot = process.getuid?.() === 0;
  if (asRoot && systemUser('memcache') === undefined)
    throw new Error(
      'Running as root and there is no memcache user to run the server as. Fix: apt-get install -y memcached',
    );
  const { server, port } = await startOnFreePort(
    (port) =>
      startServerProcess({
        command,
        // -vv prints the line that says it listens (and each command after, which nobody reads).
        args: [
          '-l',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          '0',
          '-m',
          '16',
          '-vv',
          ...(asRoot ? ['-u', 'memcache'] : []),
        ],
        ready: /server listening/,
      }),
    /Address already in use/i,
  );
  return {
    location: `127.0.0.1:${port}`,
    port,
    close: () => server.stop(),
  };
}
