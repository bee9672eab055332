// Counts the instructions one request costs with each Express middleware set, with valgrind's
// cachegrind (lib/count-request-instructions.mjs: the server under valgrind, the client in this
// process, the difference of two runs once warm). Instruction counts hold still when other work
// shares the machine, unlike requests per second; JIT and GC timing still move them by a few per
// cent between runs.
//
//   npm run build && node benchmarks/decisions/express-request-instructions.mjs \
//     [--exporter none|otlp] [--requests 2000] [--warmup 3000]
//
// With `--exporter otlp` the spans go to a loopback OTLP sink in this process, so their
// encoding and sending are counted too. Needs valgrind (Debian package `valgrind`). Takes long.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getFreePort } from '../lib/server-process.mjs';
import { startOtlpSink } from '../sinks/otlp-sink.mjs';
import { countRequestInstructions } from './lib/count-request-instructions.mjs';

const { values: options } = parseArgs({
  options: {
    exporter: { type: 'string', default: 'none' },
    requests: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '3000' },
  },
});
if (options.exporter !== 'none' && options.exporter !== 'otlp')
  throw new Error(`--exporter is none or otlp, not ${options.exporter}`);

const root = fileURLToPath(new URL('../..', import.meta.url));
const MODES = [
  ['none', 'Express alone, no Lookout'],
  ['bare', 'lookout/register, no middleware'],
  ['observe-no-log', '+ observe({ accessLog: false })'],
  ['observe', '+ observe()'],
  ['all', '+ observe(), auditMiddleware(), express.json(), securityMonitor()'],
];

const sink = await startOtlpSink();
try {
  console.log(
    `node ${process.version}; exporter ${options.exporter}; thousands of instructions per request (${Number(options.warmup) + Number(options.requests)} minus ${options.warmup} requests)\n`,
  );
  console.log('| middleware | per request | added |');
  console.log('| --- | --- | --- |');
  let alone;
  for (const [mode, label] of MODES) {
    const perRequest = await countRequestInstructions({
      args: [
        ...(mode === 'none' ? [] : ['--import', 'lookout/register']),
        'benchmarks/decisions/express-request-app.mjs',
      ],
      env: {
        PATH: process.env.PATH,
        MODE: mode,
        OTEL_TRACES_EXPORTER: options.exporter,
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
        // See request-instructions.mjs: timers stretched by valgrind's slowness.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
        LOOKOUT_SHUTDOWN_TIMEOUT_MS: '120000',
      },
      cwd: root,
      getPort: getFreePort,
      route: { method: 'GET', path: '/orders/1', expected: 200 },
      warmup: Number(options.warmup),
      requests: Number(options.requests),
    });
    alone ??= perRequest;
    const added =
      mode === 'none'
        ? ''
        : `+${(perRequest - alone).toFixed(0)} (+${(((perRequest - alone) / alone) * 100).toFixed(0)} %)`;
    console.log(`| ${label} | ${perRequest.toFixed(0)} | ${added} |`);
  }
  console.log(`\nspans received by the sink: ${sink.stats().spans}`);
} finally {
  await sink.close();
}
