import { diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { nodeModulesMarker } from './node-modules-marker.js';
import { resolveImportTarget } from './resolve-import-target.js';

// Required, not imported at the top, like every node:module use in the core: an app's ES
// module bundle declares names from node:module in its banner (see load-contrib-instrumentation.ts).
function isBuiltin(name: string): boolean {
  return (require('node:module') as typeof import('node:module')).isBuiltin(name);
}

let startedByRegister = false;

/**
 * Notes that `init()` is being called by `lookout/register`: as a preload (`node --import` /
 * `--require`) it runs before any of the app's modules, so no ES module import can have come
 * first. The app can also require it from its own code, after other modules: what is in the
 * CommonJS cache is reported either way.
 */
export function markStartedByRegister(): void {
  startedByRegister = true;
}

/** Whether the running `init()` came from `lookout/register`. */
export function wasStartedByRegister(): boolean {
  return startedByRegister;
}

/**
 * The hooked packages (not builtins) with a file in the CommonJS module cache that has run. An
 * ES module's `import` of a CommonJS file puts it there before it runs (Node reads its export
 * names while linking the graph, and leaves `loaded` false): it still runs through the hooks,
 * after whatever started Lookout.
 */
export function findLoadedPackages(
  moduleNames: readonly string[],
  cachedFiles: readonly string[] = Object.keys(require.cache).filter(
    (file) => require.cache[file]?.loaded !== false,
  ),
): string[] {
  const wanted = moduleNames.filter((name) => !isBuiltin(name));
  if (wanted.length === 0) return [];
  const markers = wanted.map((name) => ({ name, marker: nodeModulesMarker(name) }));
  const found = new Set<string>();
  for (const file of cachedFiles)
    for (const { name, marker } of markers) if (!found.has(name) && file.includes(marker)) found.add(name);
  return wanted.filter((name) => found.has(name));
}

/** What the app can do about a module loaded before `init()`. */
export function describeLoadOrderFix(esmEntry: boolean): string {
  return esmEntry
    ? "start Lookout before the app's imports: node --import lookout/register app.mjs (ES module imports are hoisted above any init() call)"
    : 'start Lookout before the app: node --require lookout/register app.js, or call init() before the first require';
}

/** One enabled upstream instrumentation and the modules it hooks, main module first. */
export interface HookedModules {
  readonly instrumentation: string;
  readonly moduleNames: readonly string[];
}

export interface LoadedBeforeInitFacts {
  /** What each enabled upstream instrumentation hooks. */
  readonly hooked: readonly HookedModules[];
  /** Whether the app's entry is an ES module. */
  readonly esmEntry: boolean;
  /** The folder the app's imports resolve from. */
  readonly appDir: string;
  /** The packages the app lists in its package.json. */
  readonly appDependencies: () => ReadonlySet<string>;
}

/**
 * Reports, once per instrumentation, the modules it hooks that were loaded before `init()`
 * and so will not be instrumented: the most common set-up mistake (`require('pg')` above
 * `init()`, or `init()` in an ES module whose imports were hoisted above it). A CommonJS file
 * is seen in the module cache, however Lookout was started (`lookout/register` required below
 * `require('pg')` is as late as `init()` there). An ES module cannot be seen loaded, so when
 * `init()` runs from inside an ES module app (not from `lookout/register`), hooked packages the
 * app depends on that load as ES modules are reported as imported before it.
 */
export function reportLoadedBeforeInit(facts: LoadedBeforeInitFacts): void {
  if (facts.hooked.length === 0) return;
  const loaded = new Set(findLoadedPackages(facts.hooked.flatMap((entry) => entry.moduleNames)));
  let dependencies: ReadonlySet<string> | undefined;
  const fix = describeLoadOrderFix(facts.esmEntry);
  for (const { instrumentation, moduleNames } of facts.hooked) {
    const early = moduleNames.filter((name) => {
      if (loaded.has(name)) return true;
      if (startedByRegister || !facts.esmEntry || isBuiltin(name)) return false;
      dependencies ??= facts.appDependencies();
      return dependencies.has(name) && resolveImportTarget(name, facts.appDir)?.format === 'module';
    });
    const [first, ...others] = early;
    if (first === undefined) continue;
    const also = others.length > 0 ? ` (with ${others.join(', ')})` : '';
    diagnostics.warnOnce(
      `loaded-before-init:${instrumentation}`,
      ERROR_CODES.LOADED_BEFORE_INIT,
      `${first} was loaded before init()${also}, so ${instrumentation} cannot trace it. Fix: ${fix}.`,
    );
  }
}
