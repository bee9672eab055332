// Runs the built `lookout dev` (bin/lookout.mjs) as a real process on free loopback ports and
// reads its JSON API, for the viewer's integration and browser tests.
import { type SpawnedApp, spawnApp } from './spawn-app.js';

export interface LookoutDev {
  readonly process: SpawnedApp;
  /** The viewer's base URL. */
  readonly url: string;
  /** OTLP/HTTP base URL. */
  readonly otlpUrl: string;
  /** X-Ray daemon address, `127.0.0.1:<port>`. */
  readonly xrayAddress: string;
  /** GET a JSON API path (e.g. `/api/stats`). */
  api<T = Record<string, unknown>>(path: string): Promise<T>;
  /**
   * Polls a JSON API path until `accept` returns true for its body (the body is returned);
   * rejects after `timeoutMs` with the last body. Telemetry arrives asynchronously: this waits
   * for it without assuming how long it takes.
   */
  waitFor<T = Record<string, unknown>>(
    path: string,
    accept: (body: T) => boolean,
    timeoutMs?: number,
  ): Promise<T>;
  /** SIGINT, as Ctrl-C: lookout dev stops the app, then exits. */
  stop(): ReturnType<SpawnedApp['stop']>;
}

export interface StartLookoutDevOptions {
  /** Options for `lookout dev` before `--` (ports are added: all 0). */
  readonly options?: readonly string[];
  /** The app command after `--`. */
  readonly command?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The `lookout` command to run, e.g. an installed project's `node_modules/.bin/lookout`.
   * @default this repository's bin/lookout.mjs, run with node
   */
  readonly lookoutBin?: string;
  /** @default the repository root */
  readonly cwd?: string;
}

/**
 * Starts `node bin/lookout.mjs dev --port 0 --otlp-port 0 --xray-port 0 … [-- command]`.
 *
 * @example
 * const dev = await startLookoutDev({ command: ['node', '--import', 'lookout/register', 'app.mjs'] });
 * const stats = await dev.waitFor('/api/stats', (body) => body.traces.traces > 0);
 */
export async function startLookoutDev(options: StartLookoutDevOptions = {}): Promise<LookoutDev> {
  const command = options.command ?? [];
  const child = await spawnApp({
    ...(options.lookoutBin === undefined ? {} : { command: options.lookoutBin }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    args: [
      ...(options.lookoutBin === undefined ? ['bin/lookout.mjs'] : []),
      'dev',
      '--port',
      '0',
      '--otlp-port',
      '0',
      '--xray-port',
      '0',
      ...(options.options ?? []),
      ...(command.length > 0 ? ['--', ...command] : []),
    ],
    env: { PORT: '0', ...options.env },
    readyPattern: /^lookout dev: viewer\s+(http:\/\/\S+)/,
  });
  const otlp = await child.waitForLine(/^lookout dev: OTLP\s+(http:\/\/\S+)/);
  const xray = await child.waitForLine(/^lookout dev: X-Ray\s+udp:\/\/(\S+)/);
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${child.url}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    process: child,
    url: child.url,
    otlpUrl: otlp[1] ?? '',
    xrayAddress: xray[1] ?? '',
    api,
    async waitFor<T>(path: string, accept: (body: T) => boolean, timeoutMs = 20_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let last: T | undefined;
      for (;;) {
        last = await api<T>(path);
        if (accept(last)) return last;
        if (Date.now() > deadline)
          throw new Error(
            `${path} never satisfied the condition; last body:\n${JSON.stringify(last, null, 2).slice(0, 4000)}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: () => child.stop('SIGINT'),
  };
}
