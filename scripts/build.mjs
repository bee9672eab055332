// Builds dist/: declarations from tsc, JavaScript from esbuild, for ESM and CommonJS.
//
// Why a bundler: module loading is most of OpenTelemetry's start-up cost (hundreds of files).
// Bundling the SDK into Lookout's own files halves what `init()` adds to a cold start
// (docs/decisions/0001-tracing-composition.md has the figures).
//
// Why the core is its own bundle: every entry point (index, register, express, lambda, cli)
// imports `src/core.ts`, and the build keeps that import external, so each build loads exactly
// one copy of the core's state (one config, one logger). The core is written as core-impl.js;
// core.js, what the entries import, is a small file that hands out the core already loaded in
// this process, by either build (a global symbol), or else its own: an app started with
// `--import lookout/register` that also calls `require('lookout').init()` gets one instance
// (docs/decisions/0016-one-core-per-process.md).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const quiet = process.argv.includes('--quiet');

/** The value after a command-line flag, for the experiment options below. */
function flagValue(flag) {
  const index = process.argv.indexOf(flag);
  return index === -1 ? undefined : process.argv[index + 1];
}

// For measuring build decisions (docs/decisions/): `--out-dir .scratch/x` builds elsewhere and
// `--external a,b` keeps more packages out of the bundles, so two builds can be compared.
const dist = resolve(root, flagValue('--out-dir') ?? 'dist');
const extraExternal = (flagValue('--external') ?? '').split(',').filter(Boolean);

/** Entry points, as paths under src/ without extension. The core must come first. */
export const ENTRIES = [
  'core',
  'index',
  'register',
  'express/index',
  'lambda/index',
  'lambda/auto',
  'lambda/extension/internal-extension',
  'cli/main',
  'cdk/index',
];

/**
 * Kept out of the bundles:
 * - @opentelemetry/api: one copy shared with the app. Copies share the global registry, but a
 *   tracer the app takes from its own copy before Lookout starts (a module-level
 *   `trace.getTracer()` under ESM import hoisting, or before `wrap()`) is a proxy that only its
 *   own copy can connect to the real provider (docs/decisions/0002-bundle-api-and-powertools.md);
 * - import-in-the-middle: its loader thread and the main thread share state through its files;
 * - peers the app brings (express, middy, aws-cdk-lib, constructs) and optional heavy tools.
 *
 * Bundled on purpose: Powertools Logger and Metrics. Resolving and loading their many small
 * files is a large share of start-up; Lookout subclasses them, and their Lambda state lives on
 * `globalThis.awslambda`, shared with any copy the app has.
 */
export const EXTERNAL = [
  '@opentelemetry/api',
  'import-in-the-middle',
  'express',
  '@middy/core',
  'aws-cdk-lib',
  'aws-cdk-lib/*',
  'constructs',
  'cdk-nag',
  'aws-xray-sdk-core',
  'aws-xray-sdk-core/*',
];

const log = (message) => {
  if (!quiet) process.stdout.write(`${message}\n`);
};

function existingEntries() {
  return ENTRIES.filter((entry) => {
    try {
      return statSync(join(src, `${entry}.ts`)).isFile();
    } catch {
      return false;
    }
  });
}

/** Keeps every import of src/core.ts external (except from the core bundle itself). */
const coreExternal = {
  name: 'core-external',
  setup(pluginBuild) {
    const coreFile = join(src, 'core.ts');
    pluginBuild.onResolve({ filter: /(^|\/)core\.js$/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      if (target !== coreFile) return undefined;
      // The import is written relative to the importing file, but it ends up in its entry's
      // bundle: every entry sits in src/ (index, register) or one folder down (express/index,
      // cli/main), so the bundle reaches the core at ./core.js or ../core.js, however deep
      // the importing file was (src/express/security/x.ts imports '../../core.js').
      const inSubfolder = relative(src, args.importer).includes(sep);
      return { path: inSubfolder ? '../core.js' : './core.js', external: true };
    });
  },
};

const SEMCONV = '@opentelemetry/semantic-conventions';
const SEMCONV_ESM = join(root, 'node_modules', '@opentelemetry', 'semantic-conventions', 'dist', 'index.mjs');

