import { dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { getEntryScript } from '../runtime/index.js';
import { getNearestPackageType } from './get-nearest-package-type.js';

let hasModuleSyntax: ((file: string) => boolean) | undefined;

/**
 * Gives isEsmEntry the judge of a typeless entry's syntax: lookout/register's (its own bundle, so
 * that the core does not carry it: src/startup/has-module-syntax.ts, which judges `.js` and
 * extensionless files, as Node does).
 */
export function setModuleSyntaxJudge(judge: (file: string) => boolean): void {
  hasModuleSyntax = judge;
}

/**
 * Whether the script node was asked to run is an ES module, judged as Node judges it: by
 * extension, then by the nearest package.json `type`, then, for a `.js` or extensionless file
 * with no declared type, by its syntax when lookout/register gave the judge (Node runs one that
 * holds `import` or `export` as an ES module, with a warning; judged CommonJS, its ES module
 * imports went without the loader).
 */
export function isEsmEntry(entry: string | undefined = getEntryScript()): boolean {
  if (entry === undefined) return false;
  const extension = extname(entry);
  if (extension === '.mjs' || extension === '.mts') return true;
  if (extension === '.cjs' || extension === '.cts') return false;
  const type = getNearestPackageType(dirname(entry));
  if (type !== undefined) return type === 'module';
  return hasModuleSyntax?.(entry) === true;
}

let registered = false;

/**
 * Registers import-in-the-middle's loader so ES module imports of instrumented packages
 * (`import express from 'express'`) are patched as `require` calls are. The loader only
 * wraps the listed modules, so other imports pay nothing. Must run before the app's modules
 * are linked, which is why ESM apps use `node --import lookout/register`.
 *
 * On Node 20 `module.register` starts a loader worker thread, which costs about 50 ms of
 * start-up: start-esm-hooks.ts calls this only when an instrumented package is an ES module
 * (docs/decisions/0003-esm-without-loader-thread.md).
 */
export function registerEsmLoaderHooks(moduleNames: readonly string[]): boolean {
  if (registered) return true;
  const nodeModule = require('node:module') as typeof import('node:module');
  if (typeof nodeModule.register !== 'function') return false;
  try {
    const hookUrl = pathToFileURL(require.resolve('import-in-the-middle/hook.mjs')).href;
    nodeModule.register(hookUrl, { data: { include: [...moduleNames] } });
    registered = true;
    return true;
  } catch (error) {
    diagnostics.warn(
      ERROR_CODES.INSTRUMENTATION_FAILED,
      `ES module instrumentation is off (the loader hook could not be registered): ${describeError(error)}`,
    );
    return false;
  }
}
