// Imports a TypeScript module from src/ in a plain Node script by bundling it in memory with
// esbuild. Used by the docs generators so they read the same tables the SDK reads.
import { build } from 'esbuild';

/**
 * @param {string} entry the TypeScript file
 * @returns {Promise<unknown>} the module's exports, for the caller to type as the module's own
 */
export async function importTs(entry) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'error',
    packages: 'external',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${entry}`);
  const code = output.text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}
