// Instructions per ended span in a span processor, with valgrind's cachegrind: OpenTelemetry's
// BatchSpanProcessor against Lookout's server span processor (src/tracing/server-span-processor.ts,
// bundled from the source here), in the same run (docs/decisions/0077-server-span-processor.md).
//
//   node benchmarks/decisions/span-processor-instructions.mjs [--spans 200000]
//
// Two modes, each processor in a fresh process, each count run twice:
//
//   onEnd   the request's path only: the queue and its batch are too large to fill, so no export
//           starts and only `onEnd` runs (a sampling test, a queue test, a push, the timer)
//   export  the default bounds (2,048 queued, 512 a batch) and an exporter that answers at once:
//           `onEnd` and the batching around each export (for Lookout's, the byte estimate of
//           every span), without the redaction, encoding and sending that follow either one
//
// The span has the hello route's 15 or so attributes' shape (15 short strings); spans end 64 a turn
// of the event loop, as requests end them between turns. Per span = (instructions with
// 100,000 + --spans spans - instructions with 100,000) / --spans. Needs valgrind.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values: options } = parseArgs({ options: { spans: { type: 'string', default: '200000' } } });
const extra = Number(options.spans);
const BASE_SPANS = 100_000;
const root = fileURLToPath(new URL('../..', import.meta.url));

const ENTRY = `
import { TraceFlags } from '@opentelemetry/api';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ServerSpanProcessor } from './src/tracing/server-span-processor.ts';

const [which, countText, mode] = process.argv.slice(2);
const count = Number(countText);
const exporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
const bounds =
  mode === 'onEnd'
    ? { maxQueueSize: 10_000_000, maxExportBatchSize: 10_000_000, scheduledDelayMillis: 600_000, exportTimeoutMillis: 30_000 }
    : { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 30_000 };
const processor = which === 'sdk' ? new BatchSpanProcessor(exporter, bounds) : new ServerSpanProcessor(exporter, bounds);
const spanContext = { traceId: '6650f3a0aabbccddeeff001122334455', spanId: '0011223344556677', traceFlags: TraceFlags.SAMPLED };
const attributes = {};
for (let index = 0; index < 15; index++) attributes['http.attribute.' + index] = 'value ' + index;
const span = { name: 'GET /hello/:name', spanContext: () => spanContext, resource: {}, attributes, events: [], links: [], status: { code: 0 } };
let ended = 0;
function endSome() {
  for (let index = 0; index < 64 && ended < count; index++, ended++) processor.onEnd(span);
  if (ended < count) setImmediate(endSome);
  else if (mode === 'onEnd') process.exit(0);
  else void processor.forceFlush();
}
endSome();
`;

const dir = mkdtempSync(join(tmpdir(), 'span-processor-'));
try {
  const bundled = await build({
    stdin: { contents: ENTRY, resolveDir: root, sourcefile: 'entry.mjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'error',
  });
  const script = join(dir, 'entry.cjs');
  writeFileSync(script, bundled.outputFiles[0].text);

  const instructions = (which, count, mode) => {
    const run = spawnSync(
      'valgrind',
      [
        '--tool=cachegrind',
        '--cache-sim=no',
        '--cachegrind-out-file=/dev/null',
        process.execPath,
        script,
        which,
        String(count),
        mode,
      ],
      { encoding: 'utf8' },
    );
    const total = /I\s+refs:\s+([\d,]+)/.exec(run.stderr)?.[1];
    if (total === undefined)
      throw new Error(`valgrind gave no instruction count:\n${run.stderr.slice(-2000)}`);
    return Number(total.replaceAll(',', ''));
  };

  console.log(
    `node ${process.version}; instructions per ended span (${BASE_SPANS} + ${extra} spans minus ${BASE_SPANS}), two runs each\n`,
  );
  console.log('| mode | OpenTelemetry BatchSpanProcessor | Lookout ServerSpanProcessor |');
  console.log('| --- | --- | --- |');
  for (const mode of ['onEnd', 'export']) {
    const cells = [];
    for (const which of ['sdk', 'lookout']) {
      const perSpan = [];
      for (let run = 0; run < 2; run++) {
        perSpan.push(
          (instructions(which, BASE_SPANS + extra, mode) - instructions(which, BASE_SPANS, mode)) / extra,
        );
      }
      cells.push(perSpan.map((value) => value.toFixed(0)).join(', '));
    }
    console.log(`| ${mode} | ${cells.join(' | ')} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
