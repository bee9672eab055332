// Starts an app as a real child process for integration tests, with a hermetic environment,
// line-by-line access to its output, and a registry that never lets a child outlive the tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** The repository root: `--import lookout/register` resolves there by package self-reference. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Parent variables a child inherits: enough to run node, nothing that configures telemetry. */
const INHERITED = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'TZ',
  'SystemRoot',
];
const INHERITED_PREFIXES = ['LC_'];
/** Never inherited (even if a later list grows): the variables Lookout and its engines read. */
const DROPPED = /^(OTEL_|LOOKOUT_|POWERTOOLS_|AWS_)|^NODE_OPTIONS$/;

export interface SpawnAppOptions {
  /** Arguments to `node` (or to `command`), e.g. `['--import', 'lookout/register', 'examples/express/server.mjs']`. */
  readonly args: readonly string[];
  /**
   * The program to run instead of `node` (a script that starts node itself).
   * @default process.execPath
   */
  readonly command?: string;
  /** Variables for the child, on top of the inherited basics; `undefined` removes one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Working directory.
   * @default the repository root
   */
  readonly cwd?: string;
  /**
   * A line on stdout or stderr that means the app is ready; its first capture group, if any,
   * becomes `url`. `null` resolves as soon as the process is spawned.
   * @default /listening on (http:\/\/\S+)/
   */
  readonly readyPattern?: RegExp | null;
  /**
   * How long to wait for the ready line.
   * @default 15000
   */
  readonly timeoutMs?: number;
}

