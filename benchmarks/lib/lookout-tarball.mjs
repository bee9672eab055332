// Lookout as users install it: the tarball `npm pack` makes of the built package, and its entry
// for a lockfile cut from this repository's (lockfile-subset.mjs), so `npm ci --offline`
// installs it with its dependencies from the npm cache. Used by the footprint benchmark and the
// package tests.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The environment for npm, without the npm_config_* an enclosing `npm run` would leak in. */
export function npmEnv(env = process.env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('npm_')));
}

/**
 * Packs the built package into `destination` (dist/ must be current) and describes the
 * tarball: its path, the files it holds, its hashes, and the lockfile root that installs it as
 * `file:../<tarball>` from a project folder next to it.
 *
 * @example
 * const packed = packLookout(work);
 * const { manifest, lockfile } = subsetLockfile(lock, ['express'], [packed.lockfileRoot]);
 *
 * @param {string} destination
 * @returns {{ tarball: string, version: string, files: { path: string, size: number }[], sha256: string,
 *   unpackedSize: number, lockfileRoot: import('./lockfile-subset.mjs').ExtraRoot }}
 */
export function packLookout(destination) {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: npmEnv(),
    }),
  );
  const tarball = join(destination, packed.filename);
  const bytes = readFileSync(tarball);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const spec = `file:../${packed.filename}`;
  return {
    tarball,
    version: packed.version,
    files: packed.files,
    unpackedSize: packed.unpackedSize,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    lockfileRoot: {
      name: 'lookout',
      range: spec,
      entry: {
        version: packed.version,
        resolved: spec,
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
        dependencies: manifest.dependencies,
        peerDependencies: manifest.peerDependencies,
        peerDependenciesMeta: manifest.peerDependenciesMeta,
        bin: manifest.bin,
      },
    },
  };
}
