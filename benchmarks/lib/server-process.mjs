// Starting an app under a variant, knowing when it answers, reading its memory, stopping it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { ROOT } from './paths.mjs';
import { commonEnv, getPeer, loadPeerContext } from './peers.mjs';

/** How often the cold-start probe retries a refused connection. Bounds the resolution. */
export const PROBE_INTERVAL_MS = 2;

/** A port nobody listens on right now (the app binds it a moment later). */
export async function getFreePort() {
  const server = createServer();
  await /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    })
  );
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Preloaded before every variant's own flags: no connection may leave the machine. */
export const LOOPBACK_GUARD = ['--require', './benchmarks/lib/loopback-only.cjs'];

/**
 * The command line and environment of an app under a variant.
 * @param {string} variantName
 * @param {string} appPath relative to the repository root
 * @param {{ otlpEndpoint: string, xrayAddress: string, inventoryUrl: string, datadogAgentUrl: string }} infrastructure
 * @param {number} port
 */
export async function describeLaunch(variantName, appPath, infrastructure, port) {
  const peer = getPeer(variantName);
  const context = await loadPeerContext();
  const variantEnv = peer.env?.(context) ?? {};
  return {
    args: [...LOOPBACK_GUARD, ...peer.nodeArgs, appPath],
    variantEnv,
    env: {
      ...process.env,
      ...commonEnv(infrastructure),
      ...variantEnv,
      INVENTORY_URL: infrastructure.inventoryUrl,
      PORT: String(port),
    },
  };
}

/**
 * Spawns `node <args>` in the repository root with stdout to /dev/null and stderr kept
 * (its last 8 KiB) for the results. With `onStdout`, stdout is a pipe handed to it instead
 * (for a worker that must check what the app writes, such as EMF documents). With `root`, the
 * app runs from that checkout instead (a second build of Lookout, for an A/B of build decisions).
 * @param {{ args: string[], env: NodeJS.ProcessEnv }} launch
 * @param {{ onStdout?: (chunk: Buffer) => void, root?: string }} [options]
 */
export function spawnApp(launch, { onStdout, root = ROOT } = {}) {
  const child = spawn(process.execPath, launch.args, {
    cwd: root,
    env: launch.env,
    stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'pipe'],
  });
  // Piped above: stdout when onStdout is given, stderr always.
  if (onStdout) /** @type {import('node:stream').Readable} */ (child.stdout).on('data', onStdout);
  let stderr = '';
  const stderrStream = /** @type {import('node:stream').Readable} */ (child.stderr);
  stderrStream.setEncoding('utf8');
  stderrStream.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    exited,
    stderr: () => stderr,
    /** SIGKILL: a benchmark has no telemetry to flush, and some SDKs delay SIGTERM. */
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * One HTTP request over a fresh connection.
 * @param {number} port
 * @param {string} method
 * @param {string} path
 * @param {string | undefined} body
 * @returns {Promise<{ status: number, connectedAt: number, body: string }>}
 */
function probe(port, method, path, body) {
  return new Promise((resolve, reject) => {
    let connectedAt = Number.NaN;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connectedAt, body: text }));
        res.on('error', reject);
      },
    );
    req.on('socket', (socket) => {
      socket.once('connect', () => {
        connectedAt = performance.now();
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Probes the app until one request answers 200, retrying refused connections every
 * PROBE_INTERVAL_MS. Fails when the app exits or the deadline passes.
 * @param {{ port: number, method?: string, path: string, body?: string, deadlineMs?: number, exited: Promise<unknown>, stderr: () => string }} options
 * @returns {Promise<{ connectedAt: number, respondedAt: number }>}
 */
export async function waitForFirst200({
  port,
  method = 'GET',
  path,
  body,
  deadlineMs = 60_000,
  exited,
  stderr,
}) {
  const started = performance.now();
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) throw new Error(`the app exited before answering; stderr:\n${stderr()}`);
    if (performance.now() - started > deadlineMs)
      throw new Error(`no 200 within ${deadlineMs} ms; stderr:\n${stderr()}`);
    try {
      const response = await probe(port, method, path, body);
      const respondedAt = performance.now();
      if (response.status === 200) return { connectedAt: response.connectedAt, respondedAt };
      throw new Error(
        `the app answered ${response.status} to ${method} ${path}: ${response.body.slice(0, 200)}`,
      );
    } catch (error) {
      const code = /** @type {NodeJS.ErrnoException | undefined} */ (error)?.code;
      if (code !== 'ECONNREFUSED' && code !== 'ECONNRESET') throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
}

/**
 * Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS).
 * @param {number} pid
 */
export function readRssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/**
 * CPU time (user + system), in milliseconds, from a /proc `stat` file: a process's
 * (/proc/<pid>/stat) or one of its threads' (/proc/<pid>/task/<tid>/stat). Linux reports it in
 * USER_HZ ticks, which are 1/100 s on every architecture Node runs on, so the resolution is 10 ms.
 * @param {string} path
 */
export function readStatCpuMs(path) {
  const stat = readFileSync(path, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces; fields after it are
  // counted from the state (field 3): utime is field 14, stime field 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`no CPU times in ${path}`);
  return ticks * 10;
}

/**
 * CPU time a process has used so far (user + system), in milliseconds (10 ms resolution).
 * @param {number} pid
 */
export function readCpuMs(pid) {
  return readStatCpuMs(`/proc/${pid}/stat`);
}
