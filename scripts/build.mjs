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
//
// What a user's stack trace shows of Lookout (docs/decisions/0041-readable-stack-frames.md):
// no identifier is renamed anywhere, so every frame names the real function; the entry
// bundles (express, lambda, register, index, cli, cdk) are printed readable, one statement a
// line under a `// src/<file>.ts` marker; the core, which every app loads at start, is
// minified with lines cut at LINE_LIMIT characters, so a frame's line:column points into a
// short line (unminified, its extra bytes cost measurable start-up time). No source maps
// unless asked for (`--sourcemap`): the published package ships none.
//
//   node scripts/build.mjs              build dist/
//   node scripts/build.mjs --if-stale   only when dist/ is missing or older than its sources
//   node scripts/build.mjs --sourcemap  also write source maps (for debugging Lookout itself)
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isBuildStale } from './lib/build-if-stale.mjs';
import { dropRedundantNames } from './lib/drop-redundant-names.mjs';
import { inputsNotAllowed } from './lib/lazy-file-inputs.mjs';
import { prunePublicDeclarations } from './lib/public-declarations.mjs';
import { requirePackagesOnce } from './lib/require-packages-once.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const quiet = process.argv.includes('--quiet');

/**
 * The value after a command-line flag, for the experiment options below.
 * @param {string} flag
 * @returns {string | undefined}
 */
function flagValue(flag) {
  const index = process.argv.indexOf(flag);
  return index === -1 ? undefined : process.argv[index + 1];
}

// For measuring build decisions (docs/decisions/): `--out-dir .scratch/x` builds elsewhere and
// `--external a,b` keeps more packages out of the bundles, so two builds can be compared.
const dist = resolve(root, flagValue('--out-dir') ?? 'dist');
const extraExternal = (flagValue('--external') ?? '').split(',').filter(Boolean);
// `--print minified|readable` prints every bundle one way, for measuring decision 0041.
const printMode = flagValue('--print') ?? 'split';
/** @type {'linked' | false} */
const sourcemap = process.argv.includes('--sourcemap') ? 'linked' : false;

/** Longest line of the minified core, so a stack frame's column points into a line one can read. */
const LINE_LIMIT = 160;

/** How a bundle is printed: never renaming, minified with short lines or readable (decision 0041). */
const PRINTING = {
  minified: { minifyWhitespace: true, minifySyntax: true, lineLimit: LINE_LIMIT, keepNames: true },
  readable: { minifyWhitespace: false, minifySyntax: false, keepNames: true },
};

/**
 * Whether an entry's bundle is minified: the core in the default build, or every one when asked.
 * @param {string} entry
 */
function isMinified(entry) {
  if (printMode === 'minified' || printMode === 'readable') return printMode === 'minified';
  return entry === 'core';
}

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
 * Entries built as ES modules only: the command runs from bin/lookout.mjs, an ES module, and no
 * export names it, so a CommonJS copy would be half a megabyte in every install that nothing loads.
 */
export const ESM_ONLY = ['cli/main'];

/**
 * Kept out of the bundles:
 * - @opentelemetry/api: one copy shared with the app. Copies share the global registry, but a
 *   tracer the app takes from its own copy before Lookout starts (a module-level
 *   `trace.getTracer()` under ESM import hoisting, or before `wrap()`) is a proxy that only its
 *   own copy can connect to the real provider (docs/decisions/0002-bundle-api-and-powertools.md);
 * - import-in-the-middle: its loader thread and the main thread share state through its files;
 * - peers the app brings (express, middy, aws-cdk-lib, constructs) and optional heavy tools;
 * - the OpenTelemetry logs SDK and its OTLP exporters: only `LOOKOUT_LOGS_EXPORTER=otlp` loads
 *   them (docs/decisions/0049-logs-over-otlp.md), so they stay out of the core bundle that every
 *   start-up reads and are required from node_modules when asked for.
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
  '@opentelemetry/sdk-logs',
  '@opentelemetry/exporter-logs-otlp-proto',
  '@opentelemetry/exporter-logs-otlp-http',
  // The package itself, found at run time (`require.resolve('lookout/package.json')`).
  'lookout',
  'lookout/*',
];

/** @param {string} message */
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

/**
 * Keeps every import of src/core.ts external (except from the core bundle itself).
 * @type {import('esbuild').Plugin}
 */
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

