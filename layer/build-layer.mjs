// Builds the Lookout Lambda layer: dist/lookout-layer.zip (npm run build:layer, lookout layer build).
//
//   lookout-handler                         the exec wrapper (AWS_LAMBDA_EXEC_WRAPPER=/opt/lookout-handler)
//   collector-config/config.yaml            collector/lambda.yaml, where the ADOT collector layer reads it
//   nodejs/node_modules/lookout/            Lookout, bundled with esbuild: one file per entry point,
//                                           ESM and CommonJS, source maps alongside, the core shared
//   nodejs/node_modules/@opentelemetry/api  for the function's own CommonJS code (NODE_PATH); Lookout's
//                                           bundles carry their copy, which shares the api's global registry
//   nodejs/node_modules/import-in-the-middle (+ its dependencies): the ES module loader hook
//   nodejs/node_modules/aws-xray-sdk-core   only the modules the X-Ray exporter loads
//
// It bundles the built package (dist/), so `npm run build` must have run; it needs esbuild.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createZip } from './zip.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The package root: the folder holding this package's package.json and dist/. */
export const PACKAGE_ROOT = resolve(HERE, '..');

/** Lookout's entry points in the layer (those present in dist/ are bundled). The core first. */
export const LAYER_ENTRIES = [
  'core',
  'index',
  'register',
  'lambda/index',
  'lambda/auto',
  'lambda/extension/internal-extension',
  'express/index',
];

/** Public subpaths of the layer's package.json, by entry. */
const SUBPATHS = {
  index: '.',
  register: './register',
  'lambda/index': './lambda',
  'express/index': './express',
};

/**
 * Kept out of the bundles: packages shipped beside Lookout in the layer (the loader hook loads
 * its own files, the X-Ray modules are loaded lazily by path; the api, where an entry still
 * imports it, is the shipped one) and packages the function brings itself.
 */
const EXTERNAL = [
  '@opentelemetry/api',
  'import-in-the-middle',
  'import-in-the-middle/*',
  'aws-xray-sdk-core',
  'aws-xray-sdk-core/*',
  '@middy/core',
  'express',
  'aws-cdk-lib',
  'aws-cdk-lib/*',
  'constructs',
  'cdk-nag',
];

/** The deep modules of aws-xray-sdk-core the X-Ray exporter requires (docs/xray.md). */
const SKIPPED_FILES = /(\.d\.[cm]?ts|\.map|\.md|\.ts|\.tsbuildinfo)$/;

/**
 * The folder of package `name` as Node would find it from `fromDir`.
 * @param {string} name
 * @param {string} fromDir
 * @returns {string}
 */
function findPackageDir(name, fromDir) {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package ${name} from ${fromDir}`);
    dir = parent;
  }
}

/**
 * Every file under `dir`, leaving out nested packages and test folders.
 * @param {string} dir
 * @returns {string[]}
 */
function listFiles(dir) {
  /** @type {string[]} */
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'test' && name !== 'tests') files.push(...listFiles(path));
    } else files.push(path);
  }
  return files;
}

/** @typedef {typeof import('esbuild')} Esbuild */
/** @typedef {{ name: string, data: Buffer, mode?: number }} LayerFile */

/**
 * Loads esbuild from the project building the layer, or from Lookout's own dependencies.
 * @returns {Promise<Esbuild>}
 */
async function loadEsbuild() {
  for (const from of [join(process.cwd(), 'package.json'), join(PACKAGE_ROOT, 'package.json')]) {
    try {
      return await import(pathToFileURL(createRequire(from).resolve('esbuild')).href);
    } catch {
      // try the next place
    }
  }
  throw new Error('esbuild is needed to build the layer: npm install --save-dev esbuild');
}

/**
 * Keeps each entry's import of the core external, so every entry shares the one core file.
 * @type {import('esbuild').Plugin}
 */
const coreExternal = {
  name: 'core-external',
  setup(build) {
    build.onResolve({ filter: /^(\.\/|\.\.\/)+core\.js$/ }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Keeps the files the CommonJS core loads lazily (dist/cjs/lazy/,
 * docs/decisions/0055-start-up-loads-what-it-starts.md) files of their own in the layer too,
 * each bundled as an entry of its own, so a function compiles only what its configuration
 * loads. The ES module entries get the CommonJS core as well: in dist/ the ES module core
 * keeps those packages inside, for apps that bundle it again, which nobody does with the layer.
 * @param {'esm' | 'cjs'} format
 * @param {string} outdir
 * @returns {import('esbuild').Plugin}
 */
function lazyFilesExternal(format, outdir) {
  const lazyDir = join(outdir, '..', 'cjs', 'lazy');
  const esmCore = join(outdir, 'core.js');
  return {
    name: 'lazy-files-external',
    setup(build) {
      build.onResolve({ filter: /^(\.\.\/cjs\/core|\.\/core-impl)\.js$/ }, (args) =>
        args.kind === 'entry-point' || (format === 'esm' && args.path === './core-impl.js')
          ? undefined
          : { path: args.path, external: true },
      );
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const target = resolve(args.resolveDir, args.path);
        return dirname(target) === lazyDir && target !== args.importer
          ? { path: args.path, external: true }
          : undefined;
      });
      if (format !== 'esm') return;
      // The ES module core.js, handing out the CommonJS core: the names it exports are those
      // dist/esm/core.js exports. Node reads the names of a CommonJS file an ES module imports
      // by scanning it, so the import is of the small core.js, not of core-impl.js.
      build.onLoad({ filter: /core\.js$/ }, (args) => {
        if (args.path !== esmCore) return undefined;
        const exported = /^export const \{[^}]*\} = core;$/m.exec(readFileSync(esmCore, 'utf8'))?.[0];
        if (exported === undefined) throw new Error(`${esmCore} does not re-export the core's names`);
        return {
          contents: `import core from '../cjs/core.js';\n${exported}\n`,
          loader: 'js',
          resolveDir: outdir,
        };
      });
    },
  };
}

