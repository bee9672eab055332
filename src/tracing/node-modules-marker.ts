import { sep } from 'node:path';

/**
 * The path fragment a file of package `name` (or of any package under a scope prefix such as
 * `@aws-sdk/`) has in Node's CommonJS module cache: `/node_modules/<name>`, with the platform's
 * separator. A whole package name must be followed by a separator, so `pg` does not match
 * `pg-pool`; a prefix ending in `/` already is.
 *
 * @example
 * Object.keys(require.cache).some((file) => file.includes(nodeModulesMarker('@aws-sdk/')));
 */
export function nodeModulesMarker(name: string): string {
  const path = `${sep}node_modules${sep}${name.split('/').join(sep)}`;
  return path.endsWith(sep) ? path : `${path}${sep}`;
}
