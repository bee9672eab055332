// Measures what an ES module app pays for import-in-the-middle's loader thread, against
// instrumenting it through require hooks only (docs/decisions/0003-esm-without-loader-thread.md).
//
//   npm run build && node benchmarks/decisions/esm-loader.mjs [--runs 20] [--instructions]
//
// Spawns, alternated round by round, the ES module example app (examples/hello-express/server.mjs)
// bare, with a no-op `module.register` hook alone (the thread's own cost), and with
// `--import lookout/register` under LOOKOUT_ESM_LOADER=always (the loader thread, as every ES
// module app had it before) and =auto (require hooks, no thread). Each sample is spawn -> first
// HTTP 200 of GET /hello/bench; prints each variant's median and its median difference to bare
// within the same round.
//
// --instructions counts instead, with valgrind's cachegrind (Debian package `valgrind`), the
// instructions of every thread of a process that imports Express, builds the app and exits:
// unlike wall time, counts do not move when other work shares the machine.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from '../lib/stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 20;
const app = join(root, 'examples', 'hello-express', 'server.mjs');

const scratch = mkdtempSync(join(tmpdir(), 'lookout-esm-loader-'));
writeFileSync(
  join(scratch, 'hooks.mjs'),
  'export async function resolve(s, c, next) { return next(s, c); }\n',
);
writeFileSync(
  join(scratch, 'register.mjs'),
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(scratch, 'hooks.mjs')).href)});\n`,
);

const variants = {
  bare: { args: [app], env: {} },
  'no-op module.register hook': { args: ['--import', join(scratch, 'register.mjs'), app], env: {} },
  'lookout, loader thread (always)': {
    args: ['--import', 'lookout/register', app],
    env: { LOOKOUT_ESM_LOADER: 'always' },
  },
  'lookout, require hooks (auto)': {
    args: ['--import', 'lookout/register', app],
    env: { LOOKOUT_ESM_LOADER: 'auto' },
  },
};

// Spans go nowhere, so the figure is start-up alone; everything else is Lookout's default.
const baseEnv = { PATH: process.env.PATH, PORT: '0', NODE_ENV: 'production', OTEL_TRACES_EXPORTER: 'none' };

/** Spawn -> first 200, in ms. */
function sample({ args, env }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...baseEnv, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', async (chunk) => {
      output += chunk;
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url === undefined || child.killed) return;
      output = '';
      try {
        const response = await fetch(`${url}/hello/bench`);
        await response.arrayBuffer();
        const elapsed = performance.now() - started;
        child.kill('SIGKILL');
        if (response.status === 200) resolve(elapsed);
        else reject(new Error(`status ${response.status}`));
      } catch (error) {
        child.kill('SIGKILL');
        reject(error);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`exited with ${code ?? signal} before answering`));
    });
  });
}

/** Instructions (all threads) of one run of `args` under cachegrind. */
function instructions({ args, env }) {
  const { stderr, status } = spawnSync(
    'valgrind',
    ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, ...args],
    { cwd: root, encoding: 'utf8', env: { ...baseEnv, ...env } },
  );
  if (status !== 0) throw new Error(`${args.join(' ')} exited with ${status}:\n${stderr.slice(-2000)}`);
  const count = /I\s+refs:\s+([\d,]+)/.exec(stderr)?.[1];
  if (count === undefined) throw new Error(`valgrind gave no instruction count:\n${stderr.slice(-2000)}`);
  return Number(count.replaceAll(',', ''));
}

if (process.argv.includes('--instructions')) {
  const exitingApp = join(scratch, 'app.mjs');
  writeFileSync(
    exitingApp,
    "import express from 'express';\nconst app = express();\napp.get('/', (_req, res) => res.end());\n",
  );
  console.log(`Node ${process.version}; instructions of every thread (millions), mean of 2 runs`);
  try {
    for (const [name, variant] of Object.entries(variants)) {
      const args = variant.args.map((arg) => (arg === app ? exitingApp : arg));
      const mean = (instructions({ ...variant, args }) + instructions({ ...variant, args })) / 2 / 1e6;
      console.log(`${name.padEnd(34)} ${mean.toFixed(0).padStart(6)}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  process.exit(0);
}

const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
const differences = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
try {
  for (let round = 0; round < runs; round += 1) {
    let bare = 0;
    for (const [name, variant] of Object.entries(variants)) {
      const elapsed = await sample(variant);
      if (name === 'bare') bare = elapsed;
      samples[name].push(elapsed);
      differences[name].push(elapsed - bare);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log(
  `${runs} alternated rounds, Node ${process.version}, load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
for (const name of Object.keys(variants)) {
  const sorted = [...samples[name]].sort((a, b) => a - b);
  console.log(
    `${name.padEnd(34)} ${median(samples[name]).toFixed(1).padStart(7)} ms (${sorted[0].toFixed(0)}–${sorted.at(-1).toFixed(0)})   ${name === 'bare' ? '' : `+${median(differences[name]).toFixed(1)} ms over bare (median of per-round differences)`}`,
  );
}
