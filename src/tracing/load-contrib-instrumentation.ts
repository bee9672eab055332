import { join } from 'node:path';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { CONTRIB_INSTRUMENTATIONS, type ContribInstrumentationName } from '../config/index.js';
import { describeError } from '../diag/index.js';

/** What became of loading one contrib instrumentation. */
export type ContribLoadResult =
  | { readonly status: 'loaded'; readonly instrumentation: Instrumentation; readonly from: string }
  | { readonly status: 'missing'; readonly package: string }
  | { readonly status: 'failed'; readonly package: string; readonly reason: string };

function isModuleNotFound(error: unknown, id: string): boolean {
  return (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
    error.message.includes(`'${id}'`)
  );
}

/**
 * Where `id` resolves from the first of `dirs` that has it, as `require` in a file of that
 * folder would find it; undefined when none has it.
 */
export function resolveFromDirs(id: string, dirs: readonly string[]): string | undefined {
  // Required here, not imported at the top: an ES module bundle of the app (esbuild, CDK, SAM)
  // starts with the banner `import { createRequire } from 'node:module'`, and a second
  // top-level `createRequire` in the same bundle would be a syntax error.
  const { createRequire } = require('node:module') as typeof import('node:module');
  for (const dir of dirs) {
    try {
      return createRequire(join(dir, '[lookout]')).resolve(id);
    } catch (error) {
      if (!isModuleNotFound(error, id)) throw error;
    }
  }
  return undefined;
}

// Every instrumentation package exports one class named `<Something>Instrumentation` (the
// pg package's `PgInstrumentation`, redis's `RedisInstrumentation`, ...): finding it by that
// shape keeps the table free of class names that could drift from the packages.
function findInstrumentationClass(exports: unknown): (new () => Instrumentation) | undefined {
  if (exports === null || typeof exports !== 'object') return undefined;
  for (const [name, value] of Object.entries(exports)) {
    if (
      name.endsWith('Instrumentation') &&
      typeof value === 'function' &&
      typeof (value.prototype as { enable?: unknown } | undefined)?.enable === 'function'
    )
      return value as new () => Instrumentation;
  }
  return undefined;
}

/**
 * Loads the contrib instrumentation `name` from the app's installed packages, never from
 * Lookout's own: the app chooses its version, and an app that does not use it pays nothing
 * (docs/decisions/0045-contrib-instrumentations-on-demand.md). `appDirs` are the folders
 * the app's `require` resolves from, nearest first. Never throws.
 *
 * @example
 * const result = loadContribInstrumentation('pg', ['/srv/app']);
 * if (result.status === 'missing') console.log(`npm install ${result.package}`);
 */
export function loadContribInstrumentation(
  name: ContribInstrumentationName,
  appDirs: readonly string[],
): ContribLoadResult {
  const pkg = CONTRIB_INSTRUMENTATIONS[name].package;
  try {
    const file = resolveFromDirs(pkg, appDirs);
    if (file === undefined) return { status: 'missing', package: pkg };
    const Instrumentation = findInstrumentationClass(require(file));
    if (Instrumentation === undefined)
      return { status: 'failed', package: pkg, reason: 'it exports no instrumentation class' };
    return { status: 'loaded', instrumentation: new Instrumentation(), from: file };
  } catch (error) {
    return { status: 'failed', package: pkg, reason: describeError(error) };
  }
}
