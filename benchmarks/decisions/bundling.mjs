// Measures what bundling Powertools into Lookout's core saves at start-up, against a build
// that keeps it as separate packages
// (docs/decisions/0002-bundle-api-and-powertools.md).
//
//   npm run build && node benchmarks/decisions/bundling.mjs [--runs 25]
//
// Builds the alternative into .scratch/bundling-external with `scripts/build.mjs --external`,
// then spawns, alternated (A B C D E A B C D E ...), `node -e ""` (bare), `require()` of each
// build's core, and `--import` of each build's register entry with no app, and prints each
// variant's median and its median difference to bare within the same round.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../lib/stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 25;
const external = join(root, '.scratch', 'bundling-external');
const UNBUNDLED = ['@aws-lambda-powertools/*'];

execFileSync(
  process.execPath,
  [join(root, 'scripts', 'build.mjs'), '--quiet', '--out-dir', external, '--external', UNBUNDLED.join(',')],
  { cwd: root, stdio: 'inherit' },
);

const variants = {
  bare: ['-e', ''],
  'core, separate packages': ['-e', `require(${JSON.stringify(join(external, 'cjs', 'core.js'))})`],
  'core, bundled': ['-e', `require(${JSON.stringify(join(root, 'dist', 'cjs', 'core.js'))})`],
  'register, separate packages': ['--import', join(external, 'esm', 'register.js'), '-e', ''],
  'register, bundled': ['--import', join(root, 'dist', 'esm', 'register.js'), '-e', ''],
};

// The app's environment minus anything that would configure Lookout or an exporter.
const env = { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'none' };
const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
const differences = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let round = 0; round < runs; round += 1) {
  let bare = 0;
  for (const [name, args] of Object.entries(variants)) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const elapsed = performance.now() - started;
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    if (name === 'bare') bare = elapsed;
    samples[name].push(elapsed);
    differences[name].push(elapsed - bare);
  }
}

console.log(
  `${runs} alternated rounds, Node ${process.version}, load average ${(await import('node:os'))
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
for (const name of Object.keys(variants)) {
  console.log(
    `${name.padEnd(30)} ${median(samples[name]).toFixed(1).padStart(7)} ms   +${median(differences[name]).toFixed(1)} ms over bare`,
  );
}
