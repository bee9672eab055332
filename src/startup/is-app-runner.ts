import { realpathSync } from 'node:fs';
import { sep } from 'node:path';

/**
 * Where the package managers' own scripts live: npm (and npx), pnpm and Yarn 1 as installed
 * packages, Yarn 2+ as a release file in the project, and Corepack's own package (its shims,
 * `corepack/dist/pnpm.js`, run the package manager in their own process).
 */
const PACKAGE_MANAGER_PATHS = [
  `${sep}node_modules${sep}npm${sep}`,
  `${sep}node_modules${sep}pnpm${sep}`,
  `${sep}node_modules${sep}yarn${sep}`,
  `${sep}.yarn${sep}releases${sep}`,
  `${sep}node_modules${sep}corepack${sep}`,
];

/**
 * A release in Corepack's cache, where its default home puts it: `<cache>/node/corepack` (or
 * `~/.node/corepack` before Corepack 0.20), then `v1/` (since 0.20), the package manager's name
 * and its version (`~/.cache/node/corepack/v1/pnpm/9.1.0/bin/pnpm.cjs`). A folder merely named
 * `corepack` (`/srv/corepack/app.js`) is an app's.
 */
const COREPACK_CACHED_RELEASE =
  /[\\/]\.?node[\\/]corepack[\\/](?:v1[\\/])?(?:npm|pnpm|yarn)[\\/]\d+\.\d+\.\d+[^\\/]*[\\/]/;

/** The same release under a `COREPACK_HOME` of the user's choosing, after that folder. */
const COREPACK_HOME_RELEASE = /^(?:v1[\\/])?(?:npm|pnpm|yarn)[\\/]\d+\.\d+\.\d+[^\\/]*[\\/]/;

/** Whether `entry` (a real path) is a package manager release in Corepack's cache. */
function isCorepackRelease(entry: string, corepackHome: string | undefined): boolean {
  if (COREPACK_CACHED_RELEASE.test(entry)) return true;
  if (corepackHome === undefined) return false;
  let home: string;
  try {
    home = realpathSync(corepackHome) + sep;
  } catch {
    return false; // no such folder: nothing was run from it
  }
  return entry.startsWith(home) && COREPACK_HOME_RELEASE.test(entry.slice(home.length));
}

/** Lookout's own command, bin/lookout.mjs in the package. */
const LOOKOUT_COMMAND = `${sep}bin${sep}lookout.mjs`;

/** The parts of a `require` function this reads. */
export interface RunnerRequire {
  resolve(request: string): string;
}

/**
 * Whether the script Node runs only runs the app: a package manager's own (`npm`, `npx`, `pnpm`,
 * `yarn`, `corepack`) or Lookout's `lookout` command, judged by its real path (their commands
 * are symlinks: `/usr/bin/npm` to `…/node_modules/npm/bin/npm-cli.js`, `node_modules/.bin/lookout`
 * to `…/lookout/bin/lookout.mjs`). `NODE_OPTIONS="--import lookout/register" npm start`, or
 * `… npx lookout dev -- npm start`, preloads the register into each of them as well as into the
 * app they start. Lookout in npm wrote npm's runtime metrics under the app's service name, one
 * series with the app's; in `lookout dev` it traced the viewer and sent the spans to the viewer's
 * own receiver, where each export was another request to trace, for as long as it ran.
 *
 * `registerRequire` is the register's own `require` (in dist/cjs/), which finds the `lookout`
 * command of the same package; none is found in a bundled app. `corepackHome` is
 * `COREPACK_HOME`, where Corepack keeps its releases when it is set.
 *
 * @example
 * isAppRunner(process.argv[1], require); // true in npm's own process under `npm start`
 */
export function isAppRunner(
  argv1: string | undefined,
  registerRequire: RunnerRequire,
  corepackHome?: string,
): boolean {
  if (argv1 === undefined) return false;
  let entry: string;
  try {
    entry = realpathSync(argv1);
  } catch {
    return false; // not a file (`node -e`), or nothing Node could run either
  }
  if (PACKAGE_MANAGER_PATHS.some((path) => entry.includes(path))) return true;
  if (isCorepackRelease(entry, corepackHome)) return true;
  if (!entry.endsWith(LOOKOUT_COMMAND)) return false;
  try {
    return entry === realpathSync(registerRequire.resolve('../../bin/lookout.mjs'));
  } catch {
    return false;
  }
}
