import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

  it('builds with an exact version of yaml, bundled into the CLI, and depends on neither it nor aws-xray-sdk-core', () => {
    const manifest = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };

    // The X-Ray exporter sends documents itself (docs/decisions/0011-xray-sender-without-sdk-emitter.md).
    expect(manifest.dependencies['aws-xray-sdk-core']).toBeUndefined();
    // Bundled: an install never loads it (docs/decisions/0040-dependencies-of-the-published-package.md).
    expect(manifest.dependencies.yaml).toBeUndefined();
    expect(manifest.devDependencies.yaml).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('has nothing of aws-xray-sdk-core in the bundles, and yaml inside the CLI bundle', () => {
    // Both cores, and the files the CommonJS core loads lazily (docs/decisions/0055).
    const lazyDir = `${REPO_ROOT}dist/cjs/lazy/`;
    const files = [
      `${REPO_ROOT}dist/esm/core-impl.js`,
      `${REPO_ROOT}dist/cjs/core-impl.js`,
      ...readdirSync(lazyDir)
        .filter((name) => name.endsWith('.js'))
        .map((name) => `${lazyDir}${name}`),
    ];
    for (const file of files) {
      const code = readFileSync(file, 'utf8');

      expect(code, file).not.toContain('aws-xray-sdk-core');
      expect(code, file).not.toContain('Error occured sending segment'); // a message of the SDK's emitter
    }
    // The CLI (an ES module only) carries its YAML parser: no import of the yaml package at run time.
    const cli = readFileSync(`${REPO_ROOT}dist/esm/cli/main.js`, 'utf8');
    expect(cli).toContain('node_modules/yaml/dist/nodes/YAMLMap.js');
    expect(cli).not.toMatch(/require\("yaml"\)|from"yaml"|from "yaml"/);
  });
});
