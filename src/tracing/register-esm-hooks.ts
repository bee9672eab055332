import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';

function nearestPackageType(startDir: string): string | undefined {
  let dir = startDir;
  for (let depth = 0; depth < 20; depth++) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown };
      return typeof parsed.type === 'string' ? parsed.type : 'commonjs';
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
  return undefined;
}

/**
 * Whether the script node was asked to run is an ES module, judged as Node judges it: by
 * extension, then by the nearest package.json `type`.
 */
export function isEsmEntry(entry: string | undefined = process.argv[1]): boolean {
  if (entry === undefined) return false;
  const extension = extname(entry);
  if (extension === '.mjs' || extension === '.mts') return true;
  if (extension === '.cjs' || extension === '.cts') return false;
  return nearestPackageType(dirname(entry)) === 'module';
}

/**
 * On Lambda the script node runs is the runtime's own (an ES module); what matters is the
 * handler module named by `_HANDLER`, found in `LAMBDA_TASK_ROOT` as the Node.js runtime finds
 * it: extensionless, `.js` (an ES module under `"type": "module"`), `.mjs`, `.cjs`. Undefined
 * when it cannot tell (the handler resolves from node_modules, or the variables are unset).
 *
 * @example
 * isEsmLambdaHandler('/var/task', 'index.handler'); // true when /var/task/index.mjs exists
 */
export function isEsmLambdaHandler(
  taskRoot: string | undefined,
  handler: string | undefined,
): boolean | undefined {
  if (taskRoot === undefined || handler === undefined) return undefined;
  const name = basename(handler);
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const modulePath = resolve(taskRoot, handler.slice(0, handler.length - name.length), name.slice(0, dot));
  if (existsSync(modulePath)) return false;
  if (existsSync(`${modulePath}.js`)) return nearestPackageType(dirname(modulePath)) === 'module';
  if (existsSync(`${modulePath}.mjs`)) return true;
  if (existsSync(`${modulePath}.cjs`)) return false;
  return undefined;
}

let registered = false;

/**
 * Registers import-in-the-middle's loader so ES module imports of instrumented packages
 * (`import express from 'express'`) are patched as `require` calls are. The loader only
 * wraps the listed modules, so other imports pay nothing. Must run before the app's modules
 * are linked, which is why ESM apps use `node --import lookout/register`.
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
