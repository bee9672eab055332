import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppRunner } from '../../../src/startup/is-app-runner.js';

// Real files in a folder that plays the disk: the check reads each script's real path, as the
// register does with process.argv[1].
let root = '';

/** A `require` that finds no `lookout` command: these cases are about package managers. */
const NO_LOOKOUT = {
  resolve(request: string): string {
    throw new Error(`Cannot find module '${request}'`);
  },
};

/** Writes an empty script at `path` under the root and judges it. */
function judge(path: string, corepackHome?: string): boolean {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  return isAppRunner(file, NO_LOOKOUT, corepackHome === undefined ? undefined : join(root, corepackHome));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lookout-app-runner-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("the register's check for a script that only runs the app", () => {
  it.each([
    ["Corepack's own shim", 'usr/lib/node_modules/corepack/dist/pnpm.js'],
    ["a release in Corepack's default cache", 'home/u/.cache/node/corepack/v1/pnpm/9.1.0/bin/pnpm.cjs'],
    ['a Yarn release in the cache of a Corepack before 0.20', 'home/u/.node/corepack/yarn/4.1.0/yarn.js'],
    ["npm in Corepack's Windows-style cache", 'AppData/Local/node/corepack/v1/npm/10.2.0/bin/npm-cli.js'],
  ])('takes %s for a package manager', (_what, path) => {
    expect(judge(path)).toBe(true);
  });

  it('takes a release under COREPACK_HOME, wherever it points, for a package manager', () => {
    expect(judge('opt/pm-cache/v1/pnpm/9.1.0-rc.1/bin/pnpm.cjs', 'opt/pm-cache')).toBe(true);
    // without it, that folder is no cache of Corepack's
    expect(judge('opt/pm-cache/v1/pnpm/9.1.0-rc.1/bin/pnpm.cjs')).toBe(false);
  });

  it.each([
    ['an app in a folder named corepack', 'srv/corepack/app.js'],
    ["an app in a corepack folder with a package manager's name below it", 'srv/corepack/pnpm/app.js'],
    ['an app in a project named corepack', 'home/u/corepack/src/server.js'],
    ['an app under a node/corepack folder but no release', 'srv/node/corepack/app.js'],
  ])('takes %s for the app', (_what, path) => {
    expect(judge(path)).toBe(false);
  });
});
