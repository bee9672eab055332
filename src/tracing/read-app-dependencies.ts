import { dirname, join } from 'node:path';
import { readPackageJsonFile } from '../runtime/index.js';

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/**
 * The names of the packages the app depends on, from the nearest package.json at or above
 * `appDir` that declares any (dependencies, optional and peer; not devDependencies, which a
 * deployed app does not have). Empty when none is found or it cannot be read. A few small
 * synchronous reads, only when `auto` asks for them.
 */
export function readAppDependencies(appDir: string): ReadonlySet<string> {
  let dir = appDir;
  for (let depth = 0; depth < 20; depth++) {
    let parsed: unknown;
    try {
      parsed = readPackageJsonFile(join(dir, 'package.json'));
    } catch {
      parsed = undefined;
    }
    if (parsed !== null && typeof parsed === 'object') {
      const names = new Set<string>();
      for (const field of DEPENDENCY_FIELDS) {
        const value = (parsed as Record<string, unknown>)[field];
        if (value !== null && typeof value === 'object')
          for (const name of Object.keys(value)) names.add(name);
      }
      if (names.size > 0) return names;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return new Set();
}
