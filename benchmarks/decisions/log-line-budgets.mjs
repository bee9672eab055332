// Measures what the per-line budgets cost and bound (docs/decisions/0015-log-line-budgets.md):
//
//   npm run build && node benchmarks/decisions/log-line-budgets.mjs [--runs 15]
//
// 1. The shared-reference graph of the review (200 objects, each linking 10 others), logged
//    once in a fresh process (test/fixtures/shared-graph-log.mjs): the first call, which also
//    compiles the policy and runs cold code, as an app meets it. Median and worst of --runs,
//    wall clock and the call's CPU time (on a busy machine the two differ).
// 2. The same graph logged again in a warm process, and the bytes of its line.
// 3. The cost of one value at the budgets: lines of 1,000 to 20,000 numbers, strings and small
//    objects, in CPU time, so the value budget's default can be read as a time bound.
//
// Times are wall clock for (1) and (2), CPU time for (3); this is a measurement, not a test.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from '../lib/stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const env = { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'none' };

// 1. Cold, one process per run: wall clock and the CPU time of the call.
const cold = [];
const coldCpu = [];
for (let run = 0; run < runs; run += 1) {
  const result = spawnSync(process.execPath, ['test/fixtures/shared-graph-log.mjs'], {
    cwd: root,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const match = /logged in ([\d.]+) ms \(cpu ([\d.]+) ms\)/.exec(result.stderr);
  if (result.status !== 0 || match === null) throw new Error(`run ${run} failed: ${result.stderr}`);
  cold.push(Number(match[1]));
  coldCpu.push(Number(match[2]));
}

// 2 and 3 in this process, against the built package, with stdout sent nowhere.
const { captureLogLinesForTesting, logger } = await import(
  new URL('../../dist/esm/core.js', import.meta.url)
);
let lastLine = '';
captureLogLinesForTesting((line) => {
  lastLine = line;
});

function sharedGraph() {
  const nodes = Array.from({ length: 200 }, (_, id) => ({ id, name: `node-${id}`, peers: [] }));
  for (const [index, node] of nodes.entries())
    for (let link = 1; link <= 10; link += 1) node.peers.push(nodes[(index * 7 + link * 13) % 200]);
  return nodes;
}

const warm = [];
for (let run = 0; run < 200; run += 1) {
  const nodes = sharedGraph();
  const started = performance.now();
  logger.info('graph', { nodes });
  warm.push(performance.now() - started);
}
const graphBytes = Buffer.byteLength(lastLine);

const shapes = {
  numbers: (count) => Array.from({ length: count }, (_, i) => i * 1.5),
  strings: (count) => Array.from({ length: count }, (_, i) => `value-${i}`),
  objects: (count) => Array.from({ length: count / 4 }, (_, i) => ({ id: i, name: `n${i}`, ok: true })),
};
const perValue = [];
for (const [shape, make] of Object.entries(shapes)) {
  for (const count of [1000, 5000, 20_000]) {
    const value = make(count);
    for (let i = 0; i < 20; i += 1) logger.info('warm-up', { value });
    const samples = [];
    for (let i = 0; i < 30; i += 1) {
      const before = process.cpuUsage();
      logger.info('values', { value });
      const used = process.cpuUsage(before);
      samples.push(used.user + used.system);
    }
    perValue.push({
      shape,
      values: count,
      lineMicroseconds: median(samples),
      nsPerValue: (median(samples) * 1000) / count,
      lineBytes: Buffer.byteLength(lastLine),
      cut: lastLine.includes('lookout_truncated'),
    });
  }
}

const round = (value) => Math.round(value * 100) / 100;
console.log(
  JSON.stringify(
    {
      node: process.version,
      graph: {
        coldMs: { median: round(median(cold)), max: round(Math.max(...cold)), runs },
        coldCpuMs: { median: round(median(coldCpu)), max: round(Math.max(...coldCpu)) },
        warmMs: { median: round(median(warm)), max: round(Math.max(...warm)) },
        lineBytes: graphBytes,
      },
      perValue: perValue.map((row) => ({
        ...row,
        lineMicroseconds: round(row.lineMicroseconds),
        nsPerValue: round(row.nsPerValue),
      })),
    },
    null,
    2,
  ),
);
