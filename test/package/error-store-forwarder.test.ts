// The error store's forwarder as the package ships it (dist/error-store-forwarder, the code of
// ErrorStore's Lambda function), and the proof that it stays out of every entry point an app
// loads: the service's request path does not change (docs/decisions/0025-error-store-off-the-request-path.md).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Metafile {
  readonly outputs: Record<
    string,
    { readonly inputs: Record<string, unknown>; readonly imports: { path: string; external?: boolean }[] }
  >;
}

const readMeta = (name: string): Metafile =>
  JSON.parse(readFileSync(`${root}dist/meta/${name}.json`, 'utf8'));

describe('the error store forwarder in the package', () => {
  it('is bundled into no entry point but lookout/cdk, and brings the AWS SDK into none', () => {
    for (const format of ['esm', 'cjs']) {
      for (const [output, { inputs }] of Object.entries(readMeta(format).outputs)) {
        const files = Object.keys(inputs);
        expect(
          files.filter((file) => file.includes('src/lambda/error-store/')),
          output,
        ).toEqual([]);
        expect(
          files.filter((file) => file.includes('/@aws-sdk/')),
          output,
        ).toEqual([]);
      }
    }
  });

  it('is one self-contained module that imports nothing but Node built-ins', () => {
    const forwarder = JSON.parse(readFileSync(`${root}dist/meta/error-store-forwarder.json`, 'utf8')) as {
      output: string;
      inputs: string[];
      externalImports: string[];
    };

    expect(forwarder.output).toBe('dist/error-store-forwarder/index.mjs');
    expect(forwarder.externalImports.filter((path) => !isBuiltin(path))).toEqual([]);
    // The AWS SDK's DynamoDB client and Lookout's core are inside it.
    expect(forwarder.inputs.some((file) => file.includes('/@aws-sdk/client-dynamodb/'))).toBe(true);
    expect(forwarder.inputs).toContain('src/core.ts');
  });

  it('is in the files npm publishes', () => {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as { files: { path: string }[] }[];

    expect(pack?.files.map((file) => file.path)).toContain('dist/error-store-forwarder/index.mjs');
  });
});