/**
 * The semantic-convention names a CommonJS file reads, or undefined if it uses the module otherwise.
 * @param {string} file
 * @returns {string[] | undefined}
 */
function semconvNamesUsedBy(file) {
  return namesReadThroughRequire(readFileSync(file, 'utf8'), SEMCONV);
}

/**
 * `text` with every character a regular expression gives a meaning escaped.
 * @param {string} text
 */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The names a CommonJS source reads off its `require(specifier)` binding, or undefined when it
 * uses the module any other way (passes it on, reads it by a computed key).
 * @param {string} source
 * @param {string} specifier
 * @returns {string[] | undefined}
 */
function namesReadThroughRequire(source, specifier) {
  const quoted = escapeRegExp(specifier);
  const binding = new RegExp(`(?:const|var|let)\\s+(\\w+)\\s*=\\s*require\\(["']${quoted}["']\\)`).exec(
    source,
  )?.[1];
  if (binding === undefined) return undefined;
  /** @type {Set<string>} */
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

/** Powertools' per-invocation stores, the one file of commons the switch shim stands in for. */
const POWERTOOLS_INVOCATION_SCOPED =
  /[\\/]@aws-lambda-powertools[\\/]commons[\\/]lib[\\/](?:esm|cjs)[\\/]InvocationScoped\.js$/;

/** Powertools Logger's class, the one file whose `node:crypto` import the crypto shim stands in for. */
const POWERTOOLS_LOGGER_CLASS =
  /[\\/]@aws-lambda-powertools[\\/]logger[\\/]lib[\\/](?:esm|cjs)[\\/]Logger\.js$/;

/**
 * The names a file takes from `specifier`, or undefined when it uses the module another way: an
 * ES module build imports them by name, a CommonJS one reads them off its binding.
 * @param {string} file
 * @param {string} specifier
 * @returns {string[] | undefined}
 */
function namesImportedBy(file, specifier) {
  const source = readFileSync(file, 'utf8');
  const quoted = escapeRegExp(specifier);
  const imported = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*['"]${quoted}['"]`).exec(source)?.[1];
  if (imported !== undefined)
    return imported
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
  return namesReadThroughRequire(source, specifier);
}

/**
 * Start-up cost shaping, decided by instruction counts (docs/decisions/0001):
 * - `debug` (used by require-in-the-middle for DEBUG output) is replaced by scripts/shims/debug.cjs;
 * - a CommonJS instrumentation's `require('@opentelemetry/semantic-conventions')` becomes a
 *   module re-exporting only the names that file reads, from the ES module build the SDK
 *   already uses, so the whole CommonJS copy (tens of millions of instructions to evaluate)
 *   is never loaded. A file that uses the module any other way gets the real module;
 * - Powertools commons' InvocationScoped stores get `shouldUseInvokeStore()` from
 *   scripts/shims/powertools-invoke-store-switch.cjs, which reads its variable once per process
 *   instead of on every store access (docs/decisions/0064-invoke-store-switch-read-once.md). The
 *   build fails if a Powertools upgrade makes that file read anything else from `envUtils.js`;
 * - Powertools Logger's `randomInt` (debug log sampling) comes from
 *   scripts/shims/powertools-logger-crypto.cjs, which loads node:crypto on its first call
 *   rather than at start-up (docs/decisions/0068-builtins-loaded-on-first-use.md); the build
 *   fails if the Logger takes anything else from node:crypto.
 * @type {import('esbuild').Plugin}
 */
const startupShaping = {
  name: 'startup-shaping',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^debug$/ }, () => ({
      path: join(root, 'scripts', 'shims', 'debug.cjs'),
    }));
    pluginBuild.onResolve({ filter: /^\.\/envUtils\.js$/ }, (args) => {
      if (!POWERTOOLS_INVOCATION_SCOPED.test(args.importer)) return undefined;
      const names = namesImportedBy(args.importer, './envUtils.js');
      if (names?.length !== 1 || names[0] !== 'shouldUseInvokeStore') {
        throw new Error(
          `${args.importer} reads ${names?.join(', ') ?? 'envUtils.js as a whole'}, not only shouldUseInvokeStore: update scripts/shims/powertools-invoke-store-switch.cjs (docs/decisions/0064-invoke-store-switch-read-once.md)`,
        );
      }
      return { path: join(root, 'scripts', 'shims', 'powertools-invoke-store-switch.cjs') };
    });
    pluginBuild.onResolve({ filter: /^node:crypto$/ }, (args) => {
      if (!POWERTOOLS_LOGGER_CLASS.test(args.importer)) return undefined;
      const names = namesImportedBy(args.importer, 'node:crypto');
      if (names?.length !== 1 || names[0] !== 'randomInt') {
        throw new Error(
          `${args.importer} takes ${names?.join(', ') ?? 'node:crypto as a whole'} from node:crypto, not only randomInt: update scripts/shims/powertools-logger-crypto.cjs (docs/decisions/0068-builtins-loaded-on-first-use.md)`,
        );
      }
      return { path: join(root, 'scripts', 'shims', 'powertools-logger-crypto.cjs') };
    });
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
 * @type {import('esbuild').Plugin}
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

/**
 * Packages the core loads only when the configuration asks for them (an instrumentation, an
 * OTLP exporter, the metrics SDK), each built into a file of its own under dist/cjs/lazy/
 * instead of into the CommonJS core: a process compiles them when it first `require()`s them,
 * not at start-up (docs/decisions/0055-start-up-loads-what-it-starts.md). The ES module core
 * keeps them inside: there a lazy `require()` goes through the `require` the module makes for
 * itself, which a bundler downstream (an app bundling its Lambda handler) cannot follow, so a
 * file of its own would be missing from the app's bundle. The layer, which nobody bundles
 * again, gives its ES module entries the CommonJS core (layer/build-layer.mjs). A package one of them
 * shares with another is a file of its own too, so nothing is loaded twice. Subpaths of these
 * packages (`@opentelemetry/otlp-exporter-base/node-http`) are files of their own as well.
 *
 * `@opentelemetry/otlp-transformer` is not one: each exporter's file bundles the part it uses.
 * Shared, its one file held the metrics serializer, whose import of the metrics SDK made the
 * first span export load and compile the metrics SDK too (docs/decisions/0062-span-export-without-the-metrics-sdk.md).
 */
export const LAZY_PACKAGES = [
  '@opentelemetry/instrumentation',
  '@opentelemetry/instrumentation-aws-sdk',
  '@opentelemetry/instrumentation-express',
  '@opentelemetry/otlp-exporter-base',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-metrics-otlp-proto',
  '@opentelemetry/exporter-metrics-otlp-http',
  '@opentelemetry/sdk-metrics',
];

/** Where the lazily loaded files go, under dist/cjs/. */
export const LAZY_DIR = 'lazy';

/**
 * The lazily loaded package an import names, or undefined.
 * @param {string} specifier
 */
function lazyPackageOf(specifier) {
  return LAZY_PACKAGES.find((name) => specifier === name || specifier.startsWith(`${name}/`));
}

/**
 * The file name (without extension) a lazily loaded import is built into.
 * @param {string} specifier
 */
function lazyFileOf(specifier) {
  return specifier.replace(/^@opentelemetry\//, '').replaceAll('/', '--');
}

/** The one piece of @opentelemetry/core's module state a lazy file uses: the error handler. */
const ERROR_HANDLER_KEY = 'lookout.otel-global-error-handler';

/**
 * Keeps every import of a lazily loaded package external, as a `require()` of its own file
 * under dist/cjs/lazy/, and records the imports it saw (the files to build).
 * @param {{ fromDir: string, seen: Set<string>, own?: string }} options `fromDir`: the folder
 *   of the output file relative to dist/cjs/ ('' for the core, 'lazy' for a lazy file); `own`:
 *   the import a lazy file is built from, bundled rather than kept external.
 * @returns {import('esbuild').Plugin}
 */
function lazyPackages({ fromDir, seen, own }) {
  return {
    name: 'lazy-packages',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^@opentelemetry\// }, (args) => {
        if (lazyPackageOf(args.path) === undefined || args.path === own) return undefined;
        seen.add(args.path);
        const target = `${LAZY_DIR}/${lazyFileOf(args.path)}.js`;
        const relativePath = relative(fromDir, target).split(sep).join('/');
        return { path: relativePath.startsWith('.') ? relativePath : `./${relativePath}`, external: true };
      });
    },
  };
}

