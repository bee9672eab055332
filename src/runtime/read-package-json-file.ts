import { readFileSync } from 'node:fs';

/**
 * The text of a package.json parsed as Node parses one: a UTF-8 byte order mark at its start
 * (which an editor on Windows may write) is skipped, where `JSON.parse` alone refuses the file
 * and the package's name, `type`, `exports` and dependencies went unread. Throws when it is not
 * JSON.
 *
 * @example
 * parsePackageJson('\uFEFF{"type":"module"}'); // { type: 'module' }
 */
export function parsePackageJson(text: string): unknown {
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

/**
 * The parsed package.json at `file` (see {@link parsePackageJson}). Throws when the file cannot
 * be read or is not JSON.
 *
 * @example
 * readPackageJsonFile('/srv/app/package.json'); // { name: 'app', type: 'module' }
 */
export function readPackageJsonFile(file: string): unknown {
  return parsePackageJson(readFileSync(file, 'utf8'));
}
