// Internal or external extension for delivering telemetry after the response
// (docs/decisions/0010-lambda-delivery-after-response.md): what each route costs before any
// telemetry. `internal-floor` is the bare handler with Lookout's internal extension registered
// (unarmed: it goes straight back to /next); `external-floor` is the bare handler with the least
// external extension written in Node.js (a process that registers and goes straight back to
// /next). Both against `bare`, through the scenario c and d workers, alternated per round.
//
//   npm run build && node benchmarks/decisions/lambda-delivery-route.mjs [--rounds 3]
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from '../lib/stats.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string' } } });
const rounds = Number(values.rounds ?? 3);
const root = fileURLToPath(new URL('../..', import.meta.url));
const VARIANTS = ['bare', 'internal-floor', 'external-floor'];
const samples = new Map(VARIANTS.map((variant) => [variant, []]));

function run(worker, variant) {
  const result = join(tmpdir(), `lookout-route-${process.pid}.json`);
  const outcome = spawnSync(
    process.execPath,
    [join(root, 'benchmarks', 'workers', `${worker}.mjs`), '--variant', variant, '--result', result],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (outcome.status !== 0) throw new Error(`${worker} ${variant} failed`);
  const { metrics } = JSON.parse(readFileSync(result, 'utf8'));
  rmSync(result, { force: true });
  return metrics;
}

const loadBefore = loadavg();
for (let round = 0; round < rounds; round++)
  for (const variant of VARIANTS)
    samples.get(variant).push({ ...run('lambda-init', variant), ...run('lambda-overhead', variant) });
const loadAfter = loadavg();

const keys = ['initMs', 'callerUs', 'billedUs', 'cpuUs'];
console.log(`| variant | ${keys.join(' | ')} |`);
console.log(`| --- | ${keys.map(() => '---:').join(' | ')} |`);
for (const variant of VARIANTS) {
  const row = keys.map((key) =>
    median(samples.get(variant).map((sample) => sample[key])).toFixed(key === 'initMs' ? 1 : 0),
  );
  console.log(`| ${variant} | ${row.join(' | ')} |`);
}
console.log(
  `\nmedians of ${rounds} rounds; load average ${loadBefore.map((load) => load.toFixed(2)).join(' ')} before, ${loadAfter.map((load) => load.toFixed(2)).join(' ')} after`,
);
