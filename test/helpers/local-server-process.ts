// Runs a server from the machine's Debian packages (PostgreSQL, Redis, MariaDB, RabbitMQ) as a child
// process on loopback for the instrumentation tests: a free port, its own data folder, ready
// when the server prints its ready line (never after a fixed wait), killed with the test file.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll } from 'vitest';

const running = new Set<ChildProcess>();
try {
  afterAll(() => {
    for (const child of running)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
} catch {
  // not running under vitest
}
process.once('exit', () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

/** The uid and gid of a system user, from /etc/passwd; undefined when there is none. */
export function systemUser(name: string): { uid: number; gid: number } | undefined {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined)
      return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM (then SIGKILL after 10 s); resolves on exit. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  readonly command: string;
  readonly args: readonly string[];
  /** A line of its output that means it accepts connections. */
  readonly ready: RegExp;
  /** Run as this user (for servers that refuse to run as root). */
  readonly user?: { uid: number; gid: number } | undefined;
  readonly cwd?: string;
  /** Variables beside PATH and LANG (the server inherits nothing else). */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/**
 * Starts a server and resolves once it prints `ready`; rejects with its output when it exits
 * first (a port taken in the meantime, a missing binary) or after `timeoutMs`.
 */
export function startServerProcess(options: StartServerOptions): Promise<ServerProcess> {
  const child = spawn(options.command, [...options.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...options.env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
  });
  running.add(child);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: ServerProcess = {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      running.delete(child);
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${options.command} did not get ready within ${options.timeoutMs ?? 30_000} ms:\n${output}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (options.ready.test(output)) {
        clearTimeout(timer);
        resolve(handle);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${options.command} exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
}

/**
 * Starts a server on a free port, trying another one (three tries in all) when the port was
 * taken between finding it and the server binding it.
 */
export async function startOnFreePort(
  start: (port: number) => Promise<ServerProcess>,
  portTaken: RegExp,
): Promise<{ server: ServerProcess; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const port = await findFreePort();
    try {
      return { server: await start(port), port };
    } catch (error) {
      if (attempt >= 2 || !portTaken.test(String(error))) throw error;
    }
  }
}
