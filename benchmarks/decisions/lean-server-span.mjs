// What the request's SERVER span costs as an SDK span (Tracer.startSpan) and as Lookout's lean
// span (src/tracing/lean-span.ts), in one process with the same parts: the X-Ray id generator,
// a parent-based always-on sampler, a batch span processor to an exporter that drops the
// batches, and a counting processor as Lookout has (docs/decisions/0056-lean-request-spans.md).
// Each span gets the attributes server-requests.ts starts it with and what the end of a
// request sets (route, status, body size, request id, the name), then ends.
//
//   node benchmarks/decisions/lean-server-span.mjs [--spans 100000] [--rounds 10]
//
// CPU time (process.cpuUsage) per span, the two alternated round by round; medians and the
// median of the per-round differences. The lean span's module is bundled from src/ with
// esbuild at start, as the build does.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { build } from 'esbuild';
import { ROOT } from '../lib/paths.mjs';
import { helloServerSpanAttributes } from './lib/hello-server-span.mjs';

const { values: options } = parseArgs({
  options: {
    spans: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '10' },
  },
});

// Inside the repository, so that the bundle's imports resolve to its node_modules.
mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
const work = mkdtempSync(join(ROOT, 'node_modules/.cache/lookout-lean-span-'));
const bundle = join(work, 'lean-span.mjs');
await build({
  entryPoints: [join(ROOT, 'src/tracing/lean-span.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: bundle,
  // The same copies of the SDK as this script's, as in the package.
  packages: 'external',
  logLevel: 'error',
});
const { startLeanSpan } = await import(pathToFileURL(bundle).href);
rmSync(work, { recursive: true, force: true });

const dropAll = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
let ended = 0;
const counting = {
  onStart: () => {},
  onEnd: () => {
    ended++;
  },
  forceFlush: async () => {},
  shutdown: async () => {},
};
const resource = resourceFromAttributes({ 'service.name': 'bench' });
const sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() });
const idGenerator = new AWSXRayIdGenerator();
const processors = [
  new BatchSpanProcessor(dropAll, { maxQueueSize: 2048, maxExportBatchSize: 512 }),
  counting,
];
const provider = new BasicTracerProvider({ resource, sampler, idGenerator, spanProcessors: processors });
const tracer = provider.getTracer('lookout', '0.1.0');
const pipeline = { sampler, idGenerator, resource, scope: { name: 'lookout', version: '0.1.0' }, processors };

function finish(span) {
  span.setAttribute('request_id', '0f8fad5b-d9cb-469f-a165-70867728950e');
  span.setAttribute('http.route', '/hello/:name');
  span.updateName('GET /hello/:name');
  span.setAttribute('http.response.status_code', 200);
  span.setAttribute('http.response.body.size', 12);
  span.end();
}

const STARTERS = {
  sdk: () =>
    tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: helloServerSpanAttributes() }, ROOT_CONTEXT),
  lean: () => startLeanSpan(pipeline, 'GET', SpanKind.SERVER, helloServerSpanAttributes(), ROOT_CONTEXT),
};

/** µs of CPU per span for `count` spans; the batch processor's queue is drained between runs. */
async function measure(name, count) {
  const start = STARTERS[name];
  const before = process.cpuUsage();
  for (let index = 0; index < count; index++) finish(start());
  const used = process.cpuUsage(before);
  await provider.forceFlush();
  return (used.user + used.system) / count;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const spans = Number(options.spans);
// Warm-up: both paths compiled before anything is counted.
for (let index = 0; index < 3; index++) {
  await measure('sdk', spans / 4);
  await measure('lean', spans / 4);
}
const results = { sdk: [], lean: [] };
const loadBefore = loadavg().map((value) => value.toFixed(2));
for (let round = 0; round < Number(options.rounds); round++) {
  const order = round % 2 === 0 ? ['sdk', 'lean'] : ['lean', 'sdk'];
  for (const name of order) results[name].push(await measure(name, spans));
}
await provider.shutdown();
const differences = results.sdk.map((sdk, index) => sdk - results.lean[index]);
console.log(`${spans} spans per round, ${options.rounds} rounds, ${ended} spans ended`);
console.log(
  `sdk  span: median ${median(results.sdk).toFixed(2)} µs CPU per span (${results.sdk.map((v) => v.toFixed(2)).join(', ')})`,
);
console.log(
  `lean span: median ${median(results.lean).toFixed(2)} µs CPU per span (${results.lean.map((v) => v.toFixed(2)).join(', ')})`,
);
console.log(
  `sdk − lean per round: median ${median(differences).toFixed(2)} µs (${differences.map((v) => v.toFixed(2)).join(', ')})`,
);
console.log(
  `load average before ${loadBefore.join(' ')}, after ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
