import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findChromium } from '../../../scripts/lib/find-chromium.mjs';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'find-chromium-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Makes an executable (or, with `mode` 0o644, a plain file) at `root/<path>`. */
function program(path: string, mode = 0o755): string {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

describe('finding Chromium for the browser tests', () => {
  it('takes LOOKOUT_CHROMIUM before CHROME_PATH and before PATH', () => {
    const own = program('own/chrome');
    const chromePath = program('chrome-path/chrome');
    program('bin/chromium');

    const found = findChromium({ LOOKOUT_CHROMIUM: own, CHROME_PATH: chromePath, PATH: join(root, 'bin') });

    expect(found).toEqual({ found: true, path: own, how: 'LOOKOUT_CHROMIUM' });
  });

  it('takes CHROME_PATH when LOOKOUT_CHROMIUM is unset', () => {
    const chromePath = program('chrome-path/chrome');

    expect(findChromium({ CHROME_PATH: chromePath, PATH: '' })).toEqual({
      found: true,
      path: chromePath,
      how: 'CHROME_PATH',
    });
  });

  it.each([['chromium'], ['chromium-browser'], ['google-chrome'], ['google-chrome-stable']])(
    'finds %s on PATH',
    (name) => {
      const path = program(`second/${name}`);

      const found = findChromium({ PATH: [join(root, 'first'), join(root, 'second')].join(':') });

      expect(found).toEqual({ found: true, path, how: `${name} on PATH` });
    },
  );

  it('prefers chromium over google-chrome when both are on PATH', () => {
    program('bin/google-chrome');
    const chromium = program('bin/chromium');

    expect(findChromium({ PATH: join(root, 'bin') })).toMatchObject({ found: true, path: chromium });
  });

  it('skips a file on PATH that is not executable', () => {
    program('a/chromium', 0o644);
    const executable = program('b/chromium');

    expect(findChromium({ PATH: `${join(root, 'a')}:${join(root, 'b')}` })).toMatchObject({
      path: executable,
    });
  });

  it('refuses a variable that names no executable instead of looking elsewhere', () => {
    program('bin/chromium');

    const found = findChromium({ CHROME_PATH: join(root, 'missing'), PATH: join(root, 'bin') });

    expect(found).toEqual({
      found: false,
      reason: `CHROME_PATH=${join(root, 'missing')} is not an executable file`,
    });
  });

  it('says how to get one when none is found', () => {
    const found = findChromium({ PATH: join(root, 'empty') });

    expect(found.found).toBe(false);
    expect(found.found === false && found.reason).toContain('apt-get install -y chromium');
  });
});