/**
 * In a lazy file, @opentelemetry/core is bundled like any dependency, except its global error
 * handler: errors go to the handler the core set (docs/decisions/0055), through a function
 * the core puts on a global symbol (src/tracing/bridge-otel-diagnostics.ts).
 * @type {import('esbuild').Plugin}
 */
const sharedErrorHandler = {
  name: 'shared-error-handler',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@opentelemetry\/core$/ }, (args) =>
      args.pluginData === 'real'
        ? undefined
        : { path: args.path, namespace: 'shared-error-handler', pluginData: args.resolveDir },
    );
    pluginBuild.onResolve({ filter: /^real:/, namespace: 'shared-error-handler' }, (args) =>
      pluginBuild.resolve(args.path.slice('real:'.length), {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'real',
      }),
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'shared-error-handler' }, (args) => ({
      contents:
        "import { globalErrorHandler as ownHandler } from 'real:@opentelemetry/core';\n" +
        "export * from 'real:@opentelemetry/core';\n" +
        'export function globalErrorHandler(error) {\n' +
        `  const shared = globalThis[Symbol.for(${JSON.stringify(ERROR_HANDLER_KEY)})];\n` +
        '  (typeof shared === "function" ? shared : ownHandler)(error);\n' +
        '}\n',
      loader: 'js',
      resolveDir: args.pluginData,
    }));
  },
};

