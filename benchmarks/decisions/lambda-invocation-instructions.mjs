// Counts the instructions one wrapped Lambda invocation costs in-process, with valgrind's
// cachegrind: benchmarks/decisions/lambda-invocation-cost.mjs drives `--low` and then `--high`
// invocations (the work before the response and the delivery after it), and the difference
// divided by the difference in invocations is the per-invocation cost (start-up and warm-up
// cancel out). The same driver with the handler alone (`bare`) is the floor every variant is
// compared with. Instruction counts hold still when other work shares the machine, unlike
// microseconds; JIT and GC timing still move them by a few per cent between runs.
//
//   npm run build && node benchmarks/decisions/lambda-invocation-instructions.mjs [--runs 2] [--only xray]
//
// Needs valgrind (Debian package `valgrind`). Takes a few minutes.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    low: { type: 'string' },
    high: { type: 'string' },
    only: { type: 'string' },
  },
});
const runs = Number(values.runs ?? 2);
const low = Number(values.low ?? 300);
const high = Number(values.high ?? 1300);
const root = fileURLToPath(new URL('../..', import.meta.url));

const VARIANTS = [
  ['bare', 'the handler alone (the floor)', ['--handler', 'bare']],
  ['xray', 'wrap(), spans to the X-Ray daemon (UDP)', []],
  ['otlp', 'wrap(), spans over OTLP', ['--otlp']],
].filter(([name]) => name === 'bare' || values.only === undefined || values.only.split(',').includes(name));

function instructions(args, count) {
  // valgrind reports on stderr.
  const { stderr } = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      'benchmarks/decisions/lambda-invocation-cost.mjs',
      '--warmup',
      '0',
      '--count',
      String(count),
      ...args,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH, LOOKOUT_HANDLE_SIGNALS: 'false' },
    },
  );
  const found = /I\s+refs:\s+([\d,]+)/.exec(stderr)?.[1];
  if (found === undefined) throw new Error(`valgrind gave no instruction count:\n${stderr.slice(-2000)}`);
  return Number(found.replaceAll(',', ''));
}

const loadBefore = loadavg();
console.log(
  `node ${process.version}; thousands of instructions per invocation (${high} minus ${low} invocations), mean of ${runs} runs\n`,
);
console.log('| variant | per invocation | added to bare |');
console.log('| --- | ---: | ---: |');
let bare;
for (const [name, label, args] of VARIANTS) {
  let sum = 0;
  for (let run = 0; run < runs; run++)
    sum += (instructions(args, high) - instructions(args, low)) / (high - low);
  const perInvocation = sum / runs / 1000;
  bare ??= perInvocation;
  const added = name === 'bare' ? '' : `+${(perInvocation - bare).toFixed(0)}`;
  console.log(`| ${label} | ${perInvocation.toFixed(0)} | ${added} |`);
}
const loadAfter = loadavg();
console.log(
  `\nload average ${loadBefore.map((load) => load.toFixed(2)).join(' ')} before, ${loadAfter.map((load) => load.toFixed(2)).join(' ')} after`,
);
