import { type Stats, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { readPackageJsonFile } from '../runtime/index.js';
import { getNearestPackageType } from './get-nearest-package-type.js';

/** The file `import name` loads, and whether Node runs it as an ES module or as CommonJS. */
export interface ImportTarget {
  readonly file: string;
  readonly format: 'module' | 'commonjs';
}

interface PackageJson {
  readonly main?: unknown;
  readonly exports?: unknown;
}

// What Node's ES module loader matches in `exports` for `import`. `module-sync` is matched
// where `require()` of ES modules is on (Node 20.19+, 22.12+). The package's key order, not
// this set's, decides which condition wins.
function importConditions(): ReadonlySet<string> {
  const conditions = new Set(['node', 'import', 'default']);
  if ((process.features as { require_module?: boolean }).require_module === true)
    conditions.add('module-sync');
  return conditions;
}

// Not found, for any error, as Node's own lookup judges a path: throwIfNoEntry covers ENOENT
// only, and a `node_modules` that is a file (ENOTDIR) or may not be searched (EACCES) above the
// app would otherwise throw out of tracing's start.
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
const isDirectory = (path: string): boolean => statOf(path)?.isDirectory() === true;
const isFile = (path: string): boolean => statOf(path)?.isFile() === true;

/** The package folder `import name` finds from `fromDir`: `node_modules` folders upwards, as Node looks. */
function findPackageDir(name: string, fromDir: string): string | undefined {
  let dir = fromDir;
  for (let depth = 0; depth < 64; depth++) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', name);
      if (isDirectory(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function readPackageJson(packageDir: string): PackageJson {
  try {
    const parsed = readPackageJsonFile(join(packageDir, 'package.json'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as PackageJson) : {};
  } catch {
    return {};
  }
}

/**
 * One `exports` target, resolved as Node's PACKAGE_TARGET_RESOLVE does for the root subpath:
 * a `./` string, the first usable entry of an array, or the first matching condition of an
 * object in the package's key order. `null` means "not exported", `undefined` "no match".
 */
function resolveTarget(target: unknown, conditions: ReadonlySet<string>): string | null | undefined {
  if (typeof target === 'string') return target.startsWith('./') ? target : undefined;
  if (target === null) return null;
  if (Array.isArray(target)) {
    for (const item of target) {
      const resolved = resolveTarget(item, conditions);
      if (typeof resolved === 'string') return resolved;
    }
    return undefined;
  }
  if (typeof target === 'object') {
    for (const [key, value] of Object.entries(target)) {
      if (key !== 'default' && !conditions.has(key)) continue;
      const resolved = resolveTarget(value, conditions);
      if (resolved !== undefined) return resolved;
    }
  }
  return undefined;
}

/** The root (`.`) entry of an `exports` field, whichever of its shorthand forms is used. */
function rootExport(exports: unknown): unknown {
  if (exports === null || typeof exports !== 'object' || Array.isArray(exports)) return exports;
  const isSubpathMap = Object.keys(exports).some((key) => key.startsWith('.'));
  return isSubpathMap ? (exports as Record<string, unknown>)['.'] : exports;
}

/** Node's legacy main resolution for packages without `exports`. */
function resolveLegacyMain(packageDir: string, main: unknown): string | undefined {
  const candidates =
    typeof main === 'string' && main !== ''
      ? [main, `${main}.js`, join(main, 'index.js'), 'index.js']
      : ['index.js'];
  return candidates.map((candidate) => join(packageDir, candidate)).find(isFile);
}

function formatOf(file: string): ImportTarget['format'] {
  const extension = extname(file);
  if (extension === '.mjs') return 'module';
  if (extension !== '.js') return 'commonjs';
  return getNearestPackageType(dirname(file)) === 'module' ? 'module' : 'commonjs';
}

/**
 * Where `import name` from a module in `fromDir` leads, and the format Node gives that file
 * (by extension, then the nearest package.json `type`). `undefined` when the package is not
 * installed there or exports no root entry. Reads one package.json and stats a few paths:
 * cheap enough to run at start-up for a handful of names (docs/design.md decision 5).
 *
 * Not covered: `--conditions` flags, and a `.js` file with ES module syntax in a package
 * without `type` (which Node's syntax detection would run as an ES module).
 */
export function resolveImportTarget(name: string, fromDir: string): ImportTarget | undefined {
  const packageDir = findPackageDir(name, fromDir);
  if (packageDir === undefined) return undefined;
  const packageJson = readPackageJson(packageDir);
  let file: string | undefined;
  if (packageJson.exports !== undefined) {
    const target = resolveTarget(rootExport(packageJson.exports), importConditions());
    file = typeof target === 'string' ? join(packageDir, target) : undefined;
  } else {
    file = resolveLegacyMain(packageDir, packageJson.main);
  }
  return file === undefined ? undefined : { file, format: formatOf(file) };
}
