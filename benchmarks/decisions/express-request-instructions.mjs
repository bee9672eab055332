// Counts the instructions one request costs with each Express middleware set, with valgrind's
// cachegrind: the app serves 200 and then 1,200 requests, and the difference divided by 1,000
// is the per-request cost (start-up and warm-up cancel out). Instruction counts hold still
// when other work shares the machine, unlike requests per second; JIT and GC timing still move
// them by a few per cent between runs.
//
//   npm run build && node benchmarks/decisions/express-request-instructions.mjs
//
// Needs valgrind (Debian package `valgrind`). Takes several minutes.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MODES = [
  ['none', 'Express alone, no Lookout'],
  ['bare', 'lookout/register, no middleware'],
  ['observe-no-log', '+ observe({ accessLog: false })'],
  ['observe', '+ observe()'],
  ['all', '+ observe(), auditMiddleware(), express.json(), securityMonitor()'],
];

function instructions(mode, requests) {
  const { stderr } = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      ...(mode === 'none' ? [] : ['--import', 'lookout/register']),
      'benchmarks/decisions/express-request-app.mjs',
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        MODE: mode,
        N: String(requests),
        OTEL_TRACES_EXPORTER: 'none',
        LOOKOUT_HANDLE_SIGNALS: 'false',
      },
    },
  );
  const count = /I\s+refs:\s+([\d,]+)/.exec(stderr)?.[1];
  if (count === undefined) throw new Error(`valgrind gave no instruction count:\n${stderr.slice(-2000)}`);
  return Number(count.replaceAll(',', ''));
}

console.log(`node ${process.version}; thousands of instructions per request (1,200 minus 200 requests)\n`);
console.log('| middleware | per request | added |');
console.log('| --- | --- | --- |');
let bare;
for (const [mode, label] of MODES) {
  const perRequest = (instructions(mode, 1200) - instructions(mode, 200)) / 1000 / 1000;
  bare ??= perRequest;
  const added =
    mode === 'none'
      ? ''
      : `+${(perRequest - bare).toFixed(0)} (+${(((perRequest - bare) / bare) * 100).toFixed(0)} %)`;
  console.log(`| ${label} | ${perRequest.toFixed(0)} | ${added} |`);
}
