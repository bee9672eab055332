import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEsmEntry } from '../../../src/tracing/register-esm-hooks.js';

// Real folders: the judgement reads the nearest package.json as Node finds a file's package scope.
let root = '';

function write(path: string, contents: string): string {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, contents);
  return file;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lookout-esm-entry-'));
  // A workspace root that is CommonJS, above the app's own package.
  write('package.json', JSON.stringify({ name: 'workspace', type: 'commonjs' }));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('judging whether the entry script is an ES module, as Node does', () => {
  it('reads the type of a package.json that starts with a byte order mark', () => {
    // Prepare: Node skips a UTF-8 BOM and runs the entry as an ES module
    write('app/package.json', `\uFEFF${JSON.stringify({ name: 'app', type: 'module' })}`);
    const entry = write('app/server.js', 'console.log(1);\n');

    // Act
    const esm = isEsmEntry(entry);

    // Assess: the app's own package.json decides, not the workspace's above it
    expect(esm).toBe(true);
  });

  it('stops at the nearest package.json, which decides', () => {
    write('lib/package.json', JSON.stringify({ name: 'lib' }));
    write('lib/sub/package.json', JSON.stringify({ type: 'module' }));

    expect(isEsmEntry(write('lib/sub/x.js', ''))).toBe(true);
    expect(isEsmEntry(write('lib/y.js', ''))).toBe(false);
  });
});
