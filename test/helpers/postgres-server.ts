// A real PostgreSQL server for the instrumentation tests, from Debian's `postgresql` package:
// a fresh cluster in a temporary folder, listening on 127.0.0.1 at a free port, trust
// authentication, fsync off. Run as the `postgres` system user when the tests run as root
// (the server refuses root). The test prerequisites install the package
// (scripts/lib/test-prerequisites.mjs).
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOnFreePort, startServerProcess, systemUser } from './local-server-process.js';

/** The folder of PostgreSQL's server programs (`initdb`, `postgres`), newest version first. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'postgres')) && existsSync(join(bin, 'initdb'))) return bin;
  }
  return undefined;
}

export interface LocalPostgres {
  /** `postgres://lookout@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Creates a cluster and starts PostgreSQL on it.
 *
 * @example
 * const pg = await startLocalPostgres();
 * // DATABASE_URL = pg.url
 * await pg.close();
 */
export async function startLocalPostgres(): Promise<LocalPostgres> {
  const bin = findPostgresBin();
  if (bin === undefined)
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/postgres). Fix: apt-get install -y postgresql',
    );
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? systemUser('postgres') : undefined;
  if (asRoot && user === undefined)
    throw new Error(
      'Running as root and there is no postgres user to run the server as. Fix: apt-get install -y postgresql',
    );
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-pg-'));
  if (user !== undefined) chownSync(dataDir, user.uid, user.gid);
  const initdb = spawnSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'lookout', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-locale'],
    { encoding: 'utf8', cwd: tmpdir(), ...(user === undefined ? {} : { uid: user.uid, gid: user.gid }) },
  );
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr}${initdb.stdout}`);

  const { server, port } = await startOnFreePort(
    (port) =>
      startServerProcess({
        command: join(bin, 'postgres'),
        args: [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-h',
          '127.0.0.1',
          '-k',
          dataDir,
          '-F',
          '-c',
          'max_connections=20',
        ],
        ready: /database system is ready to accept connections/,
        user,
        cwd: tmpdir(),
      }),
    /could not bind|Address already in use/i,
  );
  return {
    url: `postgres://lookout@127.0.0.1:${port}/postgres`,
    port,
    async close() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