/** The semantic-convention names a CommonJS file reads, or undefined if it uses the module otherwise. */
function semconvNamesUsedBy(file) {
  const source = readFileSync(file, 'utf8');
  const binding = new RegExp(`(?:const|var|let)\\s+(\\w+)\\s*=\\s*require\\(["']${SEMCONV}["']\\)`).exec(
    source,
  )?.[1];
  if (binding === undefined) return undefined;
  const names = new Set();
  const uses = source.match(new RegExp(`\\b${binding}\\b(\\.[A-Za-z0-9_$]+)?`, 'g')) ?? [];
  for (const use of uses) {
    if (!use.includes('.')) continue;
    names.add(use.slice(binding.length + 1));
  }
  // Exactly one bare use (the require itself) means every other use is a property read.
  const bareUses = uses.filter((use) => !use.includes('.')).length;
  return bareUses === 1 && names.size > 0 ? [...names] : undefined;
}

/**
 * Start-up cost shaping, decided by instruction counts (docs/decisions/0001):
 * - `debug` (used by require-in-the-middle for DEBUG output) is replaced by scripts/shims/debug.cjs;
 * - a CommonJS instrumentation's `require('@opentelemetry/semantic-conventions')` becomes a
 *   module re-exporting only the names that file reads, from the ES module build the SDK
 *   already uses, so the whole CommonJS copy (tens of millions of instructions to evaluate)
 *   is never loaded. A file that uses the module any other way gets the real module.
 */
