import { readFileSync } from 'node:fs';

/**
 * The parsed package.json at `file`, read as Node reads one: a UTF-8 byte order mark at its start
 * (which an editor on Windows may write) is skipped, where `JSON.parse` alone refuses the file
 * and the package's `type`, `exports` and dependencies went unread. Throws when the file cannot
 * be read or is not JSON.
 *
 * @example
 * readPackageJsonFile('/srv/app/package.json'); // { name: 'app', type: 'module' }
 */
export function readPackageJsonFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}