/**
 * How every file under dist/cjs/lazy/ is built, a lazily loaded package's or one of Lookout's
 * own modules': CommonJS, minified like the core, @opentelemetry/core's error handler shared with
 * the core, and the lazily loaded packages it imports kept as files of their own (`lazyImports`,
 * a lazyPackages plugin).
 * @param {import('esbuild').Plugin} lazyImports
 */
function lazyFileOptions(lazyImports) {
  return {
    bundle: true,
    platform: /** @type {const} */ ('node'),
    target: 'node20',
    format: /** @type {const} */ ('cjs'),
    mainFields: ['module', 'main'],
    external: [...EXTERNAL, ...extraExternal],
    plugins: [lazyImports, sharedErrorHandler, startupShaping],
    sourcemap,
    legalComments: /** @type {const} */ ('linked'),
    logLevel: /** @type {const} */ ('warning'),
    metafile: true,
    ...PRINTING.minified,
  };
}

/**
 * Lookout's own modules that the CommonJS core loads from files of their own under
 * dist/cjs/lazy/, at the first `require()` of them, which only a configuration that uses them
 * makes (docs/decisions/0074-xray-exporter-loaded-when-chosen.md). Such a file is bundled apart
 * from the core, so it may carry only modules without state of the core's: `may` lists the
 * source files (or folders) it is allowed to hold, and the build fails on any other. What the
 * module needs from the core's state, its caller hands it.
 */
export const OWN_LAZY_MODULES = [
  {
    source: 'tracing/xray/create-xray-span-exporter.ts',
    file: 'xray-span-exporter',
    may: [
      'tracing/xray/',
      'runtime/env.ts',
      'runtime/random-ids.ts',
      'config/parse-daemon-address.ts',
      'context/xray-trace-id.ts',
    ],
  },
  {
    // Read only when an OTLP certificate file is set (src/config/load-otlp-tls.ts).
    source: 'config/read-otlp-tls-files.ts',
    file: 'otlp-tls-files',
    may: ['config/read-otlp-tls-files.ts'],
  },
];

/**
 * In the CommonJS core, keeps every import of an OWN_LAZY_MODULES source external, as a
 * `require()` of its file under dist/cjs/lazy/.
 * @type {import('esbuild').Plugin}
 */
const ownLazyModules = {
  name: 'own-lazy-modules',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
      const module = OWN_LAZY_MODULES.find((candidate) => join(src, candidate.source) === target);
      return module === undefined ? undefined : { path: `./${LAZY_DIR}/${module.file}.js`, external: true };
    });
  },
};

/**
 * Builds each of OWN_LAZY_MODULES into dist/cjs/lazy/, minified like the core, and checks that
 * it holds only the files it may. Lazily loaded packages it imports are added to `seen`.
 * @param {Set<string>} seen
 * @returns {Promise<import('esbuild').Metafile[]>}
 */
