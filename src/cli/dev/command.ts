import { join } from 'node:path';
import { getPackageRoot } from '../package-root.js';
import { reportUsageError, UsageError } from '../parse-command-args.js';
import { DEFAULT_DEV_PORTS, type DevArgs, parseDevArgs } from './parse-dev-args.js';
import { type DevSession, startDev } from './start-dev.js';
import { DEFAULT_MEMORY_MIB } from './telemetry-store.js';

const USAGE = `Usage: lookout dev [options] [-- command args…]

Starts a local receiver and viewer for what an app emits, on 127.0.0.1 only:
  OTLP/HTTP (traces, metrics, logs; protobuf and JSON), an X-Ray daemon UDP socket,
  and a web page with traces, logs, metrics and audit entries, updated live.
With a command after --, runs it with its telemetry pointed here and reads its stdout and
stderr: log lines and anything else it writes are printed as they come; EMF metric
documents and audit entries go to the viewer only (--show-telemetry prints them too).

Options:
  --port N          the viewer's web page (default ${DEFAULT_DEV_PORTS.ui}; 0 picks a free port)
  --otlp-port N     OTLP/HTTP receiver (default ${DEFAULT_DEV_PORTS.otlp})
  --xray-port N     X-Ray daemon UDP receiver (default ${DEFAULT_DEV_PORTS.xray})
  --max-traces N    traces kept in memory (default 1000); older ones are dropped and counted
  --max-spans N     spans kept over all traces (default 20000)
  --max-logs N      log lines kept (default 10000)
  --max-metrics N   metric points kept (default 20000)
  --max-audit N     audit entries kept (default 2000)
  --max-memory N    MiB of records kept over all kinds (default ${DEFAULT_MEMORY_MIB}; spans 1/2, logs 1/4,
                    metrics and audit 1/8 each); the oldest are dropped and counted
  --show-telemetry  also print the app's EMF documents and audit entries
  -h, --help        show this help

Example:
  lookout dev -- node --import lookout/register server.mjs
`;

/** Where the page's files are: dist/ui in the installed package. */
function findUiDir(): string {
  return join(getPackageRoot(), 'dist', 'ui');
}

function describeStartError(error: unknown, args: DevArgs): string {
  const { code, port } = error as { code?: string; port?: number };
  if (code === 'EADDRINUSE') {
    const flag = port === args.otlpPort ? '--otlp-port' : port === args.xrayPort ? '--xray-port' : '--port';
    return `port ${port} on 127.0.0.1 is already in use (a collector or another lookout dev?); choose another with ${flag} N`;
  }
  return (error as Error).message ?? String(error);
}

function banner(session: DevSession, command: readonly string[]): string {
  const lines = [
    `lookout dev: viewer  ${session.urls.ui}`,
    `lookout dev: OTLP    ${session.urls.otlp} (traces, metrics, logs; http/protobuf and http/json)`,
    `lookout dev: X-Ray   udp://${session.urls.xray}`,
  ];
  if (command.length > 0) lines.push(`lookout dev: running ${command.join(' ')}`);
  else
    lines.push(
      `lookout dev: point an app here with OTEL_EXPORTER_OTLP_ENDPOINT=${session.urls.otlp} AWS_XRAY_DAEMON_ADDRESS=${session.urls.xray}`,
    );
  return `${lines.join('\n')}\n`;
}

/**
 * `lookout dev [--port N] [--otlp-port N] [--xray-port N] [-- command args…]`: runs until
 * SIGINT or SIGTERM, then stops the app and resolves to 0.
 *
 * @example
 * process.exitCode = await run(['--', 'node', '--import', 'lookout/register', 'server.mjs']);
 */
export async function run(argv: readonly string[]): Promise<number> {
  let args: DevArgs;
  try {
    args = parseDevArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError('dev', error);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // When whatever reads this process's output goes away (`lookout dev -- app | head`, a closed
  // pager), a write fails with EPIPE: unhandled, that error would end the viewer, and with it the
  // app, whose output pipe closes. The echo stops instead; the viewer and the app run on.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  let session: DevSession;
  try {
    session = await startDev({ ...args, uiDir: findUiDir() });
  } catch (error) {
    process.stderr.write(`lookout dev: ${describeStartError(error, args)}\n`);
    return 1;
  }
  process.stdout.write(banner(session, args.command));
  let stopping = false;
  void session.app?.done.then(({ code, signal }) => {
    if (stopping) return;
    process.stdout.write(
      `lookout dev: the app exited (${signal ?? `code ${code}`}); the viewer keeps running at ${session.urls.ui} (Ctrl-C to stop)\n`,
    );
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  stopping = true;
  process.stdout.write('lookout dev: stopping\n');
  await session.close();
  return 0;
}
