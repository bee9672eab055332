// `lookout check` from the packed tarball: `npm pack`, unpacked as an installed package
// (node_modules/lookout; its dependencies resolve from the repository's node_modules, as npm
// would have installed them), run from a user's project folder on templates copied there.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/node-process.js';

let installRoot: string;
let project: string;
let bin: string;
let packedFiles: string[];

beforeAll(() => {
  const scratch = join(REPO_ROOT, '.scratch');
  mkdirSync(scratch, { recursive: true });
  installRoot = mkdtempSync(join(scratch, 'check-package-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', installRoot], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as { filename: string; files: { path: string }[] }[];
  const [entry] = packed;
  if (entry === undefined) throw new Error('npm pack wrote nothing');
  packedFiles = entry.files.map((file) => file.path);
  const packageDir = join(installRoot, 'node_modules', 'lookout');
  mkdirSync(packageDir, { recursive: true });
  execFileSync('tar', ['-xzf', join(installRoot, entry.filename), '-C', packageDir, '--strip-components=1']);
  bin = join(packageDir, 'bin', 'lookout.mjs');

  project = mkdtempSync(join(tmpdir(), 'lookout-check-project-'));
  for (const name of ['Lambda.1.fail.yaml', 'Lambda.1.pass.yaml'])
    copyFileSync(join(REPO_ROOT, 'test', 'fixtures', 'check', 'sam', name), join(project, name));
});
afterAll(() => {
  rmSync(installRoot, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

function lookout(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
}

describe('lookout check from the packed package', () => {
  it('ships the command as an ES module (what bin/lookout.mjs loads) and none of the test fixtures', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['bin/lookout.mjs', 'dist/esm/cli/main.js']));
    expect(packedFiles).not.toContain('dist/cjs/cli/main.js');
    expect(packedFiles.filter((path) => path.startsWith('test/'))).toEqual([]);
  });

  it('lists check among the commands and prints its help', () => {
    expect(lookout('--help').stdout).toMatch(/^ {2}check\s+check CloudFormation/m);
    const help = lookout('check', '--help');

    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: lookout check');
  });

  it('fails a failing template with exit 1 and a SARIF report, and passes a passing one', () => {
    const failing = lookout('check', 'Lambda.1.fail.yaml', '--format', 'sarif', '--as-of', '2026-06-01');
    const passing = lookout('check', 'Lambda.1.pass.yaml', '--as-of', '2026-06-01');
    const log = JSON.parse(failing.stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };

    expect(failing.status).toBe(1);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]?.results.map((result) => result.ruleId)).toEqual(['Lambda.1']);
    expect(passing.status).toBe(0);
    expect(passing.stdout).toContain('0 findings, 0 suppressions; 0 at or above --fail-on low: pass');
  });

  it('answers a usage mistake with one line pointing at --help, exit 2', () => {
    const result = lookout('check', 'Lambda.1.pass.yaml', '--format', 'html');

    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'lookout check: --format must be one of table, json, sarif, not "html". See lookout check --help\n',
    );
  });
});
