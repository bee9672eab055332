import { isAbsolute, join, sep } from 'node:path';

/** The parts of Node's CommonJS loader this module uses; none are in its public types. */
interface CommonJsModule {
  exports: unknown;
  filename: string;
  paths: string[];
  require(id: string): unknown;
}
interface CommonJsLoader {
  new (id: string): CommonJsModule;
  _load(request: string, parent: unknown, isMain: boolean): unknown;
  _cache: Record<string, CommonJsModule | undefined>;
  _nodeModulePaths(dir: string): string[];
}

const NODE_MODULES = `${sep}node_modules${sep}`;

/** The installed package a file belongs to, read from its path (`…/node_modules/<name>/…`). */
function packageOf(filename: string): { name: string; dir: string } | undefined {
  const at = filename.lastIndexOf(NODE_MODULES);
  if (at === -1) return undefined;
  const start = at + NODE_MODULES.length;
  const segments = filename.slice(start).split(sep);
  const nameSegments = segments[0]?.startsWith('@') === true ? 2 : 1;
  if (segments.length <= nameSegments) return undefined;
  const name = segments.slice(0, nameSegments).join('/');
  return { name, dir: join(filename.slice(0, start), ...segments.slice(0, nameSegments)) };
}

let installed = false;

/**
 * Makes an ES module's `import` of an instrumented CommonJS package visible to
 * require-in-the-middle, so ES module apps need no loader thread (docs/decisions/0003).
 *
 * Why: on Node 20, `import express from 'express'` loads the CommonJS file with
 * `Module._load(file, undefined)`: no parent, and never through `Module.prototype.require`,
 * which is where require-in-the-middle (and so every OpenTelemetry instrumentation) hooks.
 * This wraps `Module._load` once: a parentless load of the main file of a package named in
 * `moduleNames` is re-issued as `require(file)` from a synthetic module in that package's
 * folder, so the hooks run exactly as for a CommonJS app. Every other load passes through
 * untouched; the re-issued `require` has a parent, so it passes through too.
 *
 * Returns false (and changes nothing) when Node's loader does not have the expected shape.
 */
export function hookEsmImportedCommonJs(moduleNames: readonly string[]): boolean {
  if (installed) return true;
  const Module = require('node:module') as unknown as CommonJsLoader;
  if (typeof Module._load !== 'function' || typeof Module._nodeModulePaths !== 'function') return false;
  const hooked = new Set(moduleNames);
  const originalLoad = Module._load;

  /** The package of a parentless load to re-issue through `require`, or undefined. */
  function reroutable(request: unknown, parent: unknown, isMain: unknown) {
    if (parent != null || isMain === true || typeof request !== 'string' || !isAbsolute(request)) return;
    const found = packageOf(request);
    if (found === undefined || !hooked.has(found.name)) return;
    // Only the package's main file, as require-in-the-middle judges it (the CommonJS
    // resolution of the bare name): that is what `import 'name'` hooked before.
    return require.resolve(found.name, { paths: [found.dir] }) === request ? found : undefined;
  }

  Module._load = function lookoutLoad(this: unknown, request: string, parent: unknown, isMain: boolean) {
    let found: ReturnType<typeof reroutable>;
    try {
      found = reroutable(request, parent, isMain);
    } catch {
      found = undefined; // not resolvable as a bare name: Node's own load decides
    }
    // biome-ignore lint/complexity/noArguments: passes through whatever Node passes
    if (found === undefined) return Reflect.apply(originalLoad, this, arguments);

    const syntheticId = join(found.dir, '[lookout: ES module import]');
    const syntheticParent = new Module(syntheticId);
    syntheticParent.filename = syntheticId;
    syntheticParent.paths = Module._nodeModulePaths(found.dir);
    const exports = syntheticParent.require(request);
    // Node's ES module wrapper reads `module.exports` from the cache entry, not this return
    // value: an instrumentation that returns new exports must be seen there too.
    const cached = Module._cache[request];
    if (cached !== undefined && cached.exports !== exports) cached.exports = exports;
    return exports;
  };
  installed = true;
  return true;
}