async function buildOwnLazyFiles(seen) {
  const metafiles = [];
  for (const module of OWN_LAZY_MODULES) {
    const result = await build({
      ...lazyFileOptions(lazyPackages({ fromDir: LAZY_DIR, seen })),
      entryPoints: [{ in: join(src, module.source), out: module.file }],
      outdir: join(dist, 'cjs', LAZY_DIR),
    });
    const metafile = metafileOf(result);
    const foreign = inputsNotAllowed(Object.keys(metafile.inputs), module.may);
    if (foreign.length > 0)
      throw new Error(
        `dist/cjs/${LAZY_DIR}/${module.file}.js would carry ${foreign.join(', ')}, which it may not (a copy of core state?): hand it what it needs from the core, or list the files in OWN_LAZY_MODULES if they hold no state (docs/decisions/0074-xray-exporter-loaded-when-chosen.md)`,
      );
    metafiles.push(metafile);
  }
  return metafiles;
}

/**
 * Builds every lazily loaded file the core (and, in turn, each lazy file) imports, as
 * CommonJS under dist/cjs/lazy/, minified like the core. Returns their metafiles.
 * @param {Set<string>} seen the imports the core build kept external
 * @returns {Promise<import('esbuild').Metafile[]>}
 */
async function buildLazyFiles(seen) {
  /** @type {import('esbuild').Metafile[]} */
  const metafiles = [];
  const built = new Set();
  for (;;) {
    const pending = [...seen].filter((specifier) => !built.has(specifier));
    if (pending.length === 0) return metafiles;
    for (const specifier of pending) {
      built.add(specifier);
      const result = await build({
        stdin: {
          contents: `module.exports = require(${JSON.stringify(specifier)});`,
          resolveDir: root,
          sourcefile: `lazy:${specifier}`,
          loader: 'js',
        },
        outfile: join(dist, 'cjs', LAZY_DIR, `${lazyFileOf(specifier)}.js`),
        ...lazyFileOptions(lazyPackages({ fromDir: LAZY_DIR, seen, own: specifier })),
      });
      metafiles.push(metafileOf(result));
    }
  }
}

/** The one-file build of `@opentelemetry/api` and the module that puts it in Node's cache. */
const API_FILE = 'opentelemetry-api';
const API_SHARING_FILE = 'share-opentelemetry-api';

/**
 * Writes dist/cjs/opentelemetry-api.js, the installed `@opentelemetry/api` (its CommonJS build,
 * what Node resolves the package to) bundled into one file, and dist/cjs/share-opentelemetry-api.js,
 * which core.js calls to load the app's api from that file when the installed version is this
 * one (docs/decisions/0067-opentelemetry-api-from-one-file.md). Returns the bundled version and
 * the builds' metafile.
 * @returns {Promise<{ version: string, metafile: import('esbuild').Metafile }>}
 */
async function buildSharedApi() {
  const apiRequire = createRequire(join(root, 'package.json'));
  const main = apiRequire.resolve('@opentelemetry/api');
  // The package exports no package.json; its main is build/src/index.js, three folders down.
  const { version } = JSON.parse(readFileSync(join(main, '..', '..', '..', 'package.json'), 'utf8'));
  const shared = {
    bundle: true,
    platform: /** @type {const} */ ('node'),
    target: 'node20',
    format: /** @type {const} */ ('cjs'),
    sourcemap,
    legalComments: /** @type {const} */ ('linked'),
    logLevel: /** @type {const} */ ('warning'),
    metafile: true,
  };
  const results = await Promise.all([
    // Its own CommonJS build, file for file: the same code the app would load from the package.
    build({
      ...shared,
      entryPoints: [{ in: main, out: API_FILE }],
      outdir: join(dist, 'cjs'),
      mainFields: ['main'],
      ...PRINTING.minified,
    }),
    build({
      ...shared,
      entryPoints: [{ in: join(src, 'startup', `${API_SHARING_FILE}.ts`), out: API_SHARING_FILE }],
      outdir: join(dist, 'cjs'),
      ...PRINTING.readable,
    }),
  ]);
  return {
    version,
    metafile: mergeMetafiles(results.map(metafileOf)),
  };
}

/** The file the core is bundled into; `core.js` beside it hands out the process's one core. */
const CORE_IMPLEMENTATION = 'core-impl';

