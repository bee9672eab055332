// A handler bundled with esbuild the way Lambda deployments bundle it (CDK NodejsFunction, SAM):
// one file with Lookout inside, `export const handler`, as CommonJS and as an ES module. It runs
// through the real runtime interface client against the Runtime API emulator (the stand-in for
// the Lambda service), and its spans reach a real OTLP/HTTP receiver.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonLogLines, type LambdaFunction, startLambdaFunction } from '../helpers/lambda-function.js';
import { type LambdaRuntimeApi, startLambdaRuntimeApi } from '../helpers/lambda-runtime-api.js';
import { fixture } from '../helpers/node-process.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';

let api: LambdaRuntimeApi;
let receiver: OtlpReceiver;
let fn: LambdaFunction | undefined;
let taskRoot: string;

beforeEach(async () => {
  api = await startLambdaRuntimeApi();
  receiver = await startOtlpReceiver();
  taskRoot = mkdtempSync(join(tmpdir(), 'lookout-bundled-'));
});
afterEach(async () => {
  await fn?.kill();
  fn = undefined;
  await api.close();
  await receiver.close();
  rmSync(taskRoot, { recursive: true, force: true });
});

describe('a handler bundled with esbuild', () => {
  // An ES module bundle needs a real `require` for the CommonJS packages inside it: the banner
  // every esbuild ESM deployment adds (CDK and SAM document it).
  const ESM_BANNER =
    "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

  it.each([
    ['cjs', 'index.js', {}],
    ['esm', 'index.mjs', { banner: { js: ESM_BANNER } }],
  ] as const)('runs as one %s file with Lookout bundled in', async (format, file, extra) => {
    // Prepare: bundle as a deployment would, into a task root with no node_modules.
    const result = await build({
      entryPoints: [fixture('lambda/bundle-entry.mjs')],
      outfile: join(taskRoot, file),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format,
      logLevel: 'silent',
      ...extra,
    });
    expect(result.errors).toEqual([]);
    fn = await startLambdaFunction({
      api,
      taskRoot,
      handler: 'index.handler',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
    });

    // Act
    const outcome = await api.invoke({
      event: { order: 9 },
      traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    });
    const spans = await receiver.waitForSpans(2);

    // Assess
    expect(outcome.response).toEqual({ order: 9, requestId: outcome.requestId });
    const server = spans.find((span) => span.kind === 'SERVER');
    expect(server).toMatchObject({
      traceId: '5759e988bd862e3fe1be46a994272793',
      parentSpanId: '53995c3f42cd8ad8',
    });
    expect(spans.find((span) => span.name === 'bundled-work')?.parentSpanId).toBe(server?.spanId);
    expect(jsonLogLines(fn).find((line) => line.message === 'bundled handler')).toMatchObject({
      order: 9,
      function_request_id: outcome.requestId,
      cold_start: true,
    });
    const codes = fn.stderrLines().flatMap((line) => /\[(LOOKOUT_[A-Z_]+)\]/.exec(line)?.[1] ?? []);
    expect(codes).toEqual([]);
  });
});
