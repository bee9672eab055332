// Benchmark worker: cost of path redaction rules (`user.*.ssn`) inside Lookout's redaction
// walk, against doing them with @pinojs/redact (pino's path redactor) before the same walk.
// Lookout has to walk every value anyway (key rules at any depth, value patterns, cycles,
// Errors), so the question is whether a separate path pass pays for itself.
//
//   node benchmarks/workers/redaction-paths.mjs --variant lookout-trie --result /tmp/r.json
//
// Variants:
//   lookout-trie    createRedactionPolicy({ paths }): paths matched during the one walk
//   pinojs-redact   @pinojs/redact({ paths }) selective clone, then the walk without paths
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    variant: { type: 'string' },
    result: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const VARIANTS = ['lookout-trie', 'pinojs-redact'];
if (!VARIANTS.includes(values.variant ?? '') || values.result === undefined) {
  process.stderr.write(
    `usage: redaction-paths.mjs --variant ${VARIANTS.join('|')} --result <file> [--quick]\n`,
  );
  process.exit(2);
}

// The policy compiler is internal to the core; this is the module instance `lookout` loads.
const { createRedactionPolicy } = await import('../../dist/esm/core.js');
const PATHS = ['user.*.ssn', 'headers["x-session"]', 'items[*].secretRef'];
const VALUE = {
  user: { a: { ssn: '078-05-1120', name: 'Ann' }, b: { ssn: '219-09-9999', name: 'Bob' } },
  headers: { 'x-session': 's-1', accept: 'application/json', host: 'api.example.com' },
  items: [
    { sku: 'A-1', secretRef: 'r-1' },
    { sku: 'B-7', secretRef: 'r-2' },
  ],
  note: 'hello world',
  total: 3,
};

let redact;
if (values.variant === 'lookout-trie') {
  const policy = createRedactionPolicy({ paths: PATHS });
  redact = (value) => policy.redact(value);
} else {
  const pinoRedact = createRequire(import.meta.url)('@pinojs/redact');
  const paths = pinoRedact({ paths: PATHS, serialize: false });
  const policy = createRedactionPolicy({});
  redact = (value) => policy.redact(paths(value));
}

const WARMUP = values.quick ? 5_000 : 50_000;
const MEASURE_MS = values.quick ? 300 : 3_000;
for (let index = 0; index < WARMUP; index += 1) redact(VALUE);
let operations = 0;
let elapsed = 0;
const started = performance.now();
let sink = 0;
while (elapsed < MEASURE_MS) {
  for (let index = 0; index < 1_000; index += 1) sink += JSON.stringify(redact(VALUE)).length;
  operations += 1_000;
  elapsed = performance.now() - started;
}
if (sink === 0) throw new Error('nothing was redacted');
const result = {
  operationsPerSecond: Math.round((operations / elapsed) * 1000),
  operations,
  durationMs: Math.round(elapsed),
};
writeFileSync(values.result, `${JSON.stringify(result)}\n`);
