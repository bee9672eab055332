// What making a span's ids costs with Lookout's X-Ray id generator against
// @opentelemetry/id-generator-aws-xray's, for docs/decisions/0070-ids-spelled-from-a-table.md.
//
//   node benchmarks/decisions/id-generation.mjs [--rounds 11]
//
// Bundles src/tracing/xray-id-generator.ts with esbuild into .scratch/, then, per round, starts
// one fresh process per generator (alternated) that makes one trace id and one span id per
// call, as a root span does: the first 1,000 calls (a new process, V8 not yet optimising, as on
// a Lambda function's first invocations) and 100,000 calls after 50,000 of warm-up. Prints the
// median nanoseconds per call of each over the rounds.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from '../lib/stats.mjs';
import { bundleSource } from './lib/bundle-source.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** In a child: times one generator (from the file the parent bundled) and prints `{ fresh, warm }` in ns per call. */
async function measure(which, outfile) {
  const { XRayIdGenerator } = await import(pathToFileURL(outfile).href);
  const { AWSXRayIdGenerator } = await import('@opentelemetry/id-generator-aws-xray');
  const generator = which === 'lookout' ? new XRayIdGenerator() : new AWSXRayIdGenerator();
  let length = 0;
  const time = (calls) => {
    const start = process.hrtime.bigint();
    for (let call = 0; call < calls; call++)
      length += generator.generateTraceId().length + generator.generateSpanId().length;
    return Number(process.hrtime.bigint() - start) / calls;
  };
  const fresh = time(1_000);
  time(50_000);
  const warm = time(100_000);
  if (length === 0) throw new Error('no ids made');
  process.stdout.write(JSON.stringify({ fresh, warm }));
}

if (process.argv[2] === '--child') {
  await measure(process.argv[3], process.argv[4]);
} else {
  const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
  const rounds = arg('--rounds', 11);
  const outfile = await bundleSource('id-generation', {
    'src/tracing/xray-id-generator.ts': ['XRayIdGenerator'],
  });
  const script = fileURLToPath(import.meta.url);
  /** @type {Record<string, { fresh: number[], warm: number[] }>} */
  const results = { opentelemetry: { fresh: [], warm: [] }, lookout: { fresh: [], warm: [] } };
  console.log(
    `load average before ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['opentelemetry', 'lookout'] : ['lookout', 'opentelemetry'];
    for (const which of order) {
      const output = execFileSync(process.execPath, [script, '--child', which, outfile], {
        cwd: root,
        encoding: 'utf8',
      });
      const { fresh, warm } = JSON.parse(output);
      results[which].fresh.push(fresh);
      results[which].warm.push(warm);
    }
  }
  for (const [which, { fresh, warm }] of Object.entries(results))
    console.log(
      `${which.padEnd(14)} first 1,000 calls ${median(fresh).toFixed(0)} ns per call, after 50,000 ${median(warm).toFixed(0)} ns (trace id + span id, medians of ${rounds} processes)`,
    );
  console.log(
    `load average after ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );
}
