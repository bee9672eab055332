import { dirname } from 'node:path';
import type { EsmLoaderMode } from '../config/index.js';
import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { hookEsmImportedCommonJs } from './hook-esm-imported-commonjs.js';
import { registerEsmLoaderHooks } from './register-esm-hooks.js';
import { resolveImportTarget } from './resolve-import-target.js';

/** How an ES module app's imports reach the instrumentations, once decided. */
export interface EsmHooks {
  /**
   * `loader`: import-in-the-middle's loader (a worker thread); `require`: CommonJS hooks only,
   * no thread (docs/decisions/0003-esm-without-loader-thread.md).
   */
  readonly kind: 'loader' | 'require';
  /** To call once the instrumentations are enabled. */
  afterInstrumentationsEnabled(): void;
}

function isBuiltin(name: string): boolean {
  return (require('node:module') as typeof import('node:module')).isBuiltin(name);
}

/** The first hooked package that `import` from the app's folder would load as an ES module. */
function findEsmHookedPackage(
  moduleNames: readonly string[],
  appDir: string,
): { name: string; file: string } | undefined {
  for (const name of moduleNames) {
    if (isBuiltin(name)) continue;
    const target = resolveImportTarget(name, appDir);
    if (target?.format === 'module') return { name, file: target.file };
  }
  return undefined;
}

/**
 * The folder the app's imports resolve from: the entry script's (its real path, from
 * getEntryScript), or on Lambda the function's code folder (there the entry script is the
 * runtime's own `/var/runtime/index.mjs`).
 */
export function getAppDir(entry: string, lambdaTaskRoot: string | undefined): string {
  return lambdaTaskRoot ?? dirname(entry);
}

/**
 * Builtins (`http`, `https`) are patched when first required after the instrumentations are
 * enabled; an ES module's named import (`import { request } from 'node:http'`) is a separate
 * binding that sees the patched function only after `syncBuiltinESMExports()`.
 */
function patchHookedBuiltins(moduleNames: readonly string[]): void {
  try {
    const nodeModule = require('node:module') as typeof import('node:module');
    for (const name of moduleNames) if (nodeModule.isBuiltin(name)) require(name);
    nodeModule.syncBuiltinESMExports();
  } catch (error) {
    diagnostics.warn(
      ERROR_CODES.INSTRUMENTATION_FAILED,
      `ES module imports of ${moduleNames.filter(isBuiltin).join(', ')} may not be instrumented: ${describeError(error)}`,
    );
  }
}

const LOADER: EsmHooks = { kind: 'loader', afterInstrumentationsEnabled: () => {} };

function requireHooks(moduleNames: readonly string[]): EsmHooks {
  return { kind: 'require', afterInstrumentationsEnabled: () => patchHookedBuiltins(moduleNames) };
}

/**
 * Prepares the ES modules of an app whose entry is CommonJS: a `.cjs` entry or a bootstrap file
 * that imports the ES module app (`import('./server.mjs')`). Those modules' imports of hooked
 * CommonJS packages load without a parent, as an ES module entry's do, so the same CommonJS
 * hooks apply; never the loader thread, which the entry's own `require` calls do not need.
 * Undefined when Node's loader cannot be hooked.
 */
export function startCommonJsEntryHooks(moduleNames: readonly string[]): EsmHooks | undefined {
  return hookEsmImportedCommonJs(moduleNames) ? requireHooks(moduleNames) : undefined;
}

/**
 * Prepares ES module instrumentation for an app whose entry is an ES module, choosing the
 * cheapest mechanism that keeps every instrumentation working (docs/design.md decision 5):
 *
 * 1. `mode: 'always'`: import-in-the-middle's loader, as for every ES module app before.
 * 2. `mode: 'auto'` and a hooked package that `import` would load as an ES module (resolved
 *    from `appDir` with import conditions; see getAppDir): the loader, since only it can
 *    patch one.
 * 3. Otherwise (or if the loader cannot be registered): CommonJS hooks only — parentless
 *    loads of hooked packages go through `require` (hookEsmImportedCommonJs), and the hooked
 *    builtins are patched and synced into their ES module exports after enabling.
 *
 * The choice is reported at debug level.
 */
export function startEsmHooks(moduleNames: readonly string[], mode: EsmLoaderMode, appDir: string): EsmHooks {
  if (mode === 'always') {
    diagnostics.debug(
      `ES module instrumentation: loader thread (import-in-the-middle) for ${moduleNames.join(', ')}, because tracing.esmLoader is "always".`,
    );
    if (registerEsmLoaderHooks(moduleNames)) return LOADER;
  } else if (mode === 'auto') {
    const esmPackage = findEsmHookedPackage(moduleNames, appDir);
    if (esmPackage !== undefined) {
      diagnostics.debug(
        `ES module instrumentation: loader thread (import-in-the-middle) for ${moduleNames.join(', ')}, because "${esmPackage.name}" loads as an ES module (${esmPackage.file}).`,
      );
      if (registerEsmLoaderHooks(moduleNames)) return LOADER;
    }
  }
  if (!hookEsmImportedCommonJs(moduleNames) && mode !== 'never') {
    // Node's CommonJS loader changed shape: the loader is the only way left.
    diagnostics.debug('ES module instrumentation: Module._load is not hookable; trying the loader thread.');
    if (registerEsmLoaderHooks(moduleNames)) return LOADER;
  }
  diagnostics.debug(
    `ES module instrumentation: require hooks, no loader thread, for ${moduleNames.join(', ')} (tracing.esmLoader is "${mode}").`,
  );
  return requireHooks(moduleNames);
}
