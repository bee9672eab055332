// Counts the instructions of a server's cold start as scenario a times it, spawn to the first 200,
// with valgrind's cachegrind: the bench app (benchmarks/apps/express-server.mjs) started under a
// variant's flags and environment (benchmarks/lib/peers.mjs; `lookout-full` mounts observe() and
// errorHandler()), one request from here, and the app ends itself once that response is written
// (lib/exit-after-first-response.cjs, preloaded into every variant). startup-instructions.mjs
// counts `node -e` start-ups without an app or a request; this counts what the first request
// compiles and runs too. With `--until listen` the app ends when it listens instead, so the two
// runs split the start from the first request.
//
// Node publishes `http.server.response.finish` from its own 'finish' listener, the response's
// first: the count ends before any other 'finish' listener and any later subscriber of that
// channel runs, so what Lookout does once a response is written (the access log line, request
// metrics, ending the SERVER span) is not counted, as the client does not wait for it either.
//
//   npm run build && node benchmarks/decisions/first-response-instructions.mjs \
//     [--root <checkout>]... [--variants bare,lookout-full] [--runs 3] [--until listen] [--single-threaded]
//
// `--root` names a checkout holding its own build (dist/), benchmarks/apps and node_modules (a
// copy of this one's, so that `lookout` resolves to that checkout): give it twice to compare two
// builds, the runs alternated. `--single-threaded` passes V8's flag of that name: no compiler or
// GC threads, whose timing otherwise moves a count by a few million between runs of one build.
//
// Needs valgrind (Debian package `valgrind`). Prints each run and, per root and variant, the
// mean and range in millions of instructions.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { commonEnv, getPeer, loadPeerContext } from '../lib/peers.mjs';
import { getFreePort } from '../lib/server-process.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const preload = fileURLToPath(new URL('./lib/exit-after-first-response.cjs', import.meta.url));
const { values } = parseArgs({
  options: {
    root: { type: 'string', multiple: true },
    variants: { type: 'string', default: 'bare,lookout-full' },
    runs: { type: 'string', default: '3' },
    until: { type: 'string', default: 'response' },
    'single-threaded': { type: 'boolean', default: false },
  },
});
const roots = (values.root ?? [root]).map((entry) => resolve(entry));
const context = await loadPeerContext();
// Nothing listens at these: the app's exports fail after the response, if they start at all.
const infrastructure = {
  otlpEndpoint: 'http://127.0.0.1:9',
  xrayAddress: '127.0.0.1:9',
  inventoryUrl: 'http://127.0.0.1:9',
  datadogAgentUrl: 'http://127.0.0.1:9',
};

/** Asks until the app answers (or has ended); refused connections cost the app nothing. */
async function askUntilAnswered(port, exited) {
  while (!exited()) {
    const answered = await new Promise((resolveAnswer) => {
      const req = request({ host: '127.0.0.1', port, path: '/hello/cold-start', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolveAnswer(true));
        res.on('error', () => resolveAnswer(true));
      });
      req.on('error', () => resolveAnswer(false));
      req.end();
    });
    if (answered) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 20));
  }
}

/** Millions of instructions of one cold start of `variantName` from `checkout`. */
async function count(checkout, variantName) {
  const peer = getPeer(variantName);
  const port = await getFreePort();
  const child = spawn(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      ...(values['single-threaded'] ? ['--single-threaded'] : []),
      '--require',
      preload,
      ...peer.nodeArgs,
      'benchmarks/apps/express-server.mjs',
    ],
    {
      cwd: checkout,
      env: {
        PATH: process.env.PATH,
        ...commonEnv(infrastructure),
        ...(peer.env?.(context) ?? {}),
        INVENTORY_URL: infrastructure.inventoryUrl,
        PORT: String(port),
        FIRST_RESPONSE_EXIT: values.until,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  /** @type {import('node:stream').Readable} */ (child.stderr).setEncoding('utf8');
  /** @type {import('node:stream').Readable} */ (child.stderr).on('data', (chunk) => {
    stderr += chunk;
  });
  let ended = false;
  const exited = new Promise((resolveExit) =>
    child.once('exit', () => {
      ended = true;
      resolveExit(undefined);
    }),
  );
  if (values.until !== 'listen') await askUntilAnswered(port, () => ended);
  await exited;
  const expected = values.until === 'listen' ? 'status listening' : 'status 200';
  if (!stderr.includes(expected))
    throw new Error(`${variantName} did not end with ${expected}:\n${stderr.slice(-2000)}`);
  const refs = /I\s+refs:\s+([\d,]+)/.exec(stderr)?.[1];
  if (refs === undefined) throw new Error(`valgrind gave no instruction count:\n${stderr.slice(-2000)}`);
  return Number(refs.replaceAll(',', '')) / 1e6;
}

/** @type {Map<string, number[]>} */
const counts = new Map();
const variants = values.variants.split(',');
console.log(`node ${process.version}; until ${values.until}; millions of instructions`);
for (let run = 0; run < Number(values.runs); run++) {
  // Alternated, so that a drift of the machine's own state falls on every root alike.
  for (const checkout of run % 2 === 0 ? roots : [...roots].reverse()) {
    for (const variant of variants) {
      const key = `${variant} ${checkout}`;
      const millions = await count(checkout, variant);
      counts.set(key, [...(counts.get(key) ?? []), millions]);
      console.log(`${key}: ${millions.toFixed(1)}`);
    }
  }
}
console.log('\n| variant and root | mean | range |\n| --- | ---: | --- |');
for (const [key, list] of counts) {
  const mean = list.reduce((sum, value) => sum + value, 0) / list.length;
  console.log(
    `| ${key} | ${mean.toFixed(1)} | ${Math.min(...list).toFixed(1)}–${Math.max(...list).toFixed(1)} |`,
  );
}
