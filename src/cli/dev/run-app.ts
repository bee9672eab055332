// Runs the app given after `--`: with the environment that points its telemetry at this
// process, its stdout and stderr read line by line. Lines are echoed unchanged, except EMF
// documents and audit entries: those are for the viewer, and one EMF document a second would
// bury the app's own output (unless the developer asks for them).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { readEnv, SETTINGS } from '../../core.js';
import { classifyLine } from './classify-line.js';
import { createLineSplitter } from './line-splitter.js';
import type { TelemetryStore } from './telemetry-store.js';

export interface AppEndpoints {
  readonly otlpUrl: string;
  /** `127.0.0.1:2000` */
  readonly xrayAddress: string;
}

/**
 * Every variable that names where telemetry goes, but the one `lookout dev` sets: taken from the
 * settings table, so that an endpoint setting added there (LOOKOUT_OTLP_LOGS_ENDPOINT was once
 * missed here, and sent log records past the viewer) is cleared too.
 */
const ENDPOINT_VARIABLES = SETTINGS.filter(
  (setting) => setting.path.endsWith('endpoint') || setting.path === 'xray.daemonAddress',
)
  .flatMap((setting) => [
    setting.env,
    ...(setting.standard ?? []).map((variable) => (typeof variable === 'string' ? variable : variable.name)),
  ])
  .filter((name) => name !== 'OTEL_EXPORTER_OTLP_ENDPOINT' && name !== 'AWS_XRAY_DAEMON_ADDRESS');

/** The short cadences `lookout dev` gives the app, unless its environment sets its own. */
const DEV_CADENCES = [
  ['OTEL_BSP_SCHEDULE_DELAY', '500'],
  ['OTEL_METRIC_EXPORT_INTERVAL', '2000'],
  ['OTEL_BLRP_SCHEDULE_DELAY', '500'],
  ['LOOKOUT_METRICS_FLUSH_INTERVAL_MS', '1000'],
] as const;

/**
 * Variables `lookout dev` sets for the app. Exporter endpoints always point here; the
 * cadences are short so telemetry shows up within a second or two, unless the app's
 * environment already sets them.
 */
export function createAppEnv(endpoints: AppEndpoints, base: Readonly<NodeJS.ProcessEnv>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoints.otlpUrl;
  env.AWS_XRAY_DAEMON_ADDRESS = endpoints.xrayAddress;
  // Signal-specific endpoints win over the base one in every OpenTelemetry SDK, and Lookout's
  // own over both: clear them so nothing goes elsewhere.
  for (const name of ENDPOINT_VARIABLES) delete env[name];
  // "Already set" as the app reads it: a blank value is unset to Lookout and OpenTelemetry, and
  // would leave the app on the slow defaults (5 s for spans, a minute for metrics).
  for (const [name, value] of DEV_CADENCES) if (readEnv(env, name) === undefined) env[name] = value;
  return env;
}

