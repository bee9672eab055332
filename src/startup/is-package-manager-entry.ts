import { realpathSync } from 'node:fs';
import { sep } from 'node:path';

/**
 * Where the package managers' own scripts live: npm (and npx), pnpm and Yarn 1 as installed
 * packages, Yarn 2+ as a release file in the project, and any of them as Corepack runs them
 * (its own package, or its cache of downloaded releases).
 */
const PACKAGE_MANAGER_PATHS = [
  `${sep}node_modules${sep}npm${sep}`,
  `${sep}node_modules${sep}pnpm${sep}`,
  `${sep}node_modules${sep}yarn${sep}`,
  `${sep}.yarn${sep}releases${sep}`,
  `${sep}corepack${sep}`,
];

/**
 * Whether the script Node runs is a package manager's own (`npm`, `npx`, `pnpm`, `yarn`,
 * `corepack`), by its real path (their commands are symlinks, `/usr/bin/npm` to
 * `…/node_modules/npm/bin/npm-cli.js`). `NODE_OPTIONS="--import lookout/register" npm start`
 * preloads the register into npm's process as well as into the app npm starts: that process is
 * not the app, and Lookout in it would write npm's runtime metrics under the app's service name,
 * one series with the app's.
 *
 * @example
 * isPackageManagerEntry(process.argv[1]); // true under `npm start`, in npm's own process
 */
export function isPackageManagerEntry(argv1: string | undefined): boolean {
  if (argv1 === undefined) return false;
  let entry: string;
  try {
    entry = realpathSync(argv1);
  } catch {
    entry = argv1;
  }
  return PACKAGE_MANAGER_PATHS.some((path) => entry.includes(path));
}
