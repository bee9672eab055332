// How an ES module app starts Lookout. `node --import lookout/register` (or the same in
// NODE_OPTIONS, or `--require`) runs the register before Node reads the app; `import
// 'lookout/register'` as the entry's first line runs it only after every module of the entry's
// graph was loaded and linked, too late for an instrumentation of a package that loads as an ES
// module (openai here, talking to a stand-in of its API: the real one is not reachable from the
// test machine). That way is reported, once, with the fix; the supported ways are not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAiStandIn, startOpenAiStandIn } from '../helpers/openai-stand-in.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

const OPENAI_APP = 'test/fixtures/openai-chat.mjs';
const REGISTER_IMPORTED_FIRST = 'test/fixtures/register-imported-first.mjs';
const REGISTER_IMPORTED_DYNAMICALLY = 'test/fixtures/register-imported-dynamically.mjs';
const OPENAI_SCOPE = '@opentelemetry/instrumentation-openai';
const LOADED_BEFORE_INIT = 'LOOKOUT_LOADED_BEFORE_INIT';

describe('starting Lookout in an ES module app', () => {
  let receiver: OtlpReceiver;
  let openai: OpenAiStandIn;

  beforeAll(async () => {
    [receiver, openai] = await Promise.all([startOtlpReceiver(), startOpenAiStandIn()]);
  });
  afterAll(async () => {
    await Promise.all([receiver?.close(), openai?.close()]);
  });

  /** Runs `args` under `service` until the app exits; its Lookout diagnostics and its spans. */
  async function run(args: readonly string[], service: string, env: Record<string, string> = {}) {
    const app = await spawnApp({
      args: [...args],
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: service,
        LOOKOUT_INSTRUMENTATIONS: 'http,undici,openai,ioredis',
        OPENAI_BASE_URL: openai.baseUrl,
        ...env,
      },
      readyPattern: null,
    });
    const exit = await app.exited;
    expect(exit.code, app.stderrLines().join('\n')).toBe(0);
    expect(app.stdoutLines()).toContain('answered chatcmpl-lookout-stand-in');
    // The app's HTTP call is traced whichever way Lookout started (decision 0005): its span
    // arriving means every span of the process has been exported.
    const [call] = await receiver.waitForSpans(
      (span) => span.resource['service.name'] === service && span.kind === 'CLIENT' && span.name === 'POST',
    );
    const spans = receiver.spans().filter((span) => span.resource['service.name'] === service);
    return { call, spans, warnings: app.stderrLines().filter((line) => line.includes(LOADED_BEFORE_INIT)) };
  }

  it('warns once, with the fix, when the entry imports lookout/register on its first line', async () => {
    // Act
    const { call, spans, warnings } = await run([REGISTER_IMPORTED_FIRST], 'register-imported');

    // Assess: what the warning says is so: openai went untraced.
    expect(call).toBeDefined();
    expect(spans.filter((span) => span.scope.name === OPENAI_SCOPE)).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('lookout/register was imported by the app');
    expect(warnings[0]).toContain('node --import lookout/register app.mjs');
  });

  it.each([
    {
      way: 'node --import lookout/register',
      service: 'import-flag',
      args: ['--import', 'lookout/register', OPENAI_APP],
      env: {},
    },
    {
      way: 'node --require lookout/register',
      service: 'require-flag',
      args: ['--require', 'lookout/register', OPENAI_APP],
      env: {},
    },
    {
      way: 'NODE_OPTIONS="--import lookout/register"',
      service: 'import-node-options',
      args: [OPENAI_APP],
      env: { NODE_OPTIONS: '--import lookout/register' },
    },
    {
      way: 'NODE_OPTIONS="--require lookout/register"',
      service: 'require-node-options',
      args: [OPENAI_APP],
      env: { NODE_OPTIONS: '--require lookout/register' },
    },
    {
      way: 'node --import lookout/register, a .js entry run as an ES module for its syntax (no "type")',
      service: 'import-flag-typeless-entry',
      args: ['--import', 'lookout/register', 'test/fixtures/typeless-esm-app/chat.js'],
      env: {},
    },
    {
      way: "an entry that runs await import('lookout/register') before it imports the app",
      service: 'dynamic-import',
      args: [REGISTER_IMPORTED_DYNAMICALLY],
      env: {},
    },
    {
      way: 'node --import lookout/register, with the import left in the entry too',
      service: 'import-flag-and-import',
      args: ['--import', 'lookout/register', REGISTER_IMPORTED_FIRST],
      env: {},
    },
  ])('traces the ES module package and warns of nothing ($way)', async ({ service, args, env }) => {
    // Act
    const { call, spans, warnings } = await run(args, service, env);

    // Assess
    expect(warnings).toEqual([]);
    const [chat] = spans.filter((span) => span.scope.name === OPENAI_SCOPE);
    expect(chat?.name).toBe('chat gpt-4o-mini');
    expect(call?.parentSpanId).toBe(chat?.spanId);
  });
});
