// Counts the instructions of a Lambda function's process, with valgrind's cachegrind, the way
// scenarios c and d run it: the real runtime interface client started by the bootstrap
// stand-in, against the Runtime API stand-in (Extensions API and freeze included), the same
// event per invocation. Two counts per variant:
//
//   init            the process from its start to its first /next, when it is ended (what Lambda
//                   reports as Init Duration);
//   per invocation  (instructions after `--high` invocations minus after `--low`) divided by
//                   the difference: everything the process does per warm invocation, before and
//                   after the response, the runtime client's and the extension's work included.
//
// Instruction counts hold still when other work shares the machine, unlike the microseconds of
// scenario d; JIT and GC timing still move them by a few per cent between runs. Only the
// Node.js process is counted, not the bash bootstrap or the layer's exec wrapper.
//
//   npm run build && node benchmarks/decisions/lambda-function-instructions.mjs [--variants bare,lookout-wrap-xray] [--runs 1]
//
// Needs valgrind (Debian package `valgrind`). Takes several minutes per variant.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { useInfrastructure } from '../lib/infrastructure.mjs';
import { HTTP_EVENT, newTraceHeader, startLambdaFunction } from '../lib/lambda-function.mjs';
import { startLambdaRuntimeApi } from '../sinks/lambda-runtime-api.mjs';

const { values } = parseArgs({
  options: {
    variants: { type: 'string' },
    runs: { type: 'string' },
    low: { type: 'string' },
    high: { type: 'string' },
  },
});
const variants = (values.variants ?? 'bare,lookout-wrap-xray,lookout-wrap,lookout-layer').split(',');
const runs = Number(values.runs ?? 1);
const low = Number(values.low ?? 100);
const high = Number(values.high ?? 600);

// The bootstrap runs `node` from PATH: a shim first on PATH runs it under cachegrind. The
// process is ended with SIGQUIT, which nothing in it handles: the runtime interface client
// blocks the main thread while it waits on /next, so a JavaScript signal handler would never
// run, and cachegrind reports on a death by signal too (no core file: `ulimit -c 0`).
const shimDir = mkdtempSync(join(tmpdir(), 'lookout-valgrind-'));
const logFile = join(shimDir, 'valgrind.log');
writeFileSync(
  join(shimDir, 'node'),
  `#!/bin/sh\nulimit -c 0\nexec valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null --log-file=${logFile} ${process.execPath} "$@"\n`,
);
chmodSync(join(shimDir, 'node'), 0o755);
process.env.PATH = `${shimDir}:${process.env.PATH}`;

const infrastructure = await useInfrastructure();

/** Instructions of one function process that served `count` invocations. */
async function instructions(variant, count) {
  rmSync(logFile, { force: true });
  const api = await startLambdaRuntimeApi();
  const fn = await startLambdaFunction(variant, infrastructure, api);
  try {
    await Promise.race([
      api.firstNext,
      fn.exited.then(() => {
        throw new Error(`${variant} exited during init:\n${fn.stderr()}`);
      }),
    ]);
    for (let index = 0; index < count; index++) {
      const outcome = await api.invoke(HTTP_EVENT, { traceHeader: newTraceHeader() });
      if (outcome.status !== 'response')
        throw new Error(`${variant}: invocation ${index} failed: ${outcome.body}`);
    }
    // Let the last invocation's delivery end (the runtime and the extension are back on /next).
    if (count > 0) await api.invoke(HTTP_EVENT, { traceHeader: newTraceHeader() });
    fn.child.kill('SIGQUIT');
    await fn.exited;
  } finally {
    await fn.stop();
    await api.close();
  }
  const found = /I\s+refs:\s+([\d,]+)/.exec(readFileSync(logFile, 'utf8'))?.[1];
  if (found === undefined) throw new Error(`valgrind gave no instruction count for ${variant}`);
  return Number(found.replaceAll(',', ''));
}

const loadBefore = loadavg();
const rows = [];
for (const variant of variants) {
  let initSum = 0;
  let perSum = 0;
  for (let run = 0; run < runs; run++) {
    initSum += await instructions(variant, 0);
    const atLow = await instructions(variant, low);
    const atHigh = await instructions(variant, high);
    perSum += (atHigh - atLow) / (high - low);
  }
  rows.push({ variant, init: initSum / runs, per: perSum / runs });
  process.stderr.write(`${variant}: done\n`);
}
const loadAfter = loadavg();
await infrastructure.close();
rmSync(shimDir, { recursive: true, force: true });

const bare = rows.find((row) => row.variant === 'bare');
console.log(
  `node ${process.version}; the function's process under cachegrind, ${high} minus ${low} invocations, mean of ${runs} run(s)\n`,
);
console.log('| variant | init (M instr.) | added | per invocation (k instr.) | added |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  const addedInit = bare === undefined || row === bare ? '' : `+${((row.init - bare.init) / 1e6).toFixed(0)}`;
  const addedPer = bare === undefined || row === bare ? '' : `+${((row.per - bare.per) / 1e3).toFixed(0)}`;
  console.log(
    `| ${row.variant} | ${(row.init / 1e6).toFixed(0)} | ${addedInit} | ${(row.per / 1e3).toFixed(0)} | ${addedPer} |`,
  );
}
console.log(
  `\nload average ${loadBefore.map((load) => load.toFixed(2)).join(' ')} before, ${loadAfter.map((load) => load.toFixed(2)).join(' ')} after`,
);
process.exit(0);
