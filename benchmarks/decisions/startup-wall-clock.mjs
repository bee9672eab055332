// Wall-clock start-up of two builds, alternated in the same run: the time from spawn() to the
// child's first byte on stdout, which it writes once Lookout's preload ran and the app's first
// module loaded (Express, or nothing with --lambda), minus the same for plain node in the same
// round. The machine's load moves these figures; the instruction counts of
// startup-instructions.mjs do not, so read this as the A/B of the same moment
// (docs/decisions/0055-start-up-loads-what-it-starts.md).
//
//   node benchmarks/decisions/startup-wall-clock.mjs --a <dist> [--b <dist>] [--rounds 21] [--lambda]
//
// A build with dist/esm-node/ gets one more variant: `--import` of the file Node resolves
// `lookout/register` to, which loads the CommonJS core (docs/decisions/0061-node-loads-the-commonjs-core.md),
// beside `--import` of the ES module build's own register.js, which bundlers get.
//
// `<dist>` is a build's dist/ folder (`scripts/build.mjs --out-dir`), or the `nodejs/node_modules/
// lookout/dist` folder of an extracted layer. `--lambda` starts each process with the variables
// Lambda sets (no Runtime API: the function's init only) and loads no app module.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../lib/stats.mjs';
import { startupEnv } from './lib/startup-env.mjs';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    rounds: { type: 'string' },
    lambda: { type: 'boolean', default: false },
  },
});
if (values.a === undefined) throw new Error('--a <dist> is required');
const rounds = Number(values.rounds ?? 21);
const app = values.lambda
  ? "process.stdout.write('ready')"
  : "require('express'); process.stdout.write('ready')";

/** @type {Record<string, string[]>} */
const variants = { bare: ['-e', app] };
const builds = [['a', resolve(values.a)]];
if (values.b !== undefined) builds.push(['b', resolve(values.b)]);
for (const [name, dist] of builds) {
  variants[`${name}: --require register`] = ['--require', `${dist}/cjs/register.js`, '-e', app];
  variants[`${name}: --import register`] = ['--import', `${dist}/esm/register.js`, '-e', app];
  if (existsSync(`${dist}/esm-node/register.js`))
    variants[`${name}: --import register (Node)`] = ['--import', `${dist}/esm-node/register.js`, '-e', app];
}

const env = startupEnv({ lambda: values.lambda });

/**
 * Milliseconds from spawn() to the child's first stdout byte; the child is then killed.
 * @param {string[]} args
 * @returns {Promise<number>}
 */
function timeToReady(args) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => {
      resolvePromise(performance.now() - started);
      child.kill('SIGKILL');
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before writing`)));
  });
}

/** @type {Record<string, number[]>} */
const added = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
const loadBefore = loadavg();
for (let round = 0; round < rounds; round++) {
  let bare = 0;
  for (const [name, args] of Object.entries(variants)) {
    const elapsed = await timeToReady(args);
    if (name === 'bare') bare = elapsed;
    added[name]?.push(elapsed - bare);
  }
}
console.log(
  `${rounds} alternated rounds, node ${process.version}, load average ${loadBefore.map((n) => n.toFixed(2)).join(' ')} before, ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')} after`,
);
for (const name of Object.keys(variants).filter((entry) => entry !== 'bare'))
  console.log(
    `${name.padEnd(32)} +${median(added[name] ?? []).toFixed(1)} ms over bare (median of per-round differences)`,
  );