/**
 * The CommonJS build's files beside its entries: the core that core.js hands out, the one-file
 * `@opentelemetry/api` it loads the app's api from, and the lazily loaded files under `lazy/`.
 * Kept files of their own: an ES module importing a CommonJS file makes Node scan all of it for
 * export names, so core.js stays small.
 */
function cjsOnlyEntries() {
  const dir = join(PACKAGE_ROOT, 'dist', 'cjs', 'lazy');
  const lazy = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.js'))
        .map((name) => `lazy/${name.slice(0, -'.js'.length)}`)
    : [];
  // The one-file @opentelemetry/api that core.js loads the app's api from (docs/decisions/0067).
  const beside = ['core-impl', 'opentelemetry-api'].filter((name) =>
    existsSync(join(PACKAGE_ROOT, 'dist', 'cjs', `${name}.js`)),
  );
  return [...beside, ...lazy];
}

/**
 * How each bundle is printed, as scripts/build.mjs prints dist/: no identifier renamed, the core
 * minified on short lines, every other entry readable (docs/decisions/0041-readable-stack-frames.md).
 */
const PRINTING = {
  minified: { minifyWhitespace: true, minifySyntax: true, lineLimit: 160, keepNames: true },
  readable: { keepNames: true },
};

/**
 * Bundles Lookout's built entries of one module format into layer files.
 * @param {Esbuild} esbuild
 * @param {'esm' | 'cjs'} format
 * @param {readonly string[]} entries
 * @param {(line: string) => void} log
 * @returns {Promise<LayerFile[]>}
 */
async function bundleLookout(esbuild, format, entries, log) {
  const outdir = join(PACKAGE_ROOT, 'dist', format);
  const lazy = format === 'cjs' ? cjsOnlyEntries() : [];
  const groups = [
    { entries: [...entries.filter((entry) => entry === 'core'), ...lazy], printing: PRINTING.minified },
    { entries: entries.filter((entry) => entry !== 'core'), printing: PRINTING.readable },
  ].filter((group) => group.entries.length > 0);
  const results = await Promise.all(
    groups.map((group) =>
      esbuild.build({
        entryPoints: group.entries.map((entry) => ({
          in: join(PACKAGE_ROOT, 'dist', format, `${entry}.js`),
          out: entry,
        })),
        outdir,
        write: false,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format,
        mainFields: ['module', 'main'],
        external: EXTERNAL,
        plugins: [coreExternal, lazyFilesExternal(format, outdir)],
        sourcemap: 'linked',
        ...group.printing,
        legalComments: 'linked',
        logLevel: 'warning',
      }),
    ),
  );
  const files = results
    .flatMap((result) => result.outputFiles)
    .map((file) => ({
      name: `nodejs/node_modules/lookout/dist/${format}/${relative(outdir, file.path).split(sep).join('/')}`,
      data: Buffer.from(file.contents),
    }));
  log(`layer: bundled lookout (${format}): ${entries.length} entries, ${files.length} files`);
  return files;
}

/**
 * The files of an installed package, as layer files.
 * @param {string} name
 * @param {string} fromDir
 * @param {{ only?: string[] }} [options] the files to take instead of every file of the package
 * @returns {{ dir: string, files: LayerFile[] }}
 */
function copyPackage(name, fromDir, { only } = {}) {
  const dir = findPackageDir(name, fromDir);
  const files = only ?? listFiles(dir).filter((file) => !SKIPPED_FILES.test(file));
  return {
    dir,
    files: files.map((file) => ({
      name: `nodejs/node_modules/${name}/${relative(dir, file).split(sep).join('/')}`,
      data: readFileSync(file),
    })),
  };
}