const startupShaping = {
  name: 'startup-shaping',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^debug$/ }, () => ({
      path: join(root, 'scripts', 'shims', 'debug.cjs'),
    }));
    pluginBuild.onResolve({ filter: /^@opentelemetry\/semantic-conventions$/ }, (args) => {
      if (args.kind !== 'require-call') return undefined;
      const names = semconvNamesUsedBy(args.importer);
      if (names === undefined) return undefined;
      return { path: args.importer, namespace: 'semconv-slice', pluginData: { names } };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'semconv-slice' }, (args) => ({
      contents: `export { ${args.pluginData.names.join(', ')} } from ${JSON.stringify(SEMCONV_ESM)};`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * ES module output only: a bundled CommonJS dependency's `require('@opentelemetry/api')` would
 * stay a runtime `require()` call, which a bundler downstream (an app bundling its Lambda
 * handler with esbuild) cannot follow, so the api would be missing from the app's bundle. It
 * becomes a module that re-exports the api through a static `export * from`, which both Node
 * and bundlers follow; the api itself stays external (one copy shared with the app).
 */
const apiRequireBridge = {
  name: 'api-require-bridge',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@opentelemetry\/api$/ }, (args) =>
      args.kind === 'require-call'
        ? { path: '@opentelemetry/api', namespace: 'api-require-bridge' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'api-require-bridge' }, () => ({
      contents: "export * from '@opentelemetry/api';",
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/** The file the core is bundled into; `core.js` beside it hands out the process's one core. */
const CORE_IMPLEMENTATION = 'core-impl';

/**
 * Writes dist/{esm,cjs}/core.js: the core registered in this process under a global symbol (by
 * whichever build loaded first), or else this build's own core-impl.js, registered. The key
 * holds the version, so two different versions of Lookout never hand each other their core.
 * The ES module file re-exports every name of the core by name (the list comes from the
 * build's own metafile); the CommonJS file hands out the object itself.
 */
function writeSharedCore(esmMetafile) {
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const output = Object.entries(esmMetafile.outputs).find(([file]) =>
    file.endsWith(`/esm/${CORE_IMPLEMENTATION}.js`),
  );
  if (output === undefined) return; // no core in this build (a partial --out-dir experiment)
  const names = output[1].exports.filter((name) => name !== 'default');
  const key = `Symbol.for(${JSON.stringify(`lookout.core/${version}`)})`;
  const header =
    '// One Lookout core per process, whichever build loaded it first (docs/decisions/0016-one-core-per-process.md).\n';
  writeFileSync(
    join(dist, 'esm', 'core.js'),
    `${header}import * as own from './${CORE_IMPLEMENTATION}.js';\n` +
      `const core = (globalThis[${key}] ??= own);\n` +
      `export const { ${names.join(', ')} } = core;\n`,
  );
  writeFileSync(
    join(dist, 'cjs', 'core.js'),
    `${header}'use strict';\nmodule.exports = globalThis[${key}] ??= require('./${CORE_IMPLEMENTATION}.js');\n`,
  );
}

/**
 * The error store's forwarder (src/lambda/error-store/handler.ts), the code of the Lambda
 * function `ErrorStore` deploys: one self-contained ES module, Lookout's core, the AWS SDK's
 * DynamoDB client and everything else bundled in, so the asset is this folder alone and the
 * SDK version that runs is the one the tests ran (docs/decisions/0025-error-store-off-the-request-path.md).
 */
export const ERROR_STORE_FORWARDER_DIR = 'error-store-forwarder';

function buildErrorStoreForwarder() {
  return build({
    entryPoints: [join(src, 'lambda', 'error-store', 'handler.ts')],
    outfile: join(dist, ERROR_STORE_FORWARDER_DIR, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    plugins: [startupShaping, apiRequireBridge],
    minify: true,
    keepNames: true,
    legalComments: 'linked',
    logLevel: 'warning',
    metafile: true,
    banner: {
      js: "import { createRequire as __lookoutCreateRequire } from 'node:module'; const require = __lookoutCreateRequire(import.meta.url);",
    },
  });
}

function copyDeclarations(from, to) {
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name);
    if (statSync(source).isDirectory()) {
      copyDeclarations(source, target);
    } else if (name.endsWith('.d.ts')) {
      mkdirSync(dirname(target), { recursive: true });
      cpSync(source, target);
    }
  }
}

async function main() {
  const started = performance.now();
  rmSync(dist, { recursive: true, force: true });

  log('build: declarations (tsc)');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.json'), '--emitDeclarationOnly', '--outDir', join(dist, 'types')],
    {
      stdio: 'inherit',
    },
  );

  const entries = existingEntries();
  const common = {
    entryPoints: entries.map((entry) => ({
      in: join(src, `${entry}.ts`),
      out: entry === 'core' ? CORE_IMPLEMENTATION : entry,
    })),
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Prefer each dependency's ES module build so unused exports are dropped.
    mainFields: ['module', 'main'],
    external: [...EXTERNAL, ...extraExternal],
    plugins: [coreExternal, startupShaping],
    sourcemap: 'linked',
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: 'linked',
    logLevel: 'warning',
    metafile: true,
  };

  log(`build: esm (${entries.length} entries)`);
  const esm = await build({
    ...common,
    plugins: [...common.plugins, apiRequireBridge],
    format: 'esm',
    outdir: join(dist, 'esm'),
    // Lazy `require()` calls in the source need a real `require` in ES module output. When an
    // app bundles this output again into CommonJS (esbuild for Lambda), `import.meta` is empty
    // there and the module's own `__filename` serves instead.
    banner: {
      js: "import { createRequire as __lookoutCreateRequire } from 'node:module'; const require = __lookoutCreateRequire(import.meta.url ?? __filename);",
    },
  });
  log('build: cjs');
  const cjs = await build({ ...common, format: 'cjs', outdir: join(dist, 'cjs') });
  writeFileSync(join(dist, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

  writeSharedCore(esm.metafile);
  log('build: error store forwarder');
  const forwarder = await buildErrorStoreForwarder();

  // The same declarations serve both builds; the CommonJS copy sits under the
  // `"type": "commonjs"` scope above so TypeScript reads it as CommonJS.
  copyDeclarations(join(dist, 'types'), join(dist, 'esm'));
  copyDeclarations(join(dist, 'types'), join(dist, 'cjs'));
  rmSync(join(dist, 'types'), { recursive: true, force: true });

  // The `lookout dev` page: plain files served as they are (no build step at run time).
  cpSync(join(src, 'cli', 'dev', 'ui'), join(dist, 'ui'), { recursive: true });

  mkdirSync(join(dist, 'meta'), { recursive: true });
  writeFileSync(join(dist, 'meta', 'esm.json'), JSON.stringify(esm.metafile));
  writeFileSync(join(dist, 'meta', 'cjs.json'), JSON.stringify(cjs.metafile));
  // What the package checks read (test/package/error-store-forwarder.test.ts), not the whole
  // metafile: it would add 700 KB to every install.
  const [forwarderFile, forwarderOutput] = Object.entries(forwarder.metafile.outputs).find(([file]) =>
    file.endsWith('.mjs'),
  );
  writeFileSync(
    join(dist, 'meta', 'error-store-forwarder.json'),
    JSON.stringify({
      output: relative(root, forwarderFile),
      bytes: forwarderOutput.bytes,
      inputs: Object.keys(forwarderOutput.inputs),
      externalImports: forwarderOutput.imports.filter((entry) => entry.external).map((entry) => entry.path),
    }),
  );

  for (const [format, result] of [
    ['esm', esm],
    ['cjs', cjs],
    ['esm', forwarder],
  ]) {
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      if (file.endsWith('.js'))
        log(
          `  ${relative(root, file).padEnd(32)} ${(output.bytes / 1024).toFixed(1).padStart(7)} KiB  (${format})`,
        );
    }
  }
  log(`build: done in ${Math.round(performance.now() - started)} ms`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
