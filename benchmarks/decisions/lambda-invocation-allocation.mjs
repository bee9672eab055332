// What one wrapped Lambda invocation allocates in-process, and where: V8's sampling heap profiler
// (keeping the objects minor and major GCs collected, so short-lived garbage counts too) over
// the driver of lambda-invocation-cost.mjs, run in this process
// (docs/decisions/0058-lambda-extension-off-the-invocation-path.md).
//
//   npm run build && node benchmarks/decisions/lambda-invocation-allocation.mjs [--count 2500] [--warmup 1000] > /dev/null
//
// Prints (stderr) the bytes allocated per measured invocation, then, per function on the path,
// the bytes allocated inside it (inclusive) per invocation, largest first. Sampled: figures move
// by a few per cent between runs.
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    count: { type: 'string' },
    warmup: { type: 'string' },
    interval: { type: 'string' },
    top: { type: 'string' },
    otlp: { type: 'boolean' },
    // A function name: also prints the call tree under it (inclusive KB per invocation).
    tree: { type: 'string' },
  },
});
const count = Number(values.count ?? 2500);
const warmup = Number(values.warmup ?? 1000);
const interval = Number(values.interval ?? 512);
const top = Number(values.top ?? 25);

const session = new Session();
session.connect();
let profile;
// The driver calls these at the first measured invocation and after the last one.
globalThis.__lookoutBenchHooks = {
  start: () =>
    session.post('HeapProfiler.startSampling', {
      samplingInterval: interval,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    }),
  stop: async () => {
    ({ profile } = await session.post('HeapProfiler.stopSampling'));
  },
};
// The driver reads its own arguments.
process.argv.splice(2, Infinity, '--count', String(count), '--warmup', String(warmup), '--no-exit');
if (values.otlp) process.argv.push('--otlp');
await import('./lambda-invocation-cost.mjs');

// Inclusive bytes per function name: a name counted once per path, however deep it recurses.
const inclusive = new Map();
let total = 0;
const walk = (node, names) => {
  const name = node.callFrame.functionName || '(anonymous)';
  const label = `${name} ${node.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
  const first = !names.has(label);
  if (first) names.add(label);
  let sum = node.selfSize;
  for (const child of node.children) sum += walk(child, names);
  if (first) {
    names.delete(label);
    inclusive.set(label, (inclusive.get(label) ?? 0) + sum);
  }
  return sum;
};
total = walk(profile.head, new Set());
const kb = (bytes) => (bytes / count / 1024).toFixed(2);
process.stderr.write(
  `allocated ${kb(total)} KB per invocation (${count} invocations after ${warmup}, sampling interval ${interval} B, load ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')})\n`,
);
for (const [label, bytes] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top))
  process.stderr.write(`${kb(bytes).padStart(8)}  ${label}\n`);
const printTree = (node, depth) => {
  const size = subtotal(node);
  if (size / count < 16) return;
  const frame = node.callFrame;
  process.stderr.write(
    `${kb(size).padStart(8)}  ${'  '.repeat(depth)}${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${frame.lineNumber + 1}\n`,
  );
  for (const child of [...node.children].sort((a, b) => subtotal(b) - subtotal(a)))
    printTree(child, depth + 1);
};
const subtotal = (node) => node.children.reduce((sum, child) => sum + subtotal(child), node.selfSize);
const findAll = (node, name, found) => {
  if (node.callFrame.functionName === name) found.push(node);
  else for (const child of node.children) findAll(child, name, found);
  return found;
};
if (values.tree !== undefined) {
  process.stderr.write(`\nunder ${values.tree}:\n`);
  for (const node of findAll(profile.head, values.tree, [])) printTree(node, 0);
}
session.disconnect();
process.exit(0);
