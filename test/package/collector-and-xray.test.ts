import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/node-process.js';

interface PackEntry {
  files: Array<{ path: string }>;
}

function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [entry] = JSON.parse(output) as PackEntry[];
  return (entry?.files ?? []).map((file) => file.path);
}

describe('what the package ships for X-Ray and the collector', () => {
  it('includes the collector configurations and their README', () => {
    const files = packedFiles();

    expect(files).toEqual(
      expect.arrayContaining([
        'collector/lambda.yaml',
        'collector/ecs.yaml',
        'collector/local.yaml',
        'collector/README.md',
      ]),
    );
  });

  it('depends on exact versions of aws-xray-sdk-core (loaded at run time) and yaml (bundled into the CLI)', () => {
    const manifest = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as {
      dependencies: Record<string, string>;
    };

    expect(manifest.dependencies['aws-xray-sdk-core']).toMatch(/^3\.12\.\d+$/);
    expect(manifest.dependencies.yaml).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('keeps aws-xray-sdk-core out of the bundles and yaml inside the CLI bundle', () => {
    for (const format of ['esm', 'cjs']) {
      const core = readFileSync(`${REPO_ROOT}dist/${format}/core-impl.js`, 'utf8');
      const cli = readFileSync(`${REPO_ROOT}dist/${format}/cli/main.js`, 'utf8');

      // Required by path at run time, never inlined: the SDK stays one copy, shared with the app.
      expect(core).toContain('require("aws-xray-sdk-core/dist/lib/segment_emitter")');
      expect(core).not.toContain('Error occured sending segment'); // a message of the SDK's emitter
      // The CLI carries its YAML parser: no import of the yaml package at run time.
      expect(cli).not.toMatch(/require\("yaml"\)|from"yaml"|from "yaml"/);
    }
  });
});
