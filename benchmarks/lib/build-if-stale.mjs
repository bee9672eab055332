// `npm run bench` measures the built package; this rebuilds dist/ first when it is missing or
// older than anything it is built from.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

const INPUTS = ['src', 'scripts/build.mjs', 'package.json', 'tsconfig.json'];
/** Written last by scripts/build.mjs, so its age is the build's age. */
const BUILD_STAMP = 'dist/meta/cjs.json';

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
