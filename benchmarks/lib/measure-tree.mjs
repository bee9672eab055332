// Installed size of a node_modules tree, for the footprint scenario.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Sums apparent file sizes under a directory; symbolic links count as links, not targets.
 * Packages are the directories holding a package.json directly under a node_modules (or a
 * scope inside one).
 * @param {string} dir
 */
export function measureTree(dir) {
  let bytes = 0;
  let files = 0;
  let packages = 0;
  /**
   * @param {string} current
   * @param {boolean} parentIsNodeModules
   */
  const walk = (current, parentIsNodeModules) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (parentIsNodeModules && entry.name.startsWith('@')) {
          walk(path, true);
          continue;
        }
        if (parentIsNodeModules && !entry.name.startsWith('.')) {
          try {
            lstatSync(join(path, 'package.json'));
            packages++;
          } catch {}
        }
        walk(path, entry.name === 'node_modules');
      } else {
        bytes += lstatSync(path).size;
        files++;
      }
    }
  };
  walk(dir, true);
  return { bytes, files, packages };
}