export interface AppExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnedApp {
  /** The ready line's first capture group (`''` when the pattern has none or is null). */
  readonly url: string;
  readonly child: ChildProcess;
  /** Lines written to stdout so far. */
  stdoutLines(): string[];
  /** The same lines, each with when this process read it (`performance.now()`). */
  stdoutLinesRead(): Array<{ readonly line: string; readonly readAt: number }>;
  /** Lines written to stderr so far. */
  stderrLines(): string[];
  /**
   * Resolves with the match of the first line (stdout or stderr, already written or still to
   * come) that matches; rejects after `timeoutMs` (default 10000) or when the app exits first.
   */
  waitForLine(pattern: RegExp | string, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` (default SIGTERM) and resolves when the process exits; SIGKILL after 10 s. */
  stop(signal?: NodeJS.Signals): Promise<AppExit>;
  /** SIGKILL, and resolves on exit. */
  kill(): Promise<AppExit>;
  /** Resolves when the process exits, however it ends. */
  readonly exited: Promise<AppExit>;
}

// One registry per process, shared by every copy of this module (vitest re-evaluates modules
// for each test file in the same worker), with one exit hook.
const REGISTRY = Symbol.for('lookout.test.spawned-apps');
const registryHolder = globalThis as typeof globalThis & { [REGISTRY]?: Set<ChildProcess> };
const running: Set<ChildProcess> = registryHolder[REGISTRY] ?? new Set<ChildProcess>();
if (registryHolder[REGISTRY] === undefined) {
  registryHolder[REGISTRY] = running;
  process.on('exit', killAllApps);
}

/** Kills every child still running (at the end of each test file, and at process exit). */
export function killAllApps(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

// Registered while the test file that imports this module is collected, so no child outlives
// the file that started it. Outside a test run (a script importing the helper) there is no
// runner to register with, and the exit hook above is the safety net.
try {
  afterAll(killAllApps);
} catch {
  // not running under vitest
}

/**
 * The environment a child gets: PATH, HOME, locale and temp-dir basics from the parent (never
 * OTEL_*, LOOKOUT_*, POWERTOOLS_*, AWS_* or NODE_OPTIONS), then `env` on top.
 *
 * @example
 * hermeticEnv({ OTEL_SERVICE_NAME: 'orders' });
 */
export function hermeticEnv(env: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const inherited = INHERITED.includes(key) || INHERITED_PREFIXES.some((prefix) => key.startsWith(prefix));
    if (inherited && !DROPPED.test(key) && value !== undefined) result[key] = value;
  }
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete result[key];
    else result[key] = value;
  }
  return result;
}

/**
 * Spawns `node <args>` and resolves once it prints its ready line.
 *
 * @example
 * const app = await spawnApp({ args: ['--import', 'lookout/register', 'examples/express/server.mjs'], env: { PORT: '0' } });
 * const response = await request(`${app.url}/orders/1`);
 * await app.stop();
 */
export async function spawnApp(options: SpawnAppOptions): Promise<SpawnedApp> {
  const { readyPattern = /listening on (http:\/\/\S+)/, timeoutMs = 15_000 } = options;
  const child = spawn(options.command ?? process.execPath, [...options.args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: hermeticEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);

  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const stdoutReadAt: number[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of ['stdout', 'stderr'] as const) {
    let partial = '';
    child[stream]?.setEncoding('utf8');
    child[stream]?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split(/\r?\n/);
      partial = parts.pop() ?? '';
      const readAt = performance.now();
      for (const line of parts) {
        lines[stream].push(line);
        if (stream === 'stdout') stdoutReadAt.push(readAt);
        for (const listener of listeners) listener(line);
      }
    });
    child[stream]?.on('end', () => {
      if (partial !== '') {
        lines[stream].push(partial);
        if (stream === 'stdout') stdoutReadAt.push(performance.now());
        for (const listener of listeners) listener(partial);
        partial = '';
      }
    });
  }

  const exited = new Promise<AppExit>((resolve) => {
    child.once('error', () => {
      running.delete(child);
      resolve({ code: null, signal: null });
    });
    // 'close' (not 'exit') so every line of output has been read when the exit is reported.
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const output = (): string =>
    `--- stdout ---\n${lines.stdout.slice(-40).join('\n')}\n--- stderr ---\n${lines.stderr.slice(-40).join('\n')}`;

  function waitForLine(pattern: RegExp | string, waitMs = 10_000): Promise<RegExpMatchArray> {
    const regex =
      typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
    const test = (line: string): RegExpMatchArray | null => line.match(regex);
    for (const line of [...lines.stdout, ...lines.stderr]) {
      const match = test(line);
      if (match !== null) return Promise.resolve(match);
    }
    return new Promise((resolve, reject) => {
      const finish = (error?: Error, match?: RegExpMatchArray): void => {
        clearTimeout(timer);
        listeners.delete(listener);
        if (error !== undefined) reject(error);
        else resolve(match as RegExpMatchArray);
      };
      const listener = (line: string): void => {
        const match = test(line);
        if (match !== null) finish(undefined, match);
      };
      const timer = setTimeout(
        () =>
          finish(
            new Error(`waitForLine: no line matched ${String(pattern)} within ${waitMs} ms\n${output()}`),
          ),
        waitMs,
      );
      listeners.add(listener);
      void exited.then((exit) => {
        if (listeners.has(listener)) {
          finish(
            new Error(
              `waitForLine: the app exited (code ${exit.code}, signal ${exit.signal}) before a line matched ${String(pattern)}\n${output()}`,
            ),
          );
        }
      });
    });
  }

  async function stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<AppExit> {
    if (!hasExited) {
      child.kill(signal);
      const escalate = setTimeout(() => child.kill('SIGKILL'), 10_000);
      try {
        return await exited;
      } finally {
        clearTimeout(escalate);
      }
    }
    return exited;
  }

  let url = '';
  if (readyPattern !== null) {
    try {
      const match = await Promise.race([
        waitForLine(readyPattern, timeoutMs),
        spawnError.then((error) => {
          throw new Error(`spawnApp: could not start node: ${error.message}`);
        }),
      ]);
      url = match[1] ?? '';
    } catch (error) {
      await stop('SIGKILL');
      throw new Error(
        `spawnApp: ${options.args.join(' ')} did not become ready: ${(error as Error).message.split('\n')[0]}\n${output()}`,
        { cause: error },
      );
    }
  }

  return {
    url,
    child,
    stdoutLines: () => [...lines.stdout],
    stdoutLinesRead: () => lines.stdout.map((line, index) => ({ line, readAt: stdoutReadAt[index] ?? 0 })),
    stderrLines: () => [...lines.stderr],
    waitForLine,
    stop,
    kill: () => stop('SIGKILL'),
    exited,
  };
}
