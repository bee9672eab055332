// Lookout installed as a user installs it, for the package tests: `npm pack` of the built
// package, then `npm ci` of a fresh project that depends on the tarball and on the app's own
// packages (Express 4 or 5, aws-cdk-lib, esbuild, TypeScript types). Installs stay on the
// machine: the project's lockfile is cut from this repository's
// (benchmarks/lib/lockfile-subset.mjs), so `npm ci --offline` takes every package from the npm
// cache the repository's own `npm ci` filled, and the registry is never asked.
//
// Pack into a folder of the system's temporary directory, never inside the repository: Node and
// TypeScript look for packages in every parent folder's node_modules, and the repository's
// would hide a package the project lacks.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { subsetLockfile } from '../../benchmarks/lib/lockfile-subset.mjs';
import { npmEnv, packLookout } from '../../benchmarks/lib/lookout-tarball.mjs';
import { REPO_ROOT } from './node-process.js';

export type PackedLookout = ReturnType<typeof packLookout>;

export { packLookout };

export interface ProjectSpec {
  /** Packages of this repository's lockfile the project depends on, besides lookout. */
  readonly dependencies: readonly string[];
  /** Take `dependencies` from this workspace's node_modules first (test/fixtures/express4). */
  readonly workspace?: string;
  /** More package.json fields, e.g. `{ type: 'module' }`. */
  readonly manifest?: Readonly<Record<string, unknown>>;
  /** Files of the project, by path relative to it. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Creates `name` next to the packed tarball (so `file:../lookout-x.tgz` reaches it), writes its
 * files, package.json and lockfile, and runs `npm ci --offline`. Returns the project folder
 * and npm's output.
 *
 * @example
 * const dir = installProject(packed, 'express5-esm', { dependencies: ['express'], manifest: { type: 'module' }, files: { 'app.mjs': '…' } });
 */
export function installProject(
  packed: PackedLookout,
  name: string,
  spec: ProjectSpec,
): { dir: string; npmOutput: string } {
  const dir = join(packed.tarball, '..', name);
  mkdirSync(dir, { recursive: true });
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
  const { manifest, lockfile } = subsetLockfile(
    lock,
    spec.dependencies,
    [packed.lockfileRoot],
    spec.workspace === undefined ? {} : { workspace: spec.workspace },
  );
  const projectManifest = { ...manifest, name, private: true, ...spec.manifest };
  lockfile.packages[''] = projectManifest;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(projectManifest, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ name, ...lockfile }, null, 2)}\n`);
  for (const [path, text] of Object.entries(spec.files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // Install scripts stay on: the project's own dependencies have none that matter here, and
  // lookout must not have one (npm would name it in its output).
  const npm = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=warn'], {
    cwd: dir,
    encoding: 'utf8',
    env: npmEnv(),
  });
  const npmOutput = `${npm.stdout}${npm.stderr}`;
  if (npm.status !== 0) throw new Error(`npm ci in ${dir} failed (exit ${npm.status}):\n${npmOutput}`);
  return { dir, npmOutput };
}

/** The packages installed under a project's node_modules (scoped names in full), sorted. */
export function installedPackages(dir: string): string[] {
  const output = execFileSync('npm', ['ls', '--all', '--parseable', '--offline'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: npmEnv(),
  });
  const names = output
    .split('\n')
    .map((line) => /node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].sort();
}
