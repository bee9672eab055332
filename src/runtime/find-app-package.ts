import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { getEntryScript } from './get-entry-script.js';
import { parsePackageJson } from './read-package-json-file.js';

/** The name and version of the app Lookout runs in, from its package.json. */
export interface AppPackage {
  readonly name: string | undefined;
  readonly version: string | undefined;
}

const EMPTY: AppPackage = { name: undefined, version: undefined };

function readPackage(dir: string): AppPackage | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = parsePackageJson(text);
    if (parsed === null || typeof parsed !== 'object') return EMPTY;
    const { name, version } = parsed as { name?: unknown; version?: unknown };
    return {
      name: typeof name === 'string' && name !== '' ? name : undefined,
      version: typeof version === 'string' && version !== '' ? version : undefined,
    };
  } catch {
    return EMPTY;
  }
}

/**
 * Finds the nearest package.json with a name, walking up from the entry script's folder
 * (then from the working directory). Synchronous and local: a few small file reads at start-up.
 */
export function findAppPackage(startDirs: readonly string[]): AppPackage {
  for (const start of startDirs) {
    let dir = start;
    for (let depth = 0; depth < 20; depth++) {
      const found = readPackage(dir);
      if (found?.name !== undefined) return found;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return EMPTY;
}

/** Where to start looking: the folder of the script node was asked to run, then the cwd. */
export function defaultPackageSearchDirs(): string[] {
  const entry = getEntryScript();
  const dirs = entry ? [dirname(entry)] : [];
  dirs.push(process.cwd());
  return dirs;
}