function apiPackage() {
  const dir = findPackageDir('@opentelemetry/api', PACKAGE_ROOT);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  // Node resolves the api to its CommonJS build under every condition ("default"): ship that build only.
  const trimmed = {
    name: manifest.name,
    version: manifest.version,
    license: manifest.license,
    main: manifest.main,
    exports: {
      '.': './build/src/index.js',
      './experimental': './build/src/experimental/index.js',
    },
    sideEffects: false,
  };
  const files = listFiles(join(dir, 'build', 'src')).filter((file) => file.endsWith('.js'));
  if (existsSync(join(dir, 'LICENSE'))) files.push(join(dir, 'LICENSE'));
  const { files: copied } = copyPackage('@opentelemetry/api', PACKAGE_ROOT, { only: files });
  return [
    ...copied,
    { name: 'nodejs/node_modules/@opentelemetry/api/package.json', data: jsonBuffer(trimmed) },
  ];
}

function importInTheMiddle() {
  const main = copyPackage('import-in-the-middle', PACKAGE_ROOT);
  const manifest = JSON.parse(readFileSync(join(main.dir, 'package.json'), 'utf8'));
  const dependencies = Object.keys(manifest.dependencies ?? {});
  return [...main.files, ...dependencies.flatMap((dependency) => copyPackage(dependency, main.dir).files)];
}

/**
 * @param {unknown} value
 * @returns {Buffer}
 */
function jsonBuffer(value) {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * The package.json of Lookout inside the layer, exporting the entries it holds.
 * @param {readonly string[]} entries
 */
function lookoutManifest(entries) {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  /** @type {Record<string, string | { import: string, require: string }>} */
  const exports = {};
  /** @type {Readonly<Record<string, string>>} */
  const subpaths = SUBPATHS;
  for (const entry of entries) {
    const subpath = subpaths[entry];
    if (subpath === undefined) continue;
    exports[subpath] = { import: `./dist/esm/${entry}.js`, require: `./dist/cjs/${entry}.js` };
  }
  exports['./package.json'] = './package.json';
  return {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    license: manifest.license,
    type: 'module',
    main: './dist/cjs/index.js',
    exports,
  };
}

/**
 * Builds the layer zip and returns where it went and its size.
 * @param {{ out?: string, log?: (line: string) => void }} [options]
 */
export async function buildLayer(options = {}) {
  const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  const out = resolve(options.out ?? join('dist', 'lookout-layer.zip'));
  const entries = LAYER_ENTRIES.filter((entry) =>
    existsSync(join(PACKAGE_ROOT, 'dist', 'esm', `${entry}.js`)),
  );
  if (!entries.includes('core') || !entries.includes('register'))
    throw new Error(`${join(PACKAGE_ROOT, 'dist')} holds no build of Lookout: run npm run build first`);
  const esbuild = await loadEsbuild();

  /** @type {LayerFile[]} */
  const files = [
    ...(await bundleLookout(esbuild, 'esm', entries, log)),
    ...(await bundleLookout(esbuild, 'cjs', entries, log)),
    { name: 'nodejs/node_modules/lookout/dist/cjs/package.json', data: jsonBuffer({ type: 'commonjs' }) },
    { name: 'nodejs/node_modules/lookout/package.json', data: jsonBuffer(lookoutManifest(entries)) },
  ];
  for (const name of ['LICENSE', 'NOTICE', 'README.md'])
    if (existsSync(join(PACKAGE_ROOT, name)))
      files.push({
        name: `nodejs/node_modules/lookout/${name}`,
        data: readFileSync(join(PACKAGE_ROOT, name)),
      });
  for (const shim of ['handler-esm.mjs', 'handler-cjs.cjs', 'register-extension.mjs'])
    files.push({ name: `nodejs/node_modules/lookout/layer/${shim}`, data: readFileSync(join(HERE, shim)) });

  const api = apiPackage();
  const hook = importInTheMiddle();
  files.push(...api, ...hook);
  log(
    `layer: added @opentelemetry/api (${api.length} files), import-in-the-middle and its dependencies (${hook.length})`,
  );

  files.push(
    { name: 'lookout-handler', data: readFileSync(join(HERE, 'lookout-handler')), mode: 0o755 },
    {
      name: 'collector-config/config.yaml',
      data: readFileSync(join(PACKAGE_ROOT, 'collector', 'lambda.yaml')),
    },
  );
  log('layer: added the exec wrapper (lookout-handler) and collector-config/config.yaml');

  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const zip = createZip(files);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, zip);
  log(
    `layer: wrote ${relative(process.cwd(), out) || out} (${files.length} files, ${zip.length} bytes = ${(zip.length / 2 ** 20).toFixed(2)} MiB)`,
  );
  return { out, bytes: zip.length, files: files.length };
}

/**
 * The script's options: `--out <file.zip>` (or `--out=<file.zip>`), nothing else.
 * @param {readonly string[]} argv
 * @returns {{ out?: string }}
 */
function parseLayerArgs(argv) {
  try {
    const { values } = parseArgs({ args: [...argv], options: { out: { type: 'string' } }, strict: true });
    return values.out === undefined ? {} : { out: values.out };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}; usage: build-layer.mjs [--out <file.zip>]`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildLayer(parseLayerArgs(process.argv.slice(2))).catch((error) => {
    process.stderr.write(`layer: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
