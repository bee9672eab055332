// A real MariaDB server for the mysql2 instrumentation tests, from Debian's `mariadb-server`
// package: an empty data folder in a temporary folder, 127.0.0.1 at a free port, the socket in
// that folder, grant tables skipped (any user connects without a password). Run as the `mysql`
// system user when the tests run as root (mariadbd refuses root unless told `--user=root`).
// The test prerequisites install the package (scripts/lib/test-prerequisites.mjs).
//
// Why no `mariadb-install-db`: it only creates the system tables (users, grants, time zones),
// which a server with `--skip-grant-tables` does not read, and it took 9 s here against the
// server's own start of well under one: the server creates its InnoDB files in the empty folder
// and prints warnings about the missing `mysql` tables, then accepts connections.
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath } from '../../scripts/lib/find-chromium.mjs';
import { startOnFreePort, startServerProcess, systemUser } from './local-server-process.js';

export interface LocalMariaDb {
  /** `mysql://lookout@127.0.0.1:<port>/lookout` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The database the URL names; created once the server is ready. */
const DATABASE = 'lookout';

/**
 * Starts mariadbd on an empty data folder.
 *
 * @example
 * const mariadb = await startLocalMariaDb();
 * // MYSQL_URL = mariadb.url
 * await mariadb.close();
 */
export async function startLocalMariaDb(): Promise<LocalMariaDb> {
  const command = findOnPath('mariadbd', { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/usr/local/sbin` });
  if (command === undefined)
    throw new Error('MariaDB is not installed (no mariadbd). Fix: apt-get install -y mariadb-server');
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? systemUser('mysql') : undefined;
  if (asRoot && user === undefined)
    throw new Error(
      'Running as root and there is no mysql user to run the server as. Fix: apt-get install -y mariadb-server',
    );
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-mariadb-'));
  if (user !== undefined) chownSync(dataDir, user.uid, user.gid);

  const { server, port } = await startOnFreePort(
    (port) =>
      startServerProcess({
        command,
        args: [
          // No /etc/mysql/my.cnf: the machine's configuration must not change the test server.
          '--no-defaults',
          `--datadir=${dataDir}`,
          `--socket=${join(dataDir, 'mariadb.sock')}`,
          `--pid-file=${join(dataDir, 'mariadb.pid')}`,
          `--tmpdir=${dataDir}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          '--skip-grant-tables',
          '--skip-name-resolve',
          '--innodb-buffer-pool-size=16M',
          '--innodb-log-file-size=4M',
          '--innodb-flush-log-at-trx-commit=0',
          '--max-connections=20',
        ],
        ready: /mariadbd: ready for connections/,
        user,
        cwd: tmpdir(),
      }),
    /Can't start server: Bind on TCP\/IP port|Address already in use/i,
  );
  const client = findOnPath('mariadb');
  if (client === undefined) {
    await server.stop();
    throw new Error('The mariadb client is not installed. Fix: apt-get install -y mariadb-server');
  }
  try {
    await promisify(execFile)(client, [
      '--no-defaults',
      `--socket=${join(dataDir, 'mariadb.sock')}`,
      '--execute',
      `CREATE DATABASE ${DATABASE}`,
    ]);
  } catch (error) {
    await server.stop();
    throw new Error(`creating the ${DATABASE} database failed: ${String(error)}\n${server.output()}`);
  }
  return {
    url: `mysql://lookout@127.0.0.1:${port}/${DATABASE}`,
    port,
    async close() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
