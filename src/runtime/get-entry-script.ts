import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';

/**
 * The script Node runs as the app's entry. `process.argv[1]` is what the command named, and
 * `node .` or `node dist` (common start commands) name a folder: Node then runs the folder's
 * package.json `main`, or its index.js. Judging the app by the folder's parent instead would
 * read the wrong package.json: another service name, no dependencies for `auto`, and a
 * CommonJS verdict for an ES module app. One stat, at start-up only.
 *
 * @example
 * getEntryScript(); // '/srv/app/server.js' for `node /srv/app`
 */
export function getEntryScript(argv1: string | undefined = process.argv[1]): string | undefined {
  // Node makes a script's path absolute; anything else (`node -e code arg`) is left as it is.
  if (argv1 === undefined || !isAbsolute(argv1)) return argv1;
  try {
    // require.resolve of an absolute folder follows Node's own rules for it (main, then index).
    if (statSync(argv1, { throwIfNoEntry: false })?.isDirectory() === true) return require.resolve(argv1);
  } catch {
    // Node could not run it either; the command's own path is the best answer left.
  }
  return argv1;
}
