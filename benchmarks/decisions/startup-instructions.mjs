// Counts the instructions each start-up phase costs, with valgrind's cachegrind. Unlike wall
// time, instruction counts do not move when other work shares the machine, so they can
// compare build changes on a busy 2-core box (docs/decisions/0001-tracing-composition.md).
//
//   npm run build && node benchmarks/decisions/startup-instructions.mjs [--dist <dir>]
//
// `--dist` measures another build's dist/ folder (one built with `scripts/build.mjs --out-dir`),
// so two builds can be compared; packages still resolve from this checkout's node_modules.
//
// Needs valgrind (Debian package `valgrind`). Each variant runs twice; the table shows the
// mean in millions of instructions and the difference from the previous row.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { dist: { type: 'string' } } });
const dist = resolve(values.dist ?? `${root}dist`);
const core = JSON.stringify(`${dist}/cjs/core.js`);
const index = JSON.stringify(`${dist}/cjs/index.js`);
const VARIANTS = [
  ['node -e 1', '1'],
  ['+ @opentelemetry/api', "require('@opentelemetry/api')"],
  [
    '+ import-in-the-middle + lookout core bundle',
    `require('@opentelemetry/api'); require('import-in-the-middle'); require(${core})`,
  ],
  ['+ init() (http, express, undici, aws-sdk)', `require(${index}).init()`],
  ['+ require("express") under instrumentation', `require(${index}).init(); require('express')`],
  ['bare require("express")', "require('express')"],
  // What `node --import lookout/register` costs, the way the cold start scenario starts an app.
  ['--import lookout/register (ES module build)', '1', ['--import', `${dist}/esm/register.js`]],
  // What Node resolves `lookout/register` to since decision 0061: the CommonJS core, loaded with
  // require() from an ES module entry.
  ...(existsSync(`${dist}/esm-node/register.js`)
    ? [["--import lookout/register (Node's entry)", '1', ['--import', `${dist}/esm-node/register.js`]]]
    : []),
];

function instructions(script, nodeArgs = []) {
  // valgrind reports on stderr.
  const { stderr } = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      ...nodeArgs,
      '-e',
      script,
    ],
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

console.log(`node ${process.version}; instructions (millions), mean of 2 runs\n`);
console.log('| phase | instructions | added |');
console.log('| --- | --- | --- |');
let previous;
for (const [label, script, nodeArgs] of VARIANTS) {
  const mean = (instructions(script, nodeArgs) + instructions(script, nodeArgs)) / 2 / 1e6;
  const added =
    previous === undefined || label.startsWith('bare') || label.startsWith('--import')
      ? ''
      : `+${(mean - previous).toFixed(0)}`;
  console.log(`| ${label} | ${mean.toFixed(0)} | ${added} |`);
  previous = mean;
}
