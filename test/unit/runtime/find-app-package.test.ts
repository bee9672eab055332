import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findAppPackage } from '../../../src/runtime/find-app-package.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A project folder whose package.json holds `text`, with an empty `src/` below it. */
function project(text: string): string {
  const root = mkdtempSync(join(tmpdir(), 'lookout-app-package-'));
  folders.push(root);
  writeFileSync(join(root, 'package.json'), text);
  mkdirSync(join(root, 'src'));
  return join(root, 'src');
}

describe('findAppPackage', () => {
  it('reads the name and version of the nearest package.json above the start folder', () => {
    // Prepare
    const start = project('{"name":"orders-api","version":"1.2.3"}');

    // Act
    const found = findAppPackage([start]);

    // Assess
    expect(found).toEqual({ name: 'orders-api', version: '1.2.3' });
  });

  it('reads a package.json that starts with a byte order mark, as Node does', () => {
    // Prepare
    const start = project('\uFEFF{"name":"orders-api","version":"1.2.3"}');

    // Act
    const found = findAppPackage([start]);

    // Assess
    expect(found).toEqual({ name: 'orders-api', version: '1.2.3' });
  });
});
