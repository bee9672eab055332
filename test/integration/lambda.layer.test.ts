// The Lambda layer, end to end: the layer zip is built (layer/build-layer.mjs), extracted into a
// temporary folder that plays /opt, and a function with no Lookout code runs through the runtime's
// bootstrap stand-in with AWS_LAMBDA_EXEC_WRAPPER=<opt>/lookout-handler, so the real runtime
// interface client loads the handler the wrapper chose. The Runtime API emulator stands in for the
// Lambda service; spans go to a real OTLP/HTTP receiver or to the X-Ray daemon stand-in.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { jsonLogLines } from '../helpers/lambda-function.js';
import { type ExtractedLayer, extractLayer } from '../helpers/lambda-layer.js';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { type LambdaTraceHeader, newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { assembleTraces, startXRayDaemon } from '../helpers/xray-daemon.js';

let layer: ExtractedLayer;
let opt: string;
let downstream: Server;
let downstreamUrl: string;

beforeAll(async () => {
  layer = await extractLayer('lookout-layer-');
  opt = layer.opt;
  downstream = createServer((_request, response) => response.end('inventory ok'));
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
  const address = downstream.address();
  downstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/stock`;
});
afterAll(async () => {
  await new Promise((resolve) => downstream.close(resolve));
  layer.remove();
});

const sandbox = useLambdaSandbox();

/** Copies a fixture app to its own task root, outside the repository, as a deployment package. */
const taskRoot = (app: string): string => layer.taskRoot(app);

const traceHeader = (): LambdaTraceHeader => newLambdaTraceHeader();

function start(app: string, env: Record<string, string | undefined>) {
  return sandbox.startFunction({
    taskRoot: taskRoot(app),
    handler: 'index.handler',
    optDir: opt,
    env: { AWS_LAMBDA_EXEC_WRAPPER: join(opt, 'lookout-handler'), LOOKOUT_SERVICE_NAME: 'layered', ...env },
  });
}

describe('the Lookout layer through AWS_LAMBDA_EXEC_WRAPPER', () => {
  it('instruments an ES module function with no Lookout code, keeping the NODE_OPTIONS it had', async () => {
    const fn = await start('esm-app', {
      OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url,
      NODE_OPTIONS: '--max-http-header-size=32768',
    });
    const { header, traceId, parent } = traceHeader();

    const outcome = await sandbox.api.invoke({ event: { url: downstreamUrl }, traceHeader: header });
    const spans = await sandbox.receiver.waitForSpans(2);
    const emf = readEmf(fn.stdoutLines().join('\n'));

    expect(outcome.status).toBe('success');
    const response = outcome.response as {
      downstream: string;
      nodeOptions: string;
      originalHandler: string;
      lexerLoaded: boolean;
    };
    expect(response.downstream).toBe('inventory ok');
    expect(response.originalHandler).toBe('index.handler');
    expect(response.nodeOptions).toBe(
      `--max-http-header-size=32768 --require "${opt}/nodejs/node_modules/lookout/dist/cjs/register.js" --import "${opt}/nodejs/node_modules/lookout/layer/register-extension.mjs"`,
    );
    // No Lookout file went through Node's ES module import of CommonJS, whose export-name scan
    // (cjs-module-lexer) is Init Duration a bare ES module function does not pay
    // (docs/decisions/0073-layer-preloads-the-commonjs-core.md).
    expect(response.lexerLoaded).toBe(false);
    const server = spans.find((span) => span.kind === 'SERVER');
    expect(server).toMatchObject({ traceId, parentSpanId: parent, name: 'lookout-test' });
    expect(server?.attributes['faas.invocation_id']).toBe(outcome.requestId);
    expect(server?.resource['service.name']).toBe('layered');
    // The ES module `node:http` import was instrumented: the loader hook shipped in the layer works.
    const client = spans.find((span) => span.kind === 'CLIENT');
    expect(client?.parentSpanId).toBe(server?.spanId);
    expect(emf.documents.find((document) => 'Invocations' in document.root)?.root.Invocations).toBe(1);
  });

  it('passes an ES module function error through unchanged', async () => {
    await start('esm-app', { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url });

    const outcome = await sandbox.api.invoke({
      event: { fail: 'order 5' },
      traceHeader: traceHeader().header,
    });
    const [server] = await sandbox.receiver.waitForSpans((span) => span.kind === 'SERVER');

    expect(outcome.status).toBe('error');
    expect(outcome.error).toMatchObject({ errorType: 'TypeError', errorMessage: 'cannot handle order 5' });
    expect(server?.status.code).toBe('ERROR');
  });

  it('instruments a CommonJS function with --require, sharing one Lookout with its code, straight to X-Ray', async () => {
    const daemon = await startXRayDaemon();
    try {
      const fn = await start('cjs-app', { AWS_XRAY_DAEMON_ADDRESS: daemon.address });
      const { header, root, parent } = traceHeader();

      const outcome = await sandbox.api.invoke({ event: { order: 12 }, traceHeader: header });
      const warm = await sandbox.api.invoke({ event: { order: 13 }, traceHeader: traceHeader().header });
      await daemon.waitForDocuments((datagrams) =>
        datagrams.some((entry) => entry.document.trace_id === root),
      );

      expect(outcome.status).toBe('success');
      expect((outcome.response as { nodeOptions: string }).nodeOptions).toBe(
        `--require "${opt}/nodejs/node_modules/lookout/dist/cjs/register.js" --import "${opt}/nodejs/node_modules/lookout/layer/register-extension.mjs"`,
      );
      expect(daemon.problems()).toEqual([]);
      const invocation = assembleTraces(daemon.documents()).get(root)?.roots[0];
      expect(invocation?.document).toMatchObject({ name: 'lookout-test', parent_id: parent });
      // stdout is read asynchronously: wait for the warm invocation's line too.
      await fn.waitForLine(/"order":13/);
      const lines = jsonLogLines(fn).filter((line) => line.message === 'from the function');
      expect(
        lines.map((line) => [line.order, line.function_request_id, line.cold_start, line.service]),
      ).toEqual([
        [12, outcome.requestId, true, 'layered'],
        [13, warm.requestId, false, 'layered'],
      ]);
      expect(fn.stderrLines().filter((line) => line.includes('LOOKOUT_'))).toEqual([]);
    } finally {
      await daemon.close();
    }
  });

  it('answers through the callback of an ES module callback-style handler that the CommonJS handler loads', async () => {
    // LOOKOUT_LAMBDA_MODULE_FORMAT=cjs sends an ES module handler to the layer's CommonJS
    // handler, which imports it on the first invocation.
    await start('esm-callback-app', {
      OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url,
      LOOKOUT_LAMBDA_MODULE_FORMAT: 'cjs',
    });

    const first = await sandbox.api.invoke({ event: { order: 1 }, traceHeader: traceHeader().header });
    const second = await sandbox.api.invoke({ event: { order: 2 }, traceHeader: traceHeader().header });

    expect([first.status, first.response]).toEqual(['success', { via: 'callback', order: 1 }]);
    expect([second.status, second.response]).toEqual(['success', { via: 'callback', order: 2 }]);
    const spans = await sandbox.receiver.waitForSpans((span) => span.kind === 'SERVER', { count: 2 });
    expect(spans.map((span) => span.attributes['faas.invocation_id']).sort()).toEqual(
      [first.requestId, second.requestId].sort(),
    );
  });

  it.each([
    ['found by the guess', {}],
    ['with LOOKOUT_LAMBDA_MODULE_FORMAT=esm', { LOOKOUT_LAMBDA_MODULE_FORMAT: 'esm' }],
  ])('streams the answer of an ES module response-streaming handler %s', async (_how, env) => {
    // Prepare
    const fn = await start('esm-streaming-app', {
      OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url,
      ...env,
    });

    // Act
    const outcome = await sandbox.api.invoke({ event: { order: 1 }, traceHeader: traceHeader().header });

    // Assess
    expect([outcome.status, outcome.rawBody]).toEqual(['success', 'streamed 1']);
    expect(outcome.headers['lambda-runtime-function-response-mode']).toBe('streaming');
    expect(fn.stderrLines().filter((line) => line.includes('LOOKOUT_START_FAILED'))).toHaveLength(1);
  });

  it('fails every invocation of an ES module response-streaming handler sent to the CommonJS handler by LOOKOUT_LAMBDA_MODULE_FORMAT=cjs, naming the setting', async () => {
    // Prepare: the CommonJS handler imports an ES module on the first invocation, after the
    // runtime has taken it for a handler that answers in one piece
    await start('esm-streaming-app', {
      OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url,
      LOOKOUT_LAMBDA_MODULE_FORMAT: 'cjs',
    });

    // Act
    const first = await sandbox.api.invoke({ event: { order: 1 }, traceHeader: traceHeader().header });
    const second = await sandbox.api.invoke({ event: { order: 2 }, traceHeader: traceHeader().header });

    // Assess
    for (const outcome of [first, second]) {
      expect(outcome.status).toBe('error');
      expect(outcome.error?.errorType).toBe('LookoutConfigError');
      expect(outcome.error?.errorMessage).toMatch(
        /^Invalid option "LOOKOUT_LAMBDA_MODULE_FORMAT": received "cjs"; expected esm, or unset, for index\.handler: it is an ES module response-streaming handler \(awslambda\.streamifyResponse\)/,
      );
    }
  });

  // The wrapper reads its variables as Lookout's settings parser does: case-insensitive and trimmed
  // (docs/lambda.md). A wrapper that registered the extension for ' FALSE ', which Lookout reads as
  // false and so never arms, would cost every cold start a registration for nothing.
  it.each([
    ['LOOKOUT_LAMBDA_DELIVER_AFTER_RESPONSE', { LOOKOUT_LAMBDA_DELIVER_AFTER_RESPONSE: ' FALSE ' }],
    ['LOOKOUT_LAMBDA_AUTO_WRAP', { LOOKOUT_LAMBDA_AUTO_WRAP: 'False\t' }],
    ['LOOKOUT_ENABLED', { LOOKOUT_ENABLED: ' false' }],
  ])('registers no extension when %s is false in any case, with spaces around', async (_name, env) => {
    const fn = await start('esm-app', { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, ...env });

    const outcome = await sandbox.api.invoke({
      event: { url: downstreamUrl },
      traceHeader: traceHeader().header,
    });

    expect(outcome.status).toBe('success');
    expect(sandbox.api.extensions()).toEqual([]);
    expect(fn.stderrLines().filter((line) => line.includes('LOOKOUT_'))).toEqual([]);
  });

  it('reads LOOKOUT_LAMBDA_MODULE_FORMAT in any case, with spaces around', async () => {
    const fn = await start('esm-app', {
      OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url,
      LOOKOUT_LAMBDA_MODULE_FORMAT: ' ESM ',
    });

    const outcome = await sandbox.api.invoke({
      event: { url: downstreamUrl },
      traceHeader: traceHeader().header,
    });

    expect(outcome.status).toBe('success');
    expect((outcome.response as { originalHandler?: string }).originalHandler).toBe('index.handler');
    expect(fn.stderrLines().filter((line) => line.includes('LOOKOUT_'))).toEqual([]);
  });

  it('only preloads when LOOKOUT_LAMBDA_AUTO_WRAP=false, leaving the handler alone', async () => {
    await start('esm-app', {
      OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url,
      LOOKOUT_LAMBDA_AUTO_WRAP: 'false',
    });

    const outcome = await sandbox.api.invoke({
      event: { url: downstreamUrl },
      traceHeader: traceHeader().header,
    });
    const [client] = await sandbox.receiver.waitForSpans((span) => span.kind === 'CLIENT');

    expect(outcome.status).toBe('success');
    expect((outcome.response as { originalHandler?: string }).originalHandler).toBeUndefined();
    expect(client).toBeDefined();
    expect(sandbox.receiver.spans().filter((span) => span.kind === 'SERVER')).toEqual([]);
  });
});
