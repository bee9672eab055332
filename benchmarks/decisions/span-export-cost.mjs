// What exporting a span costs in CPU, apart from serving the request that made it: spans shaped
// like the hello route's SERVER span are made through `init()`'s pipeline at a steady rate and
// exported over OTLP to the loopback sink (its own process), against the same spans with
// `LOOKOUT_TRACES_EXPORTER=none`. The difference is the export: the batch processor, the
// redaction, the encoding and the HTTP request. Each arm runs in a fresh process; rounds
// alternate the arms.
//
//   npm run build && node benchmarks/decisions/span-export-cost.mjs [--spans 30000]
//        [--every-ms 5] [--per-tick 20] [--rounds 3] [--batch 512]
//
// `--every-ms 5 --per-tick 20` makes about 3,600 spans a second, scenario b's rate for
// Lookout; `--every-ms 0` makes them back to back (one tick of the event loop per 20 spans).
// Prints each arm's CPU time per span (user + system of the process, over the measured spans
// only) and the median difference.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { helloServerSpanAttributes } from './lib/hello-server-span.mjs';

const { values: options } = parseArgs({
  options: {
    spans: { type: 'string', default: '30000' },
    'every-ms': { type: 'string', default: '5' },
    'per-tick': { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '512' },
    arm: { type: 'string' },
  },
});

if (options.arm !== undefined) await runArm();
else runRounds();

/** One arm in this process: make the spans, print the CPU time per span as JSON. */
async function runArm() {
  const sinkPath = fileURLToPath(new URL('../sinks/otlp-sink.mjs', import.meta.url));
  const sink = spawn(process.execPath, [sinkPath, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve) =>
    sink.stdout.once('data', (data) => resolve(String(data).trim())),
  );
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: url,
    OTEL_SERVICE_NAME: 'bench-app',
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: options.batch,
    LOOKOUT_TRACES_EXPORTER: options.arm,
    LOOKOUT_RUNTIME_METRICS: 'false',
  });
  const { init } = await import('lookout');
  const { SpanKind, trace } = await import('@opentelemetry/api');
  init();
  const tracer = trace.getTracer('bench');
  const everyMs = Number(options['every-ms']);
  const perTick = Number(options['per-tick']);

  // The hello route's SERVER span, its attributes set where Lookout sets them.
  const makeSpan = () => {
    const span = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: helloServerSpanAttributes() });
    span.setAttribute('http.route', '/hello/:name');
    span.updateName('GET /hello/:name');
    span.setAttribute('http.response.status_code', 200);
    span.setAttribute('http.response.body.size', 17);
    span.end();
  };
  const tick = () =>
    new Promise((resolve) => (everyMs > 0 ? setTimeout(resolve, everyMs) : setImmediate(resolve)));
  const make = async (count) => {
    for (let made = 0; made < count; made += perTick) {
      for (let index = 0; index < perTick; index++) makeSpan();
      await tick();
    }
  };

  await make(10_000); // warm-up: the exporter loads at its first export
  await new Promise((resolve) => setTimeout(resolve, 200));
  const spans = Number(options.spans);
  const before = process.cpuUsage();
  await make(spans);
  const used = process.cpuUsage(before);
  process.stdout.write(`${JSON.stringify({ cpuUsPerSpan: (used.user + used.system) / spans })}\n`);
  sink.kill();
  process.exit(0);
}

/** Alternates the two arms, each in a fresh process, and prints their medians. */
function runRounds() {
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  const results = { otlp: [], none: [] };
  const differences = [];
  const script = fileURLToPath(import.meta.url);
  const passed = ['spans', 'every-ms', 'per-tick', 'batch'].flatMap((name) => [`--${name}`, options[name]]);
  for (let round = 1; round <= Number(options.rounds); round++) {
    const inRound = {};
    for (const arm of round % 2 === 1 ? ['otlp', 'none'] : ['none', 'otlp']) {
      const run = spawnSync(process.execPath, [script, ...passed, '--arm', arm], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`the ${arm} arm failed: ${run.stderr}`);
      const { cpuUsPerSpan } = JSON.parse(run.stdout.trim().split('\n').at(-1));
      inRound[arm] = cpuUsPerSpan;
      results[arm].push(cpuUsPerSpan);
      console.log(`round ${round} ${arm}: ${cpuUsPerSpan.toFixed(2)} µs CPU per span`);
    }
    differences.push(inRound.otlp - inRound.none);
  }
  console.log(
    `\n${options.spans} spans per arm, ${options['per-tick']} every ${options['every-ms']} ms, batches of ${options.batch}`,
  );
  console.log(
    `otlp: median ${median(results.otlp).toFixed(2)} µs; none: median ${median(results.none).toFixed(2)} µs`,
  );
  console.log(
    `the export, per round: ${differences.map((value) => value.toFixed(2)).join(', ')}; median ${median(differences).toFixed(2)} µs per span`,
  );
}
