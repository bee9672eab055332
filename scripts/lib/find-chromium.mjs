// Where the browser tests find Chromium: the way users have it, not one fixed path.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Variables that name a Chromium (or Chrome) executable, in the order they are honoured. */
export const CHROMIUM_VARIABLES = /** @type {const} */ (['LOOKOUT_CHROMIUM', 'CHROME_PATH']);
/** Program names looked up on PATH, in order. */
export const CHROMIUM_PROGRAMS = /** @type {const} */ ([
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
]);
/** The Debian package that provides `chromium`, installed by `.ci/run` and the test prerequisites. */
export const CHROMIUM_DEBIAN_PACKAGE = 'chromium';

/** @param {string} path */
function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first executable named on PATH.
 *
 * @param {string} program
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | undefined}
 */
export function findOnPath(program, env = process.env) {
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, program);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * @typedef {{ readonly found: true, readonly path: string, readonly how: string }
 *   | { readonly found: false, readonly reason: string }} ChromiumLookup
 */

/**
 * Finds Chromium: `LOOKOUT_CHROMIUM`, then `CHROME_PATH`, then `chromium`, `chromium-browser`,
 * `google-chrome`, `google-chrome-stable` on PATH. A variable that names something that is not
 * an executable is an error, not a reason to look elsewhere: the user asked for that browser.
 *
 * @example
 * const chromium = findChromium();
 * if (!chromium.found) throw new Error(chromium.reason);
 *
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {ChromiumLookup}
 */
export function findChromium(env = process.env) {
  for (const variable of CHROMIUM_VARIABLES) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    if (isExecutable(value)) return { found: true, path: value, how: variable };
    return { found: false, reason: `${variable}=${value} is not an executable file` };
  }
  for (const program of CHROMIUM_PROGRAMS) {
    const path = findOnPath(program, env);
    if (path !== undefined) return { found: true, path, how: `${program} on PATH` };
  }
  return {
    found: false,
    reason: `no Chromium: set LOOKOUT_CHROMIUM or CHROME_PATH, or put one of ${CHROMIUM_PROGRAMS.join(', ')} on PATH (on Debian: apt-get install -y ${CHROMIUM_DEBIAN_PACKAGE})`,
  };
}