/**
 * Writes dist/{esm,cjs}/core.js: the core registered in this process under a global symbol (by
 * whichever build loaded first), or else this build's own core-impl.js, registered. The key
 * holds the version, so two different versions of Lookout never hand each other their core.
 * The ES module file re-exports every name of the core by name (the list comes from the
 * build's own metafile); the CommonJS file hands out a frozen copy of its core's exports with
 * plain properties, and before loading its core has the app's `@opentelemetry/api` load from
 * one file (buildSharedApi()).
 * @param {import('esbuild').Metafile} esmMetafile
 * @param {string} apiVersion the version of `@opentelemetry/api` in dist/cjs/opentelemetry-api.js
 */
function writeSharedCore(esmMetafile, apiVersion) {
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
    `${header}'use strict';\n` +
      `if (globalThis[${key}] === undefined)\n` +
      `  // @opentelemetry/api from one file, when it is that version (docs/decisions/0067-opentelemetry-api-from-one-file.md).\n` +
      `  require('./${API_SHARING_FILE}.js').shareOpenTelemetryApi(require, require('node:path').join(__dirname, '${API_FILE}.js'), ${JSON.stringify(apiVersion)});\n` +
      '// The core hands out its names as plain properties of an object literal: esbuild writes a\n' +
      "// CommonJS bundle's exports as getters, which every call from another bundle (express,\n" +
      '// lambda, …) would run, and an object given 96 names one by one would be a slow dictionary.\n' +
      `module.exports = globalThis[${key}] ??= plainExports(require('./${CORE_IMPLEMENTATION}.js'));\n` +
      'function plainExports(core) {\n' +
      '  const plain = {\n' +
      names.map((name) => `    ${name}: core.${name},\n`).join('') +
      '  };\n' +
      "  Object.defineProperty(plain, '__esModule', { value: true });\n" +
      '  return Object.freeze(plain);\n' +
      '}\n',
  );
}

/** Where Node's ES module entries go: under dist/, beside esm/ and cjs/. */
export const NODE_ESM_DIR = 'esm-node';

/**
 * Writes dist/esm-node/<entry>.js for every built entry that package.json exports (its `import`
 * branch's `module` target names it): what an `import` of the package resolves to in Node (the
 * `import` → `default` condition). Each one loads the
 * CommonJS build with `require()` and re-exports its names (the list comes from the ES module
 * build's metafile), so Node compiles the smaller, split CommonJS core instead of the whole ES
 * module core, and reads `@opentelemetry/api` with `require()` instead of scanning it for export
 * names (docs/decisions/0061-node-loads-the-commonjs-core.md). Bundlers take the `module`
 * condition before `default` and keep bundling dist/esm/, which they can follow without
 * `createRequire`.
 * @param {import('esbuild').Metafile} esmMetafile
 * @param {ReadonlyArray<string>} entries
 */