export interface RunningApp {
  readonly child: ChildProcess;
  /**
   * Resolves when the app has exited and its output is read to the end, or OUTPUT_GRACE_MS
   * after it exited while a process it started still holds its output (which is read on).
   */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Asks the app to stop (SIGTERM, SIGKILL after `graceMs`) and waits for `done`. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * How long the app's output is still waited for once it has exited. Its stdout and stderr end
 * when every process holding them has let go: a process the app started (a server a script ran
 * in the background, a watcher's child) may hold them for as long as it lives, and waiting for
 * that showed the app as running, held `POST /api/app/stop` and left Ctrl-C without effect. What
 * such a process writes later is still read.
 */
export const OUTPUT_GRACE_MS = 2000;

/**
 * Most bytes of echoed lines left waiting for the reader of lookout dev's stdout or stderr. Node
 * writes to a pipe asynchronously: a reader that stops reading (`lookout dev -- app | less`
 * while the pager waits) had every line the app wrote kept in this process's memory. Past this,
 * lines are not printed (the viewer still gets them), and a note says how many once the reader
 * has caught up.
 */
export const MAX_ECHO_BACKLOG_BYTES = 16 * 1024 * 1024;

/**
 * Prints lines on `echo` as the app wrote them, skipping them while its reader is
 * MAX_ECHO_BACKLOG_BYTES behind; `finish` ends an unfinished last line, so that what lookout dev
 * prints next starts a line of its own.
 */
function createEcho(echo: Writable): { print(raw: Buffer): void; finish(): void } {
  let skipped = 0;
  let midLine = false;
  const note = () => {
    if (skipped > 0 && echo.writable)
      echo.write(
        `lookout dev: ${skipped} lines not printed: the reader of this output fell more than ${MAX_ECHO_BACKLOG_BYTES / 1024 / 1024} MiB behind (the viewer has them)\n`,
      );
    skipped = 0;
  };
  return {
    print(raw) {
      // Once the echo's reader has gone (`lookout dev -- app | head`), lines still reach the viewer.
      if (!echo.writable) return;
      if (echo.writableLength > MAX_ECHO_BACKLOG_BYTES) {
        // The write that passed the bound returned false, so 'drain' follows once it is read.
        if (skipped === 0) echo.once('drain', note);
        skipped += 1;
        return;
      }
      echo.write(raw);
      midLine = raw[raw.length - 1] !== 0x0a;
    },
    finish() {
      if (midLine && echo.writable) echo.write('\n');
      midLine = false;
    },
  };
}

function readLines(
  stream: Readable,
  echo: Writable,
  source: 'stdout' | 'stderr',
  store: TelemetryStore,
  showTelemetry: boolean,
): Promise<void> {
  const { print, finish } = createEcho(echo);
  // Lines are split and printed as bytes: what the app wrote is printed unchanged, invalid UTF-8,
  // `\r\n` and lines longer than MAX_LINE_BYTES included (decoded and re-encoded, invalid bytes
  // became U+FFFD, and a long line was printed as lines of 1 MiB).
  const splitter = createLineSplitter((line, raw) => {
    let classified: ReturnType<typeof classifyLine>;
    try {
      classified = classifyLine(line, source, store.nextSeq);
    } catch {
      // Thrown here, an error would be uncaught and end the viewer, and with it the app's output
      // pipe: whatever a line holds that reading it did not foresee, it is one line refused.
      store.reject(source);
      print(raw);
      return;
    }
    const telemetry = classified?.kind === 'metrics' || classified?.kind === 'audit';
    if (showTelemetry || !telemetry) print(raw);
    if (classified === undefined) return;
    if (classified.kind === 'log') store.addLogs([classified.log]);
    else if (classified.kind === 'audit') store.addAudit(classified.audit);
    else store.addMetricPoints(classified.points);
  });
  stream.on('data', (chunk: Buffer) => {
    splitter.push(chunk);
  });
  return once(stream, 'close')
    .then(
      () => undefined,
      () => undefined,
    )
    .then(() => {
      splitter.end();
      finish();
    });
}

/**
 * Starts `command args…` with the given environment.
 *
 * @example
 * const app = runApp(['node', 'server.mjs'], createAppEnv(endpoints, process.env), store);
 */
export function runApp(
  commandLine: readonly string[],
  env: NodeJS.ProcessEnv,
  store: TelemetryStore,
  {
    stdout = process.stdout,
    stderr = process.stderr,
    showTelemetry = false,
  }: { readonly stdout?: Writable; readonly stderr?: Writable; readonly showTelemetry?: boolean } = {},
): RunningApp {
  const [command, ...args] = commandLine;
  if (command === undefined) throw new Error('no command to run');
  const child = spawn(command, args, { env, stdio: ['inherit', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => {
      // Without this line the only trace of a mistyped command is 'exited (code 127)', which
      // reads as the app having run and failed.
      if (stderr.writable) stderr.write(`lookout dev: cannot start ${command}: ${error.message}\n`);
      resolve({ code: 127, signal: null });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const streams = [
    readLines(child.stdout as Readable, stdout, 'stdout', store, showTelemetry),
    readLines(child.stderr as Readable, stderr, 'stderr', store, showTelemetry),
  ];
  const done = exited.then(async (exit) => {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, OUTPUT_GRACE_MS);
    });
    await Promise.race([Promise.all(streams), grace]);
    clearTimeout(timer);
    return exit;
  });
  let stopping: ReturnType<RunningApp['stop']> | undefined;
  return {
    child,
    done,
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          timer.unref();
          const exit = await done;
          clearTimeout(timer);
          return exit;
        }
        return done;
      })();
      return stopping;
    },
  };
}
