// Imports a TypeScript module from src/ in a plain Node script by bundling it in memory with
// esbuild. Used by the docs generators so they read the same tables the SDK reads.
import { build } from 'esbuild';

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
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}
