// A minimal child-process runner for the logging integration tests. It has the shape the
// shared spawn helper is expected to have (start, wait for a stdout line, stop and collect),
// so swapping to it later is a one-line import change.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SpawnedApp {
  readonly child: ChildProcess;
  /** Every complete stdout line so far. */
  readonly stdoutLines: string[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the first stdout line (already written or to come) that matches. */
  waitForLine(matches: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited on its own and its output is read. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (if still running) and resolves when the process has exited and its output is read. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnApp(options: { args: string[]; env?: Record<string, string | undefined> }): SpawnedApp {
  const child = spawn(process.execPath, options.args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdoutLines: string[] = [];
  const waiters = new Set<{ matches: (line: string) => boolean; resolve: (line: string) => void }>();
  let partial = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      stdoutLines.push(line);
      for (const waiter of waiters) {
        if (waiter.matches(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      if (partial !== '') stdoutLines.push(partial);
      partial = '';
      resolve({ code, signal });
    });
  });

  return {
    child,
    stdoutLines,
    stderr: () => stderr,
    waitForLine(matches, timeoutMs = 20_000) {
      const found = stdoutLines.find(matches);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { matches, resolve };
        waiters.add(waiter);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching stdout line within ${timeoutMs} ms; stderr:\n${stderr}`));
        }, timeoutMs);
        void closed.then(() => {
          if (!waiters.has(waiter)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          reject(new Error(`the app exited before a matching line; stderr:\n${stderr}`));
        });
        const settle = waiter.resolve;
        waiter.resolve = (line) => {
          clearTimeout(timer);
          settle(line);
        };
      });
    },
    exited: () => closed,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return closed;
    },
  };
}
