// Lookout's own source modules bundled for a decision script that measures them apart from the
// build: an ES module in .scratch/<name>/, the OpenTelemetry packages left external so the
// module uses the same copies as the script that imports it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from '../../lib/paths.mjs';

/**
 * Bundles the named exports of source modules into one file and returns its path.
 * @param {string} name the folder under .scratch/ and the file's name
 * @param {Record<string, readonly string[]>} exportsByModule repository path → names it exports
 *
 * @example
 * await bundleSource('id-generation', { 'src/tracing/xray-id-generator.ts': ['XRayIdGenerator'] });
 */
export async function bundleSource(name, exportsByModule) {
  const folder = join(ROOT, '.scratch', name);
  mkdirSync(folder, { recursive: true });
  const outfile = join(folder, `${name}.mjs`);
  await build({
    stdin: {
      contents: Object.entries(exportsByModule)
        .map(([path, names]) => `export { ${names.join(', ')} } from './${path}';`)
        .join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    external: ['@opentelemetry/*'],
    logLevel: 'warning',
  });
  return outfile;
}
