import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  version: string;
  exports: Record<
    string,
    string | { import: { types: string; default: string }; require: { types: string; default: string } }
  >;
  bin: Record<string, string>;
};
const subpaths = Object.keys(pkg.exports).filter((subpath) => subpath !== './package.json');
const specifier = (subpath: string) => (subpath === '.' ? 'lookout' : `lookout/${subpath.slice(2)}`);

// Runs a snippet in a fresh node process from the repo root, so `lookout` resolves through the
// package's own exports map (self-reference), exactly as an installed package would.
function runNode(args: string[]): string {
  return execFileSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', OTEL_TRACES_EXPORTER: 'none', LOOKOUT_HANDLE_SIGNALS: 'false' },
  });
}

describe('package exports', () => {
  it.each(subpaths)('%s loads with require()', (subpath) => {
    const out = runNode([
      '-e',
      `const m = require(${JSON.stringify(specifier(subpath))}); console.log(JSON.stringify(Object.keys(m).sort()))`,
    ]);

    expect(Array.isArray(JSON.parse(out))).toBe(true);
  });

  it.each(subpaths)('%s loads with import', (subpath) => {
    const out = runNode([
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(specifier(subpath))}); console.log(JSON.stringify(Object.keys(m).sort()))`,
    ]);

    expect(Array.isArray(JSON.parse(out))).toBe(true);
  });

  it('exposes the same names from the ESM and CommonJS builds of the main entry', () => {
    const esm = runNode([
      '--input-type=module',
      '-e',
      "console.log(JSON.stringify(Object.keys(await import('lookout')).sort()))",
    ]);
    const cjs = runNode([
      '-e',
      "console.log(JSON.stringify(Object.keys(require('lookout')).filter((k) => k !== 'default').sort()))",
    ]);

    expect(JSON.parse(cjs)).toEqual(JSON.parse(esm));
    expect(JSON.parse(esm)).toEqual(
      expect.arrayContaining([
        'init',
        'shutdown',
        'getTracer',
        'LookoutConfigError',
        'logAudit',
        'AUDIT_ACTIONS',
        // docs/audit.md and docs/infrastructure.md: the Logs Insights queries, from `lookout`
        'AUDIT_QUERIES',
      ]),
    );
  });

  it('exposes the same Express middleware from the ESM and CommonJS builds of lookout/express', () => {
    const esm = runNode([
      '--input-type=module',
      '-e',
      "console.log(JSON.stringify(Object.keys(await import('lookout/express')).sort()))",
    ]);
    const cjs = runNode([
      '-e',
      "console.log(JSON.stringify(Object.keys(require('lookout/express')).filter((k) => k !== 'default').sort()))",
    ]);

    expect(JSON.parse(cjs)).toEqual(JSON.parse(esm));
    expect(JSON.parse(esm)).toEqual(
      expect.arrayContaining(['observe', 'errorHandler', 'health', 'auditMiddleware', 'securityMonitor']),
    );
  });

  it('loads one copy of the core for lookout/register, lookout and lookout/express', () => {
    // (Under ES modules the express bundle imports the core by the same URL; the integration
    // tests prove it by behaviour: observe() there follows the configuration register loaded.)
    const out = runNode([
      '--require',
      'lookout/register',
      '-e',
      "require('lookout'); require('lookout/express'); console.log(JSON.stringify(Object.keys(require.cache).filter((file) => file.endsWith('core.js'))))",
    ]);

    expect(JSON.parse(out) as string[]).toHaveLength(1);
  });

  it('gives Node the CommonJS core under import: no file of the ES module build loads', () => {
    // A load hook (on Node's loader thread) reports every ES module file it loads; require()
    // calls pass no ES module hook on Node 20, so the CommonJS files do not show here.
    const hook = [
      'let port;',
      'export function initialize(data) { port = data.port; }',
      'export async function load(url, context, next) { port.postMessage(url); return next(url, context); }',
    ].join('\n');
    const out = runNode([
      '--input-type=module',
      '-e',
      `import { register } from 'node:module';
      import { MessageChannel } from 'node:worker_threads';
      const { port1, port2 } = new MessageChannel();
      const loaded = [];
      port1.on('message', (url) => loaded.push(url));
      register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)}, { data: { port: port2 }, transferList: [port2] });
      await import('lookout/register');
      const { init } = await import('lookout');
      const { observe } = await import('lookout/express');
      await import('lookout/lambda');
      const { createRequire } = await import('node:module');
      const required = createRequire(import.meta.url);
      const same = init === required('lookout').init && observe === required('lookout/express').observe;
      setTimeout(() => { port1.close(); console.log(JSON.stringify({ same, loaded: loaded.filter((url) => url.includes('/dist/')) })); }, 200);`,
    ]);
    const { same, loaded } = JSON.parse(out) as { same: boolean; loaded: string[] };
    const files = loaded.map((url) => url.slice(url.indexOf('/dist/') + 1));

    expect(files.sort()).toEqual([
      'dist/esm-node/express/index.js',
      'dist/esm-node/index.js',
      'dist/esm-node/lambda/index.js',
      'dist/esm-node/register.js',
    ]);
    expect(same).toBe(true);
  });

  it('gives bundlers the ES module build, which they can follow without createRequire', async () => {
    // esbuild, like webpack, rollup and Vite, takes the `module` condition before `default`.
    const { build } = await import('esbuild');
    const result = await build({
      stdin: {
        contents:
          "import { init } from 'lookout'; import { observe } from 'lookout/express'; console.log(init, observe);",
        resolveDir: root,
        loader: 'js',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      external: ['@opentelemetry/api', 'import-in-the-middle', 'express'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs).filter((file) => file.startsWith('dist/'));

    expect(inputs).toEqual(expect.arrayContaining(['dist/esm/core-impl.js', 'dist/esm/express/index.js']));
    expect(inputs.filter((file) => !file.startsWith('dist/esm/'))).toEqual([]);
  });

  it('shares one core between the main entry and the register entry', () => {
    // register calls init(); a second init() through the main entry must get the same handle.
    const out = runNode([
      '--require',
      'lookout/register',
      '-e',
      "const { init } = require('lookout'); const a = init(); const b = init(); console.log(a === b && a.config.serviceName)",
    ]);

    expect(out.trim()).toBe('lookout');
  });

  it.each([
    ['require', "const { App, Stack } = require('aws-cdk-lib'); const cdk = require('lookout/cdk');"],
    [
      'import',
      "const { App, Stack } = await import('aws-cdk-lib'); const cdk = await import('lookout/cdk');",
    ],
  ])("lookout/cdk builds a ServiceObservability with the app's own aws-cdk-lib through %s", (how, load) => {
    // aws-cdk-lib and constructs are optional peers, installed here as devDependencies.
    const out = runNode([
      ...(how === 'import' ? ['--input-type=module'] : []),
      '-e',
      `${load}
      const stack = new Stack(new App(), 'S');
      const o = new cdk.ServiceObservability(stack, 'O', { serviceName: 'a', environment: 'b', platform: 'server' });
      console.log(JSON.stringify({ alarms: o.allAlarms().length, names: Object.keys(cdk).sort() }));`,
    ]);
    const { alarms, names } = JSON.parse(out) as { alarms: number; names: string[] };

    expect(alarms).toBe(7);
    expect(names).toEqual(
      expect.arrayContaining(['ServiceObservability', 'INSIGHTS_QUERIES', 'ALARM_DEFAULTS']),
    );
  });

  it('loads no CDK package for the main entry', () => {
    const out = runNode([
      '-e',
      "require('lookout'); console.log(Object.keys(require.cache).filter((p) => /aws-cdk-lib|constructs/.test(p)).length)",
    ]);

    expect(out.trim()).toBe('0');
  });

  it('exposes wrap, middy and correlationPaths from lookout/lambda, the same under import and require', () => {
    const esm = runNode([
      '--input-type=module',
      '-e',
      "const m = await import('lookout/lambda'); console.log(JSON.stringify(Object.keys(m).sort()))",
    ]);
    const cjs = runNode([
      '-e',
      "console.log(JSON.stringify(Object.keys(require('lookout/lambda')).filter((k) => k !== 'default').sort()))",
    ]);

    expect(JSON.parse(esm)).toEqual(['correlationPaths', 'middy', 'wrap']);
    expect(JSON.parse(cjs)).toEqual(['correlationPaths', 'middy', 'wrap']);
  });

  it('shares one core between lookout/lambda and the main entry', () => {
    // wrap() starts Lookout from the environment; a later init() with other options must get
    // that same running instance (and keep its service name), not start a second core.
    const out = runNode([
      '-e',
      "require('lookout/lambda').wrap(async () => 1); console.log(require('lookout').init({ serviceName: 'other' }).config.serviceName)",
    ]);

    expect(out.trim()).toBe('lookout');
  });

  it('points every exports branch at files that exist, types first', () => {
    for (const subpath of subpaths) {
      const branch = pkg.exports[subpath];
      if (branch === undefined || typeof branch === 'string')
        throw new Error(`${subpath} has no import/require branches`);
      for (const condition of ['import', 'require'] as const) {
        expect(Object.keys(branch[condition])[0]).toBe('types');
        expect(existsSync(`${root}${branch[condition].types}`), `${subpath} ${condition} types`).toBe(true);
        expect(existsSync(`${root}${branch[condition].default}`), `${subpath} ${condition} default`).toBe(
          true,
        );
      }
    }
  });

  it('reads declarations as CommonJS in the require branch', () => {
    expect(JSON.parse(readFileSync(`${root}dist/cjs/package.json`, 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it('keeps src/version.ts equal to package.json', () => {
    expect(VERSION).toBe(pkg.version);
  });

  it('ships a runnable lookout command', () => {
    const out = runNode([`${root}${pkg.bin.lookout}`, '--version']);

    expect(out.trim()).toBe(pkg.version);
  });
});

describe('start-up budgets', () => {
  // Budgets in bytes and module counts, never in milliseconds (docs/contributing.md). To raise one, measure
  // the cold-start cost of the change with `npm run bench -- --only server-cold-start` and
  // record the reason in the commit message.
  // 736 KiB: X-Ray centralized sampling, runtime metrics and the contrib instrumentation loader
  // took the ES module core to 704 KiB (docs/decisions/0046, 0047, 0045); lean request spans
  // (+7.5 KiB, docs/decisions/0056-lean-request-spans.md), the AWS SDK instrumentation deferred
  // to its first require (+2.4 KiB, 0055) and Powertools' private members behind one module
  // each (+2 KiB, 0051, 0052) to 720.5 KiB.
  // 758 KiB: this round's fixes, +20 KiB together (see the CommonJS budget below).
  // 773 KiB: this round's fixes, 775,151 -> 790,809 bytes (see the CommonJS budget below).
  // 779 KiB: the server span processor (docs/decisions/0077-server-span-processor.md), +5.6 KiB
  // (see the CommonJS budget below).
  // 780 KiB: status codes given as text, package.json read past a byte order mark, and the Lambda
  // invocation's start made cheaper (+0.6 KiB; see the CommonJS budget below): 797,471 bytes.
  // 784 KiB: the OpenTelemetry metrics reader of Lookout's own, whose export never holds an
  // ending process (metrics/create-periodic-metric-reader.ts): 801,955 bytes (see the CommonJS
  // budget below).
  // 787 KiB: the log record processor of Lookout's own, whose export never holds an ending
  // process (logging/otlp/batch-log-record-processor.ts): 804,850 bytes.
  const CORE_BUNDLE_MAX_BYTES = 787 * 1024;
  // 448 KiB: the packages loaded only when asked for (instrumentations, OTLP exporters, the
  // metrics SDK) moved out of the CommonJS core to files of their own under dist/cjs/lazy/,
  // which took it from 712 KiB to 433 KiB (docs/decisions/0055-start-up-loads-what-it-starts.md).
  // 449 KiB: node:crypto and node:v8 loaded on first use (+0.4 KiB), 13.6 million fewer
  // instructions for a Lambda function's start-up (docs/decisions/0068-builtins-loaded-on-first-use.md).
  // 450 KiB: a span set on a request's context derives another request context, and a fetch()
  // span parses each origin once (+0.4 KiB together; about 0.75 and 0.9 µs per request that
  // makes a client span, docs/decisions/0063-lean-invocation-spans.md).
  // 410 KiB: the X-Ray exporter and its mapping moved to dist/cjs/lazy/xray-span-exporter.js,
  // loaded when `xray` is the exporter, which took the core from 449 KiB to 407 KiB
  // (docs/decisions/0074-xray-exporter-loaded-when-chosen.md).
  // 411 KiB: CLIENT spans of upgrades, CONNECT tunnels and forward-proxy requests, the byte count
  // of pipelined responses, and a guarded route read and error description (+0.9 KiB together;
  // each off the common path but for a character test).
  // 420 KiB: telemetry the export paths no longer lose (span links and times no exporter could
  // write, integers past int64 over OTLP/JSON), values the logger and metrics no longer throw on
  // or leak (boxed strings, unreadable keys and dimensions), +6.5 KiB together; requiring the
  // core took a median 31.5 ms before and after, 15 alternated runs.
  // 425 KiB: configuration and X-Ray export that no longer break on hostile values (OTLP headers
  // HTTP cannot carry, timer-range batch settings, a slow ECS metadata endpoint or sampling
  // proxy, upper-case X-Ray ids, unnamed spans, deep span trees), the mount-path templates of
  // decision 0076 and the Lambda event readers, +4.5 KiB together; over bare node, `--require`
  // of the register took +34.1 ms before and +31.4 ms after, `--import` of the file Node
  // resolves +35.5 and +36.8 ms (`node benchmarks/decisions/startup-wall-clock.mjs --a <before>
  // --b <after> --rounds 31`, medians of per-round differences, load about 1.4).
  // 430 KiB: OTLP metrics and logs exporters built with only the headers Lookout resolved,
  // sampling statistics carried over a refused report and the rule cap, a message that is not a
  // string, client spans for requests that bypass http.Agent and non-Error destroys, the Lambda
  // two-parameter and middy early-answer paths, runtime metrics paused between invocations,
  // +5.3 KiB together. Instructions (startup-instructions.mjs --dist, millions): `--import` of
  // the file Node resolves 297 -> 301, the core bundle's load 297 -> 296; wall clock over bare
  // node (startup-wall-clock.mjs, 31 and 41 rounds): `--require` of the register +36.3 -> +42.1
  // and +50.0 -> +48.1 ms, moves of the machine rather than of the change.
  // 450 KiB: the OTLP certificate and client key settings (their reader and node:tls load only
  // when a file is set), the logs protocol, timeout and batch settings, outgoing propagation
  // rebuilt for headers Node renders early, the redaction of JSON text, quoted values and
  // credentials after a scheme, traced()'s decorator forms, metric names and dimension sets
  // CloudWatch would misread, and the start-up's reading of the script Node runs: 429.2 ->
  // 447.7 KiB. Instructions (startup-instructions.mjs --dist, millions, two runs of each build):
  // the core bundle's load +139/+142 -> +144/+147, `--import` of the file Node resolves 298/303
  // -> 311/312; wall clock over bare node (startup-wall-clock.mjs, 31 alternated rounds, load
  // 0.2-1): `--require` of the register +31.1 -> +33.4 ms, `--import` of the file Node resolves
  // +37.5 -> +39.4 ms, of the ES module build +54.4 -> +58.7 ms. Then span export retries that
  // leave a process free to exit after its last flush (+1.3 KiB): 448.9 KiB.
  // 465 KiB: 459,724 -> 475,548 bytes (+15.5 KiB) for a round of fixes: OTLP retries and
  // unanswered export requests of every signal given up at the exit deadline, signal settings
  // after their source, array attributes and span times every exporter can write, integer metrics
  // past int64, a recordException and span status that never throw or lose a batch; audit fields
  // read one by one, metric resolutions and Powertools' automatic publish kept apart, linear
  // card-number checks, traced() at one frame a level; a request's context taken off its
  // connection, stdout's backlog bounded, the SDK's distinct messages capped; a second copy of
  // Lookout that does not trace too, the service identity resolved once for `lookout check`; the
  // Lambda event's records, ARNs and X-Forwarded-For read in place, the context's fail and done
  // routed, NaN over OTLP/JSON as the protobuf JSON mapping writes it.
  // Instructions (startup-instructions.mjs --dist, millions, two runs of each build, before the
  // Lambda second pass): the core bundle's load +138 -> +148, `--import` of the file Node
  // resolves 304 -> 321 (the register's own checks: the app runners it does not start in, and
  // whether the app imported it instead of preloading it).
  // 471 KiB: the server span processor, its byte estimate and the export agent that holds no
  // ending process (docs/decisions/0077-server-span-processor.md): 476,709 -> 482,410 bytes
  // (+5.6 KiB) built side by side; the SDK's batch span processor stays in the bundle
  // (sdk-trace-base's entry brings it). Instructions (startup-instructions.mjs --dist, millions,
  // two runs of each build): the core bundle's load +154 -> +148, `--import` of the file Node
  // resolves 322 -> 321, of the ES module build 442 -> 444.
  // 472 KiB: a Lambda result's status code given as text, package.json files read past a byte
  // order mark, and the invocation's start made cheaper (its parent one context object, its
  // attributes copied in one call, a parent checked once, a repeated message redacted once):
  // 482,172 bytes; about 66 thousand fewer instructions per invocation in a fresh environment
  // (lambda-invocation-cost.mjs under cachegrind, invocations 200-1,200: 1,626-1,645 thousand
  // -> 1,559-1,562 thousand).
  // 475 KiB: the OpenTelemetry metrics reader of Lookout's own, whose export never holds an
  // ending process (metrics/create-periodic-metric-reader.ts): 482,172 -> 485,305 bytes built
  // side by side. Start-up loads it but evaluates nothing of the metrics SDK unless
  // OTEL_METRICS_EXPORTER names an exporter (the class is made when the SDK is loaded).
  // 478 KiB: the log record processor of Lookout's own, whose export never holds an ending
  // process (logging/otlp/batch-log-record-processor.ts): 485,305 -> 488,204 bytes.
  const CJS_CORE_BUNDLE_MAX_BYTES = 478 * 1024;
  // Measured at 6: Lookout's own 5 files (register, core, core-impl, the api sharing module and
  // the api's one-file build, which is the app's api too: docs/decisions/0067) and the api's
  // index, the same module under the path Node resolves the package to. Powertools is bundled
  // into core (docs/decisions/0002-bundle-api-and-powertools.md). Was 49, with the api's 44 files.
  const REGISTER_MAX_MODULES = 10;

  it(`keeps the core bundles under ${CORE_BUNDLE_MAX_BYTES / 1024} KiB (ES module) and ${CJS_CORE_BUNDLE_MAX_BYTES / 1024} KiB (CommonJS)`, () => {
    // core.js only hands out the process's one core; the bundle is core-impl.js.
    expect(statSync(`${root}dist/cjs/core-impl.js`).size).toBeLessThanOrEqual(CJS_CORE_BUNDLE_MAX_BYTES);
    expect(statSync(`${root}dist/esm/core-impl.js`).size).toBeLessThanOrEqual(CORE_BUNDLE_MAX_BYTES);
  });

  it("hands out every name of the CommonJS core as a plain property, in V8's fast mode", () => {
    // A call from the express or lambda bundle into the core reads one of these on every
    // request; esbuild's own exports are getters (scripts/build.mjs, writeSharedCore).
    const out = runNode([
      '--allow-natives-syntax',
      '-e',
      `const core = require('./dist/cjs/core.js');
      const impl = require('./dist/cjs/core-impl.js');
      const getters = Object.keys(core).filter((name) => Object.getOwnPropertyDescriptor(core, name).get);
      console.log(JSON.stringify({
        names: Object.keys(core).sort(),
        implNames: Object.keys(impl).sort(),
        same: Object.keys(impl).every((name) => core[name] === impl[name]),
        getters,
        fast: %HasFastProperties(core),
        frozen: Object.isFrozen(core),
        esModule: core.__esModule,
      }));`,
    ]);
    const core = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;

    expect(core.names).toEqual(core.implNames);
    expect(core).toMatchObject({ same: true, getters: [], fast: true, frozen: true, esModule: true });
  });

  it('resolves @opentelemetry/api once for the CommonJS core, not at each module that imports it', () => {
    // docs/decisions/0072-external-packages-required-once.md: each resolution walks the
    // node_modules folders and reads the package's exports, about 0.15 ms. Counted through
    // Module._resolveFilename, which every require() of a package goes through (Node's own
    // internal; this test is where a Node upgrade that bypasses it would show).
    const out = runNode([
      '-e',
      `const Module = require('node:module');
      const { basename } = require('node:path');
      const resolve = Module._resolveFilename;
      const from = [];
      Module._resolveFilename = function (request, parent, ...rest) {
        if (request === '@opentelemetry/api') from.push(basename(parent?.filename ?? '?'));
        return resolve.call(this, request, parent, ...rest);
      };
      require('./dist/cjs/register.js');
      console.log(JSON.stringify(from));`,
    ]);

    expect(JSON.parse(out.trim().split('\n').pop() ?? '[]')).toEqual(['core.js', 'core-impl.js']);
  });

  it('keeps the X-Ray exporter out of the CommonJS core, in a file that holds no diagnostics of its own', () => {
    // docs/decisions/0074-xray-exporter-loaded-when-chosen.md: a server exporting OTLP never
    // compiles the X-Ray mapping; the file is bundled apart from the core, so the core's state
    // (the diagnostics' level and what they reported) must not be copied into it.
    const core = readFileSync(`${root}dist/cjs/core-impl.js`, 'utf8');
    const lazy = readFileSync(`${root}dist/cjs/lazy/xray-span-exporter.js`, 'utf8');

    expect(core).not.toContain('mapSpanToDocument');
    expect(core).toContain('require("./lazy/xray-span-exporter.js")');
    expect(lazy).toContain('mapSpanToDocument');
    expect(lazy).not.toContain('LOOKOUT_DIAGNOSTICS_LEVEL');

    const out = runNode([
      '-e',
      `const { init } = require('lookout');
      init({ tracing: { exporter: ['xray'] } });
      console.log(JSON.stringify(Object.keys(require.cache).filter((file) => file.includes('xray-span-exporter'))));`,
    ]);
    const loaded = JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
    expect(loaded.map((file) => file.split(sep).slice(-2).join('/'))).toEqual(['lazy/xray-span-exporter.js']);
  });

  it('loads none of the lazily loaded files when init() starts the default configuration', () => {
    const out = runNode([
      '-e',
      "require('lookout').init(); console.log(JSON.stringify(Object.keys(require.cache)))",
    ]);
    const modules = JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];

    expect(modules.filter((file) => file.includes(`${sep}lazy${sep}`))).toEqual([]);
  });

  it('loads no node:https (and node:tls) when init() starts the default configuration', () => {
    // About 4 ms of every start-up; only an https endpoint or sampling proxy needs them.
    const out = runNode([
      '-e',
      "require('lookout').init(); console.log(JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule '))))",
    ]);
    const builtins = JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];

    expect(builtins).toContain('NativeModule http');
    expect(builtins.filter((name) => /^NativeModule (https|tls|_tls_wrap)$/.test(name))).toEqual([]);
  });

  it.each([
    [
      'a Lambda function',
      { AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', AWS_REGION: 'eu-west-1' },
      false,
    ],
    ['a server (runtime metrics on)', {}, false],
    ['a server that loads lookout/express (health() among its exports)', {}, true],
  ])('loads neither node:crypto nor node:v8 at start-up in %s', (_, runtimeEnv, loadsExpressEntry) => {
    // docs/decisions/0068-builtins-loaded-on-first-use.md. Not `node -e`: Node's eval mode loads
    // node:crypto itself. The app here is a file that only lists the builtins loaded so far.
    const dir = mkdtempSync(join(tmpdir(), 'lookout-builtins-'));
    try {
      const app = join(dir, 'app.cjs');
      const expressEntry = join(root, 'dist', 'cjs', 'express', 'index.js');
      writeFileSync(
        app,
        (loadsExpressEntry ? `require(${JSON.stringify(expressEntry)});\n` : '') +
          "console.log(JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule '))));\n",
      );
      const out = execFileSync(
        process.execPath,
        ['--require', join(root, 'dist', 'cjs', 'register.js'), app],
        {
          cwd: root,
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', LOOKOUT_HANDLE_SIGNALS: 'false', ...runtimeEnv },
        },
      );
      const builtins = JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];

      expect(builtins).toContain('NativeModule diagnostics_channel');
      expect(builtins.filter((name) => /^NativeModule (crypto|v8)$/.test(name))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("samples debug lines through Powertools' randomInt, loaded on its first call", () => {
    // The build gives Powertools Logger a stand-in for node:crypto (scripts/shims/powertools-logger-crypto.cjs).
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        "const { logger } = require('lookout'); logger.debug('sampled debug line'); console.log('done')",
      ],
      {
        cwd: root,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          OTEL_TRACES_EXPORTER: 'none',
          LOOKOUT_HANDLE_SIGNALS: 'false',
          LOG_LEVEL: 'INFO',
          LOOKOUT_LOG_SAMPLE_RATE: '1',
        },
      },
    );
    const lines = out.trim().split('\n');

    expect(lines.map((line) => (line.startsWith('{') ? JSON.parse(line).message : line))).toContain(
      'sampled debug line',
    );
    expect(lines.at(-1)).toBe('done');
  });

  it('loads the span exporter at the first export, without the metrics SDK', async () => {
    // docs/decisions/0062-span-export-without-the-metrics-sdk.md: the OTLP transformer's metrics
    // part imports the metrics SDK; the span exporter's file must not carry it.
    const receiver = await startOtlpReceiver();
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '-e',
          `const { init, getTracer, shutdown } = require('lookout');
          init();
          getTracer('t').startSpan('first').end();
          shutdown().then(() => console.log(JSON.stringify(Object.keys(require.cache))));`,
        ],
        {
          cwd: root,
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH ?? '',
            OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
            LOOKOUT_HANDLE_SIGNALS: 'false',
          },
        },
      );
      const modules = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
      const lazy = modules
        .filter((file) => file.includes(`${sep}lazy${sep}`))
        .map((file) => file.split(sep).pop());

      expect(await receiver.waitForSpans((span) => span.name === 'first')).toHaveLength(1);
      // The span encoder is Lookout's (docs/decisions/0066-own-otlp-span-encoder.md): the first
      // export loads OpenTelemetry's export delegate and HTTP transport only.
      expect(lazy.sort()).toEqual(['otlp-exporter-base--node-http.js', 'otlp-exporter-base.js']);
    } finally {
      await receiver.close();
    }
  });

  it(`loads at most ${REGISTER_MAX_MODULES} CommonJS modules for --require lookout/register`, () => {
    const out = runNode([
      '--require',
      'lookout/register',
      '-e',
      'console.log(JSON.stringify(Object.keys(require.cache)))',
    ]);
    const modules = JSON.parse(out) as string[];

    expect(modules.length, modules.join('\n')).toBeLessThanOrEqual(REGISTER_MAX_MODULES);
  });

  it("loads @opentelemetry/api from one file, which is the app's api too, in CommonJS and ES modules", () => {
    // docs/decisions/0067-opentelemetry-api-from-one-file.md: the installed api is the bundled
    // version here, so the app's require() and import get the module Lookout loaded.
    const cjs = runNode([
      '--require',
      'lookout/register',
      '-e',
      `const api = require('@opentelemetry/api');
      const files = Object.keys(require.cache).filter((file) => file.includes('@opentelemetry'));
      const span = api.trace.getTracer('app').startSpan('work');
      console.log(JSON.stringify({
        file: require.cache[require.resolve('@opentelemetry/api')].filename,
        files,
        recording: span.isRecording(),
      }));`,
    ]);
    const fromRequire = JSON.parse(cjs.trim().split('\n').pop() ?? '{}') as {
      file: string;
      files: string[];
      recording: boolean;
    };
    const esm = runNode([
      '--import',
      'lookout/register',
      '--input-type=module',
      '-e',
      `import { trace } from '@opentelemetry/api';
      import { createRequire } from 'node:module';
      const require = createRequire(process.cwd() + '/');
      console.log(JSON.stringify({ same: trace === require('@opentelemetry/api').trace }));`,
    ]);

    expect(fromRequire.file).toBe(join(root, 'dist', 'cjs', 'opentelemetry-api.js'));
    // No file of the package itself was read: only its index's path names the one-file module.
    expect(fromRequire.files.filter((file) => file.includes(`${sep}build${sep}`))).toEqual([
      createRequire(join(root, 'package.json')).resolve('@opentelemetry/api'),
    ]);
    expect(fromRequire.recording).toBe(true);
    expect(JSON.parse(esm.trim().split('\n').pop() ?? '{}')).toEqual({ same: true });
  });
});
