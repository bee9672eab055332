import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { measureTree } from '../../../benchmarks/lib/measure-tree.mjs';

describe('installed size of a node_modules tree', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sums file sizes, counts packages (scoped and nested) and does not follow links', () => {
    dir = mkdtempSync(join(tmpdir(), 'lookout-tree-test-'));
    const write = (path: string, bytes: number) => {
      mkdirSync(join(dir!, path, '..'), { recursive: true });
      writeFileSync(join(dir!, path), 'x'.repeat(bytes));
    };
    write('a/package.json', 10);
    write('a/index.js', 100);
    write('@scope/b/package.json', 20);
    write('@scope/b/node_modules/c/package.json', 30);
    write('.bin/.keep', 1);
    mkdirSync(join(dir, 'not-a-package'));
    symlinkSync(join(dir, 'a', 'index.js'), join(dir, '.bin', 'a'));

    const measured = measureTree(dir);

    expect(measured.packages).toBe(3);
    expect(measured.files).toBe(6);
    // Five regular files (161 bytes) plus the link itself, whatever length its target path has.
    expect(measured.bytes).toBeGreaterThan(161);
    expect(measured.bytes).toBeLessThan(161 + 4096);
  });
});
