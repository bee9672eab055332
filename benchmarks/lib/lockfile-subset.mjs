// A lockfile for a project that installs only some of this repository's packages, cut from its
// own package-lock.json, so that `npm ci --offline` can install it from the npm cache that
// `npm ci` filled. `npm install --offline <name@version>` cannot: it needs each package's
// registry metadata, which `npm ci` never fetches, and benchmarks send no traffic off the machine.
/**
 * @typedef {{
 *   version?: string, resolved?: string, integrity?: string, link?: boolean,
 *   dependencies?: Record<string, string>, optionalDependencies?: Record<string, string>,
 *   peerDependencies?: Record<string, string>,
 *   peerDependenciesMeta?: Record<string, { optional?: boolean }>,
 *   optional?: boolean, dev?: boolean, devOptional?: boolean, peer?: boolean,
 *   [key: string]: unknown,
 * }} LockEntry
 * @typedef {{ lockfileVersion: number, packages: Record<string, LockEntry> }} Lockfile
 * @typedef {{ name: string, entry: LockEntry, range: string }} ExtraRoot
 */

/**
 * The lockfile path a package named `name` resolves to from the package at `from` (`''` is the
 * project), the way Node looks up node_modules folders: nearest first, then each parent.
 *
 * @param {Lockfile} lock
 * @param {string} from
 * @param {string} name
 * @returns {string | undefined}
 */
export function resolveInLockfile(lock, from, name) {
  let directory = from;
  for (;;) {
    const candidate = directory === '' ? `node_modules/${name}` : `${directory}/node_modules/${name}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    if (directory === '') return undefined;
    const parent = directory.lastIndexOf('/node_modules/');
    directory = parent < 0 ? '' : directory.slice(0, parent);
  }
}

/**
 * What a package needs installed next to it: its dependencies, optional dependencies (marked),
 * and the peer dependencies npm installs for it (those not marked optional).
 *
 * @param {LockEntry} entry
 * @returns {Array<{ name: string, optional: boolean }>}
 */
function requirements(entry) {
  const optionalPeers = entry.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(entry.peerDependencies ?? {})
      .filter((name) => optionalPeers[name]?.optional !== true)
      .map((name) => ({ name, optional: false })),
  ];
}

/**
 * A package.json and package-lock.json for a project depending on `names` (each at the version
 * this repository's lockfile holds for it at the top level) and on `extra` packages that are
 * not in the lockfile (Lookout's own tarball), with everything they need, laid out as in
 * this repository's node_modules.
 *
 * With `workspace` (a workspace folder of this repository, e.g. `test/fixtures/express4`),
 * `names` are taken from that workspace's own node_modules first (Express 4 where the
 * repository has Express 5), and its packages move to the project's top level; a package
 * needed both from there and from the repository's top level at one path is an error.
 *
 * @example
 * const { manifest, lockfile } = subsetLockfile(lock, ['pino']);
 *
 * @param {Lockfile} lock
 * @param {readonly string[]} names
 * @param {readonly ExtraRoot[]} [extra]
 * @param {{ workspace?: string }} [options]
 * @returns {{ manifest: { name: string, version: string, dependencies: Record<string, string> }, lockfile: Lockfile }}
 */
export function subsetLockfile(lock, names, extra = [], { workspace } = {}) {
  /** @type {Record<string, LockEntry>} */
  const packages = {};
  /** @type {Record<string, string>} */
  const dependencies = {};
  /** @type {Array<{ path: string, entry: LockEntry }>} */
  const pending = [];

  const keep = (
    /** @type {string} */ path,
    /** @type {LockEntry} */ entry,
    /** @type {boolean} */ optional,
  ) => {
    if (packages[path] !== undefined) return;
    const { dev, devOptional, peer, optional: wasOptional, ...rest } = entry;
    packages[path] = optional ? { ...rest, optional: true } : rest;
    pending.push({ path, entry });
  };

  for (const name of names) {
    const own = workspace === undefined ? undefined : `${workspace}/node_modules/${name}`;
    const path = own !== undefined && lock.packages[own] !== undefined ? own : `node_modules/${name}`;
    const entry = lock.packages[path];
    if (entry?.version === undefined)
      throw new Error(`${name} is not installed at the top level of package-lock.json`);
    dependencies[name] = entry.version;
    keep(path, entry, false);
  }
  for (const { name, entry, range } of extra) {
    dependencies[name] = range;
    keep(`node_modules/${name}`, entry, false);
  }

  while (pending.length > 0) {
    const { path, entry } = /** @type {{ path: string, entry: LockEntry }} */ (pending.pop());
    // Lookout's tarball is not in the lockfile: its dependencies resolve as the project's own.
    const from = lock.packages[path] === undefined ? '' : path;
    for (const { name, optional } of requirements(entry)) {
      const resolved = resolveInLockfile(lock, from, name);
      if (resolved === undefined) {
        if (optional) continue;
        throw new Error(`${name}, needed by ${path}, is not in package-lock.json`);
      }
      // Kept at its own path: the layout (and so every other lookup) stays the lockfile's.
      keep(resolved, /** @type {LockEntry} */ (lock.packages[resolved]), optional);
    }
  }

  const manifest = { name: 'footprint', version: '1.0.0', dependencies };
  /** @type {Record<string, LockEntry>} */
  const laidOut = {};
  const prefix = workspace === undefined ? undefined : `${workspace}/node_modules/`;
  for (const path of Object.keys(packages)) {
    const target =
      prefix !== undefined && path.startsWith(prefix) ? `node_modules/${path.slice(prefix.length)}` : path;
    if (laidOut[target] !== undefined)
      throw new Error(`${target} is needed both from ${workspace} and from the repository's top level`);
    laidOut[target] = /** @type {LockEntry} */ (packages[path]); // a key of `packages`
  }
  return {
    manifest,
    lockfile: {
      lockfileVersion: 3,
      packages: Object.fromEntries([
        ['', manifest],
        ...Object.keys(laidOut)
          .sort((a, b) => a.localeCompare(b))
          .map((path) => [path, laidOut[path]]),
      ]),
    },
  };
}
