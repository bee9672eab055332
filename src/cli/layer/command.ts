import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getPackageRoot } from '../package-root.js';
import { parseCommandArgs, reportUsageError, UsageError, unknownSubcommand } from '../parse-command-args.js';

const USAGE = `Usage: lookout layer build [--out FILE]

Builds the Lookout Lambda layer zip from the installed package: the exec wrapper
(/opt/lookout-handler), Lookout for ES modules and CommonJS, and the collector
configuration the ADOT collector layer reads. Needs esbuild in the project
(npm install --save-dev esbuild).

Options:
  --out FILE   where to write the zip (default: dist/lookout-layer.zip)
  -h, --help   show this help

Attach it with the CDK (LookoutLayer from lookout/cdk) or publish it yourself:
  aws lambda publish-layer-version --layer-name lookout --zip-file fileb://dist/lookout-layer.zip
`;

const SUBCOMMANDS = ['build'] as const;
const OPTIONS = { out: { type: 'string' } } as const;

interface BuildLayer {
  buildLayer(options: { out?: string }): Promise<{ out: string; bytes: number }>;
}

/**
 * `lookout layer build [--out FILE]`: builds the Lambda layer zip with the installed package's
 * layer/build-layer.mjs (it needs esbuild). Prints its steps and the zip's size.
 *
 * @example
 * process.exitCode = await run(['build', '--out', 'build/lookout-layer.zip']);
 */
export async function run(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  let out: string | undefined;
  try {
    const parsed = sub === 'build' ? parseCommandArgs(rest, OPTIONS, { positionals: false }) : undefined;
    if (parsed === undefined || parsed.help) {
      if (parsed?.help === true || args.includes('--help') || args.includes('-h')) {
        process.stdout.write(USAGE);
        return 0;
      }
      throw unknownSubcommand(sub, SUBCOMMANDS);
    }
    out = parsed.values.out;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError(sub === 'build' ? 'layer build' : 'layer', error);
  }
  try {
    const script = pathToFileURL(join(getPackageRoot(), 'layer', 'build-layer.mjs')).href;
    const { buildLayer } = (await import(script)) as BuildLayer;
    await buildLayer(out === undefined ? {} : { out });
    return 0;
  } catch (error) {
    process.stderr.write(`lookout layer build: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
