import { isAbsolute } from 'node:path';

/**
 * The script Node runs as the app's entry. `process.argv[1]` is what the command named, which
 * is not always that file: `node .` or `node dist` (common start commands) name a folder, whose
 * package.json `main` (or index.js) Node runs; and a symlink (`node_modules/.bin/<command>`)
 * is run as the file it points to. Judging the app by the named path instead reads the wrong
 * package.json: another service name, no dependencies for `auto`, and a CommonJS verdict for
 * an ES module app. At start-up only.
 *
 * @example
 * getEntryScript(); // '/srv/app/server.js' for `node /srv/app`
 */
export function getEntryScript(argv1: string | undefined = process.argv[1]): string | undefined {
  // Node makes a script's path absolute; anything else (`node -e code arg`) is left as it is.
  if (argv1 === undefined || !isAbsolute(argv1)) return argv1;
  try {
    // Node finds its main script as require.resolve finds an absolute path: a folder's main,
    // then its index.js, and the real path of a symlink.
    return require.resolve(argv1);
  } catch {
    // Node could not run it either; the command's own path is the best answer left.
    return argv1;
  }
}
