// Runs the W3C Trace Context test suite (w3c/trace-context, its `test/` folder: Python 3 and
// aiohttp) against Lookout: starts test/fixtures/trace-context-service.mjs with
// `--import lookout/register` (run `npm run build` first), points the suite's harness at it,
// and exits with the suite's status. The suite is not part of this repository; check it out
// yourself (docs/conformance.md).
//
//   node scripts/run-w3c-trace-context-suite.mjs --suite ../trace-context/test [--python python3] [--level 2]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    suite: { type: 'string' },
    python: { type: 'string', default: 'python3' },
    level: { type: 'string', default: '2' },
  },
});
if (values.suite === undefined || !existsSync(join(values.suite, 'test.py'))) {
  console.error(
    'usage: node scripts/run-w3c-trace-context-suite.mjs --suite <w3c/trace-context checkout>/test',
  );
  process.exit(2);
}

const service = spawn(
  process.execPath,
  ['--import', 'lookout/register', join(root, 'test', 'fixtures', 'trace-context-service.mjs')],
  {
    cwd: root,
    env: { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'none', OTEL_SERVICE_NAME: 'trace-context-service' },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise((resolveUrl, reject) => {
  let output = '';
  service.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(output);
    if (match) resolveUrl(match[1]);
  });
  service.once('exit', (code) => reject(new Error(`the test service exited (${code}) before listening`)));
});

const suite = spawn(values.python, ['test.py', url], {
  cwd: resolve(values.suite),
  env: { ...process.env, SPEC_LEVEL: values.level, STRICT_LEVEL: '2' },
  stdio: 'inherit',
});
const code = await new Promise((resolveCode) => suite.once('exit', (exitCode) => resolveCode(exitCode ?? 1)));
service.kill();
process.exit(code);
