import { dirname } from 'node:path';

/**
 * The folder of the installed `lookout` package (the one holding its package.json, dist/,
 * layer/ and collector/), found the way Node finds the package from this file: through
 * node_modules from wherever npm, pnpm or yarn put it, never from the path of the command that
 * ran (`node_modules/.bin/lookout` is a link elsewhere).
 *
 * @example
 * const script = join(getPackageRoot(), 'layer', 'build-layer.mjs');
 */
export function getPackageRoot(): string {
  return dirname(require.resolve('lookout/package.json'));
}
