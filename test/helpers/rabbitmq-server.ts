// A real RabbitMQ broker for the amqplib instrumentation tests, from Debian's `rabbitmq-server`
// package: its own Erlang port mapper (epmd) and node on 127.0.0.1 at free ports, its database,
// logs and Erlang cookie in a temporary folder, no plugins, the default `guest` user (allowed
// from loopback only). Run as the `rabbitmq` system user when the tests run as root, as the
// package runs it. The test prerequisites install the package (scripts/lib/test-prerequisites.mjs).
//
// Why its own epmd: an Erlang node starts the machine's shared epmd on port 4369 when none
// runs, as a daemon that outlives the node and the tests. One started here, in the foreground
// on a free port the node is told of (`ERL_EPMD_PORT`), stops with the broker.
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../scripts/lib/find-chromium.mjs';
import { findFreePort, startOnFreePort, startServerProcess, systemUser } from './local-server-process.js';

/** The broker's start script; Debian's /usr/sbin wrapper only switches to the rabbitmq user. */
export const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';

export interface LocalRabbitMq {
  /** `amqp://guest:guest@127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts epmd and a RabbitMQ node. The Erlang VM's start is slow (13 s on a loaded machine here):
 * start it once per test file, beside the other servers.
 *
 * @example
 * const rabbitmq = await startLocalRabbitMq();
 * // AMQP_URL = rabbitmq.url
 * await rabbitmq.close();
 */
export async function startLocalRabbitMq(): Promise<LocalRabbitMq> {
  const epmd = findOnPath('epmd');
  if (epmd === undefined || !existsSync(RABBITMQ_SERVER))
    throw new Error(
      `RabbitMQ is not installed (no epmd or no ${RABBITMQ_SERVER}). Fix: apt-get install -y rabbitmq-server`,
    );
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? systemUser('rabbitmq') : undefined;
  if (asRoot && user === undefined)
    throw new Error(
      'Running as root and there is no rabbitmq user to run the broker as. Fix: apt-get install -y rabbitmq-server',
    );
  const dir = mkdtempSync(join(tmpdir(), 'lookout-rabbitmq-'));
  // The machine's /etc/rabbitmq files must not change the test broker.
  const envFile = join(dir, 'rabbitmq-env.conf');
  writeFileSync(envFile, '');
  if (user !== undefined) {
    chownSync(dir, user.uid, user.gid);
    chownSync(envFile, user.uid, user.gid);
  }

  const mapper = await startOnFreePort(
    (port) =>
      startServerProcess({
        command: epmd,
        args: ['-port', String(port), '-address', '127.0.0.1', '-d'],
        ready: /epmd running/,
        user,
        cwd: dir,
      }),
    /Address already in use|failed to bind/i,
  );
  try {
    const distributionPort = await findFreePort();
    const { server, port } = await startOnFreePort(
      (port) =>
        startServerProcess({
          command: RABBITMQ_SERVER,
          args: [],
          env: {
            HOME: dir, // where the node writes its Erlang cookie
            ERL_EPMD_PORT: String(mapper.port),
            RABBITMQ_CONF_ENV_FILE: envFile,
            RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
            RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
            RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
            RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
            RABBITMQ_LOG_BASE: join(dir, 'log'),
            RABBITMQ_LOGS: '-',
            RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
            RABBITMQ_NODENAME: `lookout-test-${port}@localhost`,
            RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
            RABBITMQ_NODE_PORT: String(port),
            RABBITMQ_DIST_PORT: String(distributionPort),
          },
          ready: /Server startup complete/,
          user,
          cwd: dir,
          timeoutMs: 120_000,
        }),
      /eaddrinuse|Address already in use/i,
    );
    return {
      url: `amqp://guest:guest@127.0.0.1:${port}`,
      port,
      async close() {
        await server.stop();
        await mapper.server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await mapper.server.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