function writeNodeEntries(esmMetafile, entries) {
  /** @param {string} entry */
  const header = (entry) =>
    `// Node's ES module entry for ${entry}: the CommonJS build, loaded with require() ` +
    '(docs/decisions/0061-node-loads-the-commonjs-core.md).\n' +
    "import { createRequire } from 'node:module';\n";
  const exported = new Set(
    Object.values(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports).flatMap((target) =>
      typeof target === 'object' ? [target.import.module.replace(/^\.\/dist\/esm\/(.*)\.js$/, '$1')] : [],
    ),
  );
  for (const entry of entries) {
    if (!exported.has(entry)) continue;
    const output = Object.entries(esmMetafile.outputs).find(([file]) => file.endsWith(`/esm/${entry}.js`));
    if (output === undefined) throw new Error(`the ES module build wrote no ${entry}.js`);
    const names = output[1].exports;
    const target = `${relative(join(dist, NODE_ESM_DIR, dirname(entry)), join(dist, 'cjs', entry))
      .split(sep)
      .join('/')}.js`;
    const load = `createRequire(import.meta.url)(${JSON.stringify(target)})`;
    const body =
      names.length === 0
        ? `${load};\n`
        : `const cjs = ${load};\n` +
          (names.includes('default') ? 'export default cjs.default;\n' : '') +
          `export const { ${names.filter((name) => name !== 'default').join(', ')} } = cjs;\n`;
    const file = join(dist, NODE_ESM_DIR, `${entry}.js`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, header(entry) + body);
  }
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

/**
 * esbuild prints every entry of one build the same way, so the minified and the readable
 * entries are two builds into the same folder; their metafiles are merged.
 * @param {import('esbuild').BuildOptions & { entryPoints: { in: string, out: string }[] }} options
 * @returns {Promise<{ metafile: import('esbuild').Metafile }>}
 */
async function buildPrinted(options) {
  const groups = [true, false].map((minified) => ({
    printing: PRINTING[minified ? 'minified' : 'readable'],
    entryPoints: options.entryPoints.filter(
      (entry) => isMinified(relative(src, entry.in).replace(/\.ts$/, '').split(sep).join('/')) === minified,
    ),
  }));
  const results = await Promise.all(
    groups
      .filter((group) => group.entryPoints.length > 0)
      .map((group) => build({ ...options, ...group.printing, entryPoints: group.entryPoints })),
  );
  return {
    metafile: mergeMetafiles(results.map(metafileOf)),
  };
}

/**
 * The metafile of a build run with `metafile: true`.
 * @param {{ metafile?: import('esbuild').Metafile | undefined }} result
 * @returns {import('esbuild').Metafile}
 */
function metafileOf(result) {
  if (result.metafile === undefined)
    throw new Error('esbuild returned no metafile: build with metafile: true');
  return result.metafile;
}

/**
 * One metafile listing every input and output of `metafiles` (builds into the same folder).
 * @param {import('esbuild').Metafile[]} metafiles
 * @returns {import('esbuild').Metafile}
 */
function mergeMetafiles(metafiles) {
  return {
    inputs: Object.assign({}, ...metafiles.map((metafile) => metafile.inputs)),
    outputs: Object.assign({}, ...metafiles.map((metafile) => metafile.outputs)),
  };
}

/**
 * Removes the `keepNames` wrappers that restate a name JavaScript gives anyway, in every bundle
 * the metafiles list, and corrects their byte counts (decision 0057). Not with `--sourcemap`:
 * the maps would no longer match the files.
 * @param {ReadonlyArray<{ metafile?: import('esbuild').Metafile }>} results
 */
function dropRedundantNamesFrom(results) {
  if (sourcemap !== false) return;
  let removed = 0;
  for (const result of results) {
    for (const [file, output] of Object.entries(metafileOf(result).outputs)) {
      if (!file.endsWith('.js') && !file.endsWith('.mjs')) continue;
      const path = resolve(file); // esbuild names outputs relative to the working directory
      const module = file.endsWith('.mjs') || relative(dist, path).startsWith(`esm${sep}`);
      const dropped = dropRedundantNames(readFileSync(path, 'utf8'), { module });
      writeFileSync(path, dropped.code);
      output.bytes = Buffer.byteLength(dropped.code);
      removed += dropped.removed;
    }
  }
  log(`build: ${removed} redundant name wrappers removed`);
}

/**
 * Has every CommonJS bundle the metafile lists require each external package once, and
 * corrects their byte counts (docs/decisions/0072-external-packages-required-once.md). Not
 * with `--sourcemap`: the maps would no longer match the files.
 * @param {{ metafile?: import('esbuild').Metafile }} result
 */
function requirePackagesOnceIn(result) {
  if (sourcemap !== false) return;
  let replaced = 0;
  for (const [file, output] of Object.entries(metafileOf(result).outputs)) {
    if (!file.endsWith('.js')) continue;
    const path = resolve(file); // esbuild names outputs relative to the working directory
    if (!relative(dist, path).startsWith(`cjs${sep}`)) continue;
    const once = requirePackagesOnce(readFileSync(path, 'utf8'));
    if (once.replaced === 0) continue;
    writeFileSync(path, once.code);
    output.bytes = Buffer.byteLength(once.code);
    replaced += once.replaced;
  }
  log(`build: ${replaced} require() calls of external packages share one per package and file`);
}

/**
 * Copies every declaration file under `from` to the same place under `to`.
 * @param {string} from
 * @param {string} to
 */
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

/**
 * The published declarations: only what the entries in package.json's exports reach, naming
 * no package the published package does not declare (scripts/lib/public-declarations.mjs).
 * @param {string} typesDir
 */
function prunePublishedDeclarations(typesDir) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const typeEntries = Object.values(manifest.exports)
    .map((branch) => (typeof branch === 'string' ? undefined : branch.import?.types))
    .filter((path) => path !== undefined)
    .map((path) =>
      relative(join(root, 'dist', 'esm'), join(root, path))
        .split(sep)
        .join('/'),
    )
    .filter((path) => existsSync(join(typesDir, path)));
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const { problems, removed } = prunePublicDeclarations(typesDir, typeEntries, declared);
  if (problems.length > 0)
    throw new Error(
      `the published declarations name packages the package does not install:\n  ${problems.join('\n  ')}\n` +
        'keep those types out of the public API, or declare the package (docs/decisions/0040-dependencies-of-the-published-package.md)',
    );
  log(
    `build: declarations pruned to what ${typeEntries.length} entries reach (${removed.length} internal files left out)`,
  );
}

