// Where the CommonJS core's start-up goes, timed inside the process: compiling core-impl.js
// (V8 scans the whole file and compiles its top level), evaluating it (every bundled module's
// top-level code, the Node modules it requires, every function that runs compiled on its first
// call), the rest of loading core.js (the api shared from one file, docs/decisions/0067), and
// init(). Each sample is a fresh process; the table gives medians.
//
//   npm run build && node benchmarks/decisions/core-load-phases.mjs [--dist dist] [--runs 15] [--lambda]
//
// The core is compiled here with vm.compileFunction, as Node's loader compiles a CommonJS file,
// so the split is close to, not exactly, what Node does. The child is a file, not `node -e`:
// Node's eval mode loads node:crypto itself, which would hide what the core loads.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compileFunction } from 'node:vm';
import { median } from '../lib/stats.mjs';
import { startupEnv } from './lib/startup-env.mjs';

const PHASES = ['compile', 'evaluate', 'restOfLoad', 'init'];

/** In the child: loads `<dist>/cjs/core.js`, timing core-impl.js's compile and evaluation apart. */
function runChild(dist) {
  const require = createRequire(import.meta.url);
  const Module = require('node:module');
  const original = Module.prototype._compile;
  const times = {};
  Module.prototype._compile = function compileTimed(content, filename) {
    if (!filename.endsWith(`${sep}core-impl.js`)) return original.call(this, content, filename);
    const started = performance.now();
    const body = compileFunction(content, ['exports', 'require', 'module', '__filename', '__dirname'], {
      filename,
    });
    const compiled = performance.now();
    body.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
    times.compile = compiled - started;
    times.evaluate = performance.now() - compiled;
  };
  const loadStarted = performance.now();
  const core = require(`${dist}/cjs/core.js`);
  times.restOfLoad = performance.now() - loadStarted - times.compile - times.evaluate;
  const initStarted = performance.now();
  core.init();
  times.init = performance.now() - initStarted;
  process.stdout.write(`${JSON.stringify(times)}\n`);
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    runs: { type: 'string', default: '15' },
    lambda: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});
if (values.child !== undefined) runChild(values.child);

const dist = resolve(values.dist);
const env = startupEnv({ lambda: values.lambda });
const samples = Object.fromEntries(PHASES.map((phase) => [phase, []]));
const load = loadavg()[0];
for (let run = 0; run < Number(values.runs); run++) {
  const { status, stdout, stderr } = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', dist],
    { env, encoding: 'utf8' },
  );
  if (status !== 0) throw new Error(`the child exited ${status}: ${stderr}`);
  const times = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
  for (const phase of PHASES) samples[phase].push(times[phase]);
}
console.log(
  `${values.runs} processes, ${values.lambda ? 'as a Lambda function' : 'as a server'}, node ${process.version}, load average ${load.toFixed(2)} at the start; medians:`,
);
for (const phase of PHASES) console.log(`  ${phase.padEnd(11)} ${median(samples[phase]).toFixed(1)} ms`);
