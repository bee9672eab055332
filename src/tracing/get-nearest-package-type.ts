import { dirname, join, sep } from 'node:path';
import { readPackageJsonFile } from '../runtime/index.js';

/**
 * The `type` of the nearest package.json above `startDir`, found as Node finds a file's package
 * scope: the walk stops at the first package.json, and never climbs out of a `node_modules`
 * folder. `undefined` when that package.json has no `type` or none is found: Node then runs a
 * `.js` file as CommonJS unless it holds module syntax (has-module-syntax.ts).
 */
export function getNearestPackageType(startDir: string): string | undefined {
  let dir = startDir;
  for (let depth = 0; depth < 64; depth++) {
    try {
      const parsed = readPackageJsonFile(join(dir, 'package.json')) as { type?: unknown };
      return typeof parsed.type === 'string' ? parsed.type : undefined;
    } catch {
      if (dir.endsWith(`${sep}node_modules`)) return undefined;
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
  return undefined;
}