async function main() {
  const started = performance.now();
  if (process.argv.includes('--if-stale') && !isBuildStale(root)) {
    log('build: dist/ is up to date');
    return;
  }
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
  /** @satisfies {import('esbuild').BuildOptions} */
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
    sourcemap,
    legalComments: 'linked',
    logLevel: 'warning',
    metafile: true,
  };

  log(`build: esm (${entries.length} entries)`);
  const esm = await buildPrinted({
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
  /** @type {Set<string>} */
  const lazyImports = new Set();
  const cjsEntryPoints = common.entryPoints.filter((entry) => !ESM_ONLY.includes(entry.out));
  const cjsOptions = { ...common, format: /** @type {const} */ ('cjs'), outdir: join(dist, 'cjs') };
  const cjsCore = await buildPrinted({
    ...cjsOptions,
    entryPoints: cjsEntryPoints.filter((entry) => entry.out === CORE_IMPLEMENTATION),
    plugins: [...common.plugins, ownLazyModules, lazyPackages({ fromDir: '', seen: lazyImports })],
  });
  const cjsRest = await buildPrinted({
    ...cjsOptions,
    entryPoints: cjsEntryPoints.filter((entry) => entry.out !== CORE_IMPLEMENTATION),
  });
  log(`build: ${OWN_LAZY_MODULES.length} of Lookout's own modules loaded lazily (cjs/${LAZY_DIR})`);
  const ownLazyMetafiles = await buildOwnLazyFiles(lazyImports);
  log(`build: ${lazyImports.size} lazily loaded packages (cjs/${LAZY_DIR})`);
  const lazyMetafiles = [...ownLazyMetafiles, ...(await buildLazyFiles(lazyImports))];
  log(`build: @opentelemetry/api in one file (cjs/${API_FILE}.js)`);
  const sharedApi = await buildSharedApi();
  lazyMetafiles.push(sharedApi.metafile);
  const cjs = {
    metafile: mergeMetafiles([cjsCore.metafile, cjsRest.metafile, ...lazyMetafiles]),
  };
  writeFileSync(join(dist, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

  writeSharedCore(esm.metafile, sharedApi.version);
  writeNodeEntries(esm.metafile, entries);
  log('build: error store forwarder');
  const forwarder = await buildErrorStoreForwarder();

  dropRedundantNamesFrom([esm, cjs, forwarder]);
  requirePackagesOnceIn(cjs);

  prunePublishedDeclarations(join(dist, 'types'));
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
  const forwarderEntry = Object.entries(metafileOf(forwarder).outputs).find(([file]) =>
    file.endsWith('.mjs'),
  );
  if (forwarderEntry === undefined) throw new Error('the error store forwarder build wrote no .mjs file');
  const [forwarderFile, forwarderOutput] = forwarderEntry;
  writeFileSync(
    join(dist, 'meta', 'error-store-forwarder.json'),
    JSON.stringify({
      output: relative(root, forwarderFile),
      bytes: forwarderOutput.bytes,
      inputs: Object.keys(forwarderOutput.inputs),
      externalImports: forwarderOutput.imports.filter((entry) => entry.external).map((entry) => entry.path),
    }),
  );

  /** @type {[string, { metafile?: import('esbuild').Metafile }][]} */
  const builds = [
    ['esm', esm],
    ['cjs', cjs],
    ['esm', forwarder],
  ];
  for (const [format, result] of builds) {
    for (const [file, output] of Object.entries(metafileOf(result).outputs)) {
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
