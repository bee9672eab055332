import type { Server } from 'node:http';
import { readEnv } from '../../core.js';
import { startOtlpHttpReceiver } from './otlp-http-receiver.js';
import { createAppEnv, type RunningApp, runApp } from './run-app.js';
import { type StoreLimits, TelemetryStore } from './telemetry-store.js';
import { startViewerServer } from './viewer-server.js';
import { startXRayUdpReceiver } from './xray-udp-receiver.js';

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface StartDevOptions {
  readonly uiPort: number;
  readonly otlpPort: number;
  readonly xrayPort: number;
  readonly limits?: Partial<StoreLimits>;
  readonly uiDir: string;
  /** The app to run; empty for none. */
  readonly command: readonly string[];
  /** The environment the app's own is built from. */
  readonly env?: Readonly<NodeJS.ProcessEnv>;
  /** Print the app's EMF documents and audit entries too (they always reach the viewer). @default false */
  readonly showTelemetry?: boolean;
}

export interface AppState {
  readonly command: readonly string[];
  readonly pid: number | undefined;
  readonly running: boolean;
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

export interface DevSession {
  readonly store: TelemetryStore;
  readonly urls: { readonly ui: string; readonly otlp: string; readonly xray: string };
  /** The app started after `--`, if any. */
  readonly app: RunningApp | undefined;
  appState(): AppState | undefined;
  /** Stops the app (if running) and every listener. */
  close(): Promise<void>;
}

/**
 * Starts the receivers, the viewer and (when a command is given) the app, all on 127.0.0.1.
 *
 * @example
 * const session = await startDev({ uiPort: 0, otlpPort: 0, xrayPort: 0, uiDir, command: ['node', 'app.mjs'] });
 */
export async function startDev(options: StartDevOptions): Promise<DevSession> {
  const store = new TelemetryStore(options.limits);
  // Read as Lookout in the app reads it (trimmed, a blank value as unset), so that the page
  // marks the text the app's redaction actually writes.
  const redactionCensor = readEnv(options.env ?? process.env, 'LOOKOUT_LOG_REDACT_CENSOR') ?? '[REDACTED]';
  // How to close what was opened so far, so a failed start leaves nothing listening.
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    await Promise.all(closers.map((close) => close().catch(() => undefined)));
  };
  let app: RunningApp | undefined;
  let exit: AppState['exit'];
  try {
    const otlp = await startOtlpHttpReceiver(store, options.otlpPort);
    closers.push(() => closeServer(otlp.server));
    const xray = await startXRayUdpReceiver(store, options.xrayPort);
    closers.push(() => new Promise((resolve) => xray.socket.close(() => resolve())));
    const urls = {
      otlp: `http://127.0.0.1:${otlp.port}`,
      xray: `127.0.0.1:${xray.port}`,
      ui: '',
    };
    const appState = (): AppState | undefined =>
      app === undefined
        ? undefined
        : { command: options.command, pid: app.child.pid, running: exit === undefined, exit };
    const viewer = await startViewerServer({
      store,
      port: options.uiPort,
      uiDir: options.uiDir,
      describe: () => ({
        app: appState() ?? null,
        endpoints: urls,
        memory: process.memoryUsage(),
        // What the app's redaction writes in place of a value, so the page can mark it.
        redaction: { censor: redactionCensor },
      }),
      stopApp:
        options.command.length === 0
          ? undefined
          : () => (app === undefined ? Promise.resolve(null) : app.stop()),
    });
    closers.push(() => viewer.close());
    urls.ui = `http://127.0.0.1:${viewer.port}`;
    if (options.command.length > 0) {
      const env = createAppEnv({ otlpUrl: urls.otlp, xrayAddress: urls.xray }, options.env ?? process.env);
      app = runApp(options.command, env, store, { showTelemetry: options.showTelemetry ?? false });
      void app.done.then((result) => {
        exit = result;
      });
    }
    return {
      store,
      urls,
      app,
      appState,
      async close() {
        if (app !== undefined) {
          await app.stop();
          // A process the app started may still hold its output: reading it would keep this
          // process alive after everything else has closed.
          app.child.stdout?.destroy();
          app.child.stderr?.destroy();
        }
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
