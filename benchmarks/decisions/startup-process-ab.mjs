// Wall clock of two builds' start-up, alternated: spawn to exit of
// `node --require <dist>/cjs/register.js -e <app>`, one pair per round (the order swapped every
// round), and the median of the per-round differences. Fewer variants per round than
// startup-wall-clock.mjs, so more rounds fit in the same minutes; the machine's load still
// moves single rounds by more than a small change saves, so read it next to the instruction
// counts of startup-instructions.mjs (docs/decisions/0067-opentelemetry-api-from-one-file.md).
//
//   node benchmarks/decisions/startup-process-ab.mjs --a <dist> --b <dist> [--rounds 60] [--app "require('express')"]
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../lib/stats.mjs';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    rounds: { type: 'string', default: '60' },
    app: { type: 'string', default: '1' },
  },
});
if (values.a === undefined || values.b === undefined)
  throw new Error('--a <dist> and --b <dist> are required');
const builds = { a: resolve(values.a), b: resolve(values.b) };
const env = { PATH: process.env.PATH, LOOKOUT_HANDLE_SIGNALS: 'false' };

/** Milliseconds from spawn to exit of one start of `dist`'s register and the app. */
function start(dist) {
  const began = process.hrtime.bigint();
  const { status, stderr } = spawnSync(
    process.execPath,
    ['--require', `${dist}/cjs/register.js`, '-e', values.app],
    { env, encoding: 'utf8' },
  );
  if (status !== 0) throw new Error(`${dist} exited ${status}: ${stderr}`);
  return Number(process.hrtime.bigint() - began) / 1e6;
}

const load = loadavg()
  .map((value) => value.toFixed(2))
  .join(' ');
const times = { a: [], b: [] };
const differences = [];
for (let round = 0; round < Number(values.rounds); round++) {
  const order = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
  const taken = {};
  for (const name of order) taken[name] = start(builds[name]);
  times.a.push(taken.a);
  times.b.push(taken.b);
  differences.push(taken.b - taken.a);
}
console.log(
  `${values.rounds} alternated rounds, node ${process.version}, app ${values.app}, load ${load} before`,
);
console.log(`a ${builds.a}: ${median(times.a).toFixed(1)} ms`);
console.log(`b ${builds.b}: ${median(times.b).toFixed(1)} ms`);
console.log(`b - a: ${median(differences).toFixed(1)} ms (median of per-round differences)`);
