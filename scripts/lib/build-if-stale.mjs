// Rebuilds dist/ when it is missing or older than anything it is built from: `npm run bench`,
// `npm run demo` and the test stages that run the built package call it, so a fresh checkout
// needs only `npm install` (the package has no install-time build script:
// docs/decisions/0040-dependencies-of-the-published-package.md).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INPUTS = ['src', 'scripts/build.mjs', 'scripts/lib', 'scripts/shims', 'package.json', 'tsconfig.json'];
/** Written last by scripts/build.mjs, so its age is the build's age. */
const BUILD_STAMP = 'dist/meta/cjs.json';

/**
 * @param {string} path
 * @returns {number}
 */
function newestMtime(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Whether dist/ is missing or older than its inputs. */
export function isBuildStale(root = ROOT) {
  let built;
  try {
    built = statSync(join(root, BUILD_STAMP)).mtimeMs;
  } catch {
    return true;
  }
  return INPUTS.some((input) => newestMtime(join(root, input)) > built);
}

/** Rebuilds when stale; returns whether it did. */
export function buildIfStale(root = ROOT) {
  if (!isBuildStale(root)) return false;
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], {
    cwd: root,
    stdio: 'inherit',
  });
  return true;
}
