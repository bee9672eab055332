// What readable stack frames cost at start-up (docs/decisions/0041-readable-stack-frames.md):
// the build printed three ways, each entry loaded under `require` and `import`, counted in
// instructions with valgrind's cachegrind (steady on a busy machine, unlike wall time).
//
//   node benchmarks/decisions/readable-frames.mjs
//
// - minified: every bundle minified on long lines (the build before decision 0041);
// - readable: every bundle printed readable (one statement a line, `// src/…` markers);
// - split:    the core minified with lines of at most 160 characters, the rest readable (the build).
//
// Needs valgrind (Debian package `valgrind`). Each case runs twice; the table shows the mean in
// millions of instructions above `node -e 1`, and each bundle's bytes.
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MODES = ['minified', 'readable', 'split'];
const ENTRIES = ['register', 'index', 'express/index', 'lambda/index'];

function instructions(args) {
  const { stderr } = spawnSync(
    'valgrind',
    ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, ...args],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        LOOKOUT_HANDLE_SIGNALS: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      },
    },
  );
  const count = /I\s+refs:\s+([\d,]+)/.exec(stderr)?.[1];
  if (count === undefined) throw new Error(`valgrind gave no instruction count:\n${stderr.slice(-2000)}`);
  return Number(count.replaceAll(',', ''));
}

const mean = (args) => (instructions(args) + instructions(args)) / 2;

for (const mode of MODES) {
  execFileSync(
    process.execPath,
    [join(root, 'scripts', 'build.mjs'), '--out-dir', `.scratch/frames-${mode}`, '--print', mode, '--quiet'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

const base = mean(['-e', '1']);
console.log(
  `node ${process.version}; millions of instructions above \`node -e 1\` (${(base / 1e6).toFixed(1)}), mean of 2 runs\n`,
);
console.log(`| load | ${MODES.join(' | ')} |`);
console.log(`| --- | ${MODES.map(() => '---').join(' | ')} |`);
for (const entry of ENTRIES) {
  for (const how of ['require', 'import']) {
    const cells = MODES.map((mode) => {
      const file = join(root, '.scratch', `frames-${mode}`, how === 'require' ? 'cjs' : 'esm', `${entry}.js`);
      const args =
        how === 'require'
          ? ['-e', `require(${JSON.stringify(file)})`]
          : ['--input-type=module', '-e', `await import(${JSON.stringify(file)})`];
      return ((mean(args) - base) / 1e6).toFixed(1);
    });
    console.log(`| ${how} ${entry} | ${cells.join(' | ')} |`);
  }
}
console.log(`\n| bundle (cjs) | ${MODES.join(' | ')} |`);
console.log(`| --- | ${MODES.map(() => '---').join(' | ')} |`);
for (const entry of ['core', ...ENTRIES, 'cli/main']) {
  const cells = MODES.map((mode) =>
    statSync(join(root, '.scratch', `frames-${mode}`, 'cjs', `${entry}.js`)).size.toLocaleString('en'),
  );
  console.log(`| ${entry}.js | ${cells.join(' | ')} |`);
}
