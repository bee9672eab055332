// Starting a Lambda function for the Lambda scenarios (c, d): the runtime's bootstrap stand-in
// from the tests (test/fixtures/lambda-runtime/bootstrap, which honours AWS_LAMBDA_EXEC_WRAPPER
// and runs the real runtime interface client, aws-lambda-ric) against the Runtime API stand-in
// in sinks/lambda-runtime-api.mjs. The `lookout-layer` variant runs the layer zip built from
// dist/ and extracted into a folder that plays /opt (cached until dist/ or layer/ change).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { buildLayer } from '../../layer/build-layer.mjs';
import { ROOT } from './paths.mjs';
import { commonEnv } from './peers.mjs';

const BOOTSTRAP = join(ROOT, 'test', 'fixtures', 'lambda-runtime', 'bootstrap');
const APPS = join(ROOT, 'benchmarks', 'apps', 'lambda');
const LAYER_CACHE = join(ROOT, 'node_modules', '.cache', 'lookout-bench', 'layer');

/** How each Lambda variant runs the benchmark handler. */
/**
 * How each Lambda variant is launched.
 * @type {Record<string, { handler: string, env: Record<string, string>, layer?: boolean, externalExtensions?: string[] }>}
 */
const LAMBDA_VARIANTS = {
  bare: { handler: 'bare.handler', env: {} },
  'lookout-wrap': { handler: 'wrapped.handler', env: {} },
  'lookout-wrap-xray': { handler: 'wrapped.handler', env: { LOOKOUT_TRACES_EXPORTER: 'xray' } },
  // The same with delivery after the response off: the order without the Extensions API.
  'lookout-wrap-waiting': {
    handler: 'wrapped.handler',
    env: { LOOKOUT_LAMBDA_DELIVER_AFTER_RESPONSE: 'false' },
  },
  'lookout-layer': { handler: 'bare.handler', env: {}, layer: true },
  'powertools-middy': { handler: 'powertools.handler', env: { AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' } },
  // The two delivery routes' floors, for docs/decisions/0010 (benchmarks/decisions/lambda-delivery-route.mjs).
  'internal-floor': { handler: 'internal-floor.handler', env: {} },
  'external-floor': { handler: 'bare.handler', env: {}, externalExtensions: ['noop-extension'] },
  'otel-lambda': {
    handler: 'bare.handler',
    env: { NODE_OPTIONS: `--import ${join(ROOT, 'benchmarks', 'peers', 'otel-lambda.mjs')}` },
  },
};

/** An API Gateway HTTP API event, as every invocation's payload. */
export const HTTP_EVENT = {
  version: '2.0',
  routeKey: 'GET /items/{id}',
  rawPath: '/items/7',
  headers: { host: 'bench.execute-api.eu-west-1.amazonaws.com', 'user-agent': 'bench' },
  requestContext: {
    domainName: 'bench.execute-api.eu-west-1.amazonaws.com',
    http: { method: 'GET', path: '/items/7', sourceIp: '203.0.113.1', userAgent: 'bench' },
  },
};

/** A sampled trace header, new for each invocation, as Lambda sets it with active tracing. */
export function newTraceHeader() {
  const random = (/** @type {number} */ bytes) =>
    createHash('sha256')
      .update(String(Math.random()))
      .digest('hex')
      .slice(0, bytes * 2);
  const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${random(12)}`;
  return `Root=${root};Parent=${random(8)};Sampled=1`;
}

function layerKey() {
  const hash = createHash('sha256');
  const add = (/** @type {string} */ dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) add(path);
      else hash.update(`${path}:${stat.size}:${stat.mtimeMs}\n`);
    }
  };
  add(join(ROOT, 'dist', 'esm'));
  add(join(ROOT, 'dist', 'cjs'));
  add(join(ROOT, 'layer'));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Extracts a zip written by layer/zip.mjs (stored or deflated entries, Unix modes).
 * @param {Buffer} zip
 * @param {string} dir
 */
function extract(zip, dir) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let offset = zip.readUInt32LE(end + 16);
  for (let index = zip.readUInt16LE(end + 10); index > 0; index--) {
    const method = zip.readUInt16LE(offset + 10);
    const size = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const skip = zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    const mode = (zip.readUInt32LE(offset + 38) >>> 16) & 0o7777;
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    const target = join(dir, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, method === 8 ? inflateRawSync(raw) : raw, { mode: mode || 0o644 });
    offset += 46 + nameLength + skip;
  }
}

/** The extracted layer (the folder playing /opt), built once per change of dist/ or layer/. */
export async function ensureLayer() {
  const dir = join(LAYER_CACHE, layerKey());
  const opt = join(dir, 'opt');
  if (existsSync(join(opt, 'lookout-handler')))
    return { opt, zipBytes: statSync(join(dir, 'layer.zip')).size };
  rmSync(LAYER_CACHE, { recursive: true, force: true });
  const { out, bytes } = await buildLayer({ out: join(dir, 'layer.zip'), log: () => {} });
  extract(readFileSync(out), opt);
  return { opt, zipBytes: bytes };
}

/**
 * Spawns the function for a variant; stdout goes to /dev/null, stderr is kept (its last 8 KiB).
 * @param {string} variant
 * @param {{ otlpEndpoint: string, xrayAddress: string, datadogAgentUrl: string }} infrastructure
 * @param {{ address: string, registered(name: string): Promise<void> }} api the Runtime API stand-in
 */
export async function startLambdaFunction(variant, infrastructure, api) {
  const runtimeApi = api.address;
  const config = LAMBDA_VARIANTS[variant];
  if (config === undefined)
    throw new Error(
      `variant ${variant} has no Lambda launch; known: ${Object.keys(LAMBDA_VARIANTS).join(', ')}`,
    );
  const layer = config.layer ? await ensureLayer() : undefined;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...commonEnv(infrastructure),
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    LAMBDA_TASK_ROOT: APPS,
    _HANDLER: config.handler,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    TZ: ':UTC',
    ...config.env,
    // For profiling a variant by hand: BENCH_PROFILE_DIR=<dir> preloads profile-function.cjs,
    // and stop() asks it to write <dir>/function.cpuprofile.
    ...(process.env.BENCH_PROFILE_DIR === undefined
      ? {}
      : {
          BENCH_PROFILE_DIR: process.env.BENCH_PROFILE_DIR,
          BENCH_PROFILE_INTERVAL_US: process.env.BENCH_PROFILE_INTERVAL_US ?? '',
          NODE_OPTIONS:
            `${config.env.NODE_OPTIONS ?? ''} --require ${join(ROOT, 'benchmarks', 'lib', 'profile-function.cjs')}`.trim(),
        }),
    ...(layer === undefined
      ? {}
      : { AWS_LAMBDA_EXEC_WRAPPER: join(layer.opt, 'lookout-handler'), LAMBDA_TEST_OPT_DIR: layer.opt }),
  };
  const spawnedAt = performance.now();
  // As Lambda does, external extensions start first and the runtime once they registered.
  const extensions = (config.externalExtensions ?? []).map((name) =>
    spawn(join(APPS, 'extensions', name), [], { cwd: APPS, env, stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  for (const name of config.externalExtensions ?? []) await api.registered(name);
  const child = spawn(BOOTSTRAP, [], { cwd: APPS, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    spawnedAt,
    child,
    exited,
    stderr: () => stderr,
    /** The function's process and its external extensions', for CPU accounting. */
    pids: () => [child.pid, ...extensions.map((extension) => extension.pid)],
    env: { ...config.env, handler: config.handler, layer: config.layer === true },
    layerZipBytes: layer?.zipBytes,
    async stop() {
      for (const extension of extensions) if (extension.exitCode === null) extension.kill('SIGKILL');
      // Profiling by hand: let the process exit normally so its profile gets written.
      const profiling = process.env.BENCH_PROFILE_DIR !== undefined;
      if (child.exitCode === null && child.signalCode === null) child.kill(profiling ? 'SIGUSR2' : 'SIGKILL');
      // A profiled process that does not end by itself once its profile is written is killed.
      const timer = profiling ? setTimeout(() => child.kill('SIGKILL'), 5000) : undefined;
      await exited;
      clearTimeout(timer);
    },
  };
}
