import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const USAGE = 'Usage: lookout layer build [--out <file.zip>]   (default: dist/lookout-layer.zip)\n';

/** The package root: the folder above dist/ that holds layer/build-layer.mjs. */
function packageRoot(): string {
  // The CLI runs from dist/<format>/cli/main.js; the bundle keeps no import.meta in CommonJS,
  // so the path of the script node runs (bin/lookout.mjs or the bundle) is the starting point.
  let dir = dirname(process.argv[1] ?? process.cwd());
  for (let depth = 0; depth < 6; depth++) {
    if (existsSync(join(dir, 'layer', 'build-layer.mjs'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find layer/build-layer.mjs next to the lookout command');
}

/**
 * `lookout layer build [--out file]`: builds the Lambda layer zip with the installed package's
 * layer/build-layer.mjs (it needs esbuild). Prints its steps and the zip's size.
 *
 * @example
 * lookout layer build --out build/lookout-layer.zip
 */
export async function run(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'build') {
    process.stderr.write(USAGE);
    return sub === '--help' || sub === '-h' ? 0 : 2;
  }
  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--out' && rest[i + 1] !== undefined) out = rest[++i];
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else {
      process.stderr.write(`lookout layer: unknown argument "${arg}"\n${USAGE}`);
      return 2;
    }
  }
  try {
    const script = pathToFileURL(join(packageRoot(), 'layer', 'build-layer.mjs')).href;
    const { buildLayer } = (await import(script)) as {
      buildLayer(options: { out?: string }): Promise<{ out: string; bytes: number }>;
    };
    await buildLayer(out === undefined ? {} : { out });
    return 0;
  } catch (error) {
    process.stderr.write(`lookout layer: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
