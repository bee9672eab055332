import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveImportTarget } from '../../../src/tracing/resolve-import-target.js';

let root: string;
let app: string;

/** Writes files under the temp root: `{ 'node_modules/pkg/package.json': {...} }`. */
function install(files: Record<string, unknown>): void {
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lookout-resolve-import-'));
  app = join(root, 'app', 'src');
  mkdirSync(app, { recursive: true });
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('resolving what `import name` loads', () => {
  it('finds a package in a node_modules folder above the app and reads its main as CommonJS', () => {
    install({ 'node_modules/lib/package.json': { main: 'lib/main.js' }, 'node_modules/lib/lib/main.js': '' });

    expect(resolveImportTarget('lib', app)).toEqual({
      file: join(root, 'node_modules/lib/lib/main.js'),
      format: 'commonjs',
    });
  });

  it('treats a package with "type": "module" as an ES module', () => {
    install({ 'app/node_modules/lib/package.json': { type: 'module' }, 'app/node_modules/lib/index.js': '' });

    expect(resolveImportTarget('lib', app)?.format).toBe('module');
  });

  it('reads a package.json that starts with a byte order mark, as Node does', () => {
    // Prepare: an editor on Windows saved it with a UTF-8 BOM; Node skips it
    const bom = '\uFEFF';
    install({
      'node_modules/lib/package.json': `${bom}${JSON.stringify({ type: 'module', exports: './dist/lib.js' })}`,
      'node_modules/lib/dist/lib.js': '',
    });

    // Act
    const target = resolveImportTarget('lib', app);

    // Assess
    expect(target).toEqual({ file: join(root, 'node_modules/lib/dist/lib.js'), format: 'module' });
  });

  it('treats an .mjs main as an ES module whatever the type', () => {
    install({ 'node_modules/lib/package.json': { main: './index.mjs' }, 'node_modules/lib/index.mjs': '' });

    expect(resolveImportTarget('lib', app)?.format).toBe('module');
  });

  it('follows the import condition of exports to an ES module file', () => {
    install({
      'node_modules/@scope/lib/package.json': {
        exports: { '.': { require: './dist/index.cjs', import: './dist/index.mjs' } },
      },
    });

    expect(resolveImportTarget('@scope/lib', app)).toEqual({
      file: join(root, 'node_modules/@scope/lib/dist/index.mjs'),
      format: 'module',
    });
  });

  it('takes the first matching condition in the package key order, as the AWS SDK v3 relies on', () => {
    // `node` before `import`: Node loads the CommonJS build even for `import`.
    install({
      'node_modules/@smithy/core/package.json': {
        exports: {
          '.': {
            types: './dist-types/index.d.ts',
            module: './dist-es/index.js',
            node: './dist-cjs/index.js',
            import: './dist-es/index.js',
            require: './dist-cjs/index.js',
          },
        },
      },
      'node_modules/@smithy/core/dist-es/package.json': { type: 'module' },
    });

    expect(resolveImportTarget('@smithy/core', app)).toEqual({
      file: join(root, 'node_modules/@smithy/core/dist-cjs/index.js'),
      format: 'commonjs',
    });
  });

  it('reads the type of the nearest package.json of the target file, not only the package root', () => {
    install({
      'node_modules/lib/package.json': { exports: { import: './esm/index.js', default: './cjs/index.js' } },
      'node_modules/lib/esm/package.json': { type: 'module' },
    });

    expect(resolveImportTarget('lib', app)?.format).toBe('module');
  });

  it('resolves exports given as an array of fallbacks', () => {
    install({ 'node_modules/lib/package.json': { exports: [{ browser: './b.js' }, './index.cjs'] } });

    expect(resolveImportTarget('lib', app)).toEqual({
      file: join(root, 'node_modules/lib/index.cjs'),
      format: 'commonjs',
    });
  });

  it('returns undefined for a package that is not installed or exports no root entry', () => {
    install({ 'node_modules/sub-only/package.json': { exports: { './feature': './feature.js' } } });

    expect(resolveImportTarget('not-installed', app)).toBeUndefined();
    expect(resolveImportTarget('sub-only', app)).toBeUndefined();
  });

  // Node's own lookup skips a node_modules it cannot search (a file of that name, a folder it
  // may not enter) and goes on upwards; a stat of a path inside one fails with ENOTDIR or EACCES.
  it('goes past a node_modules that is a file to the next folder up, as Node does', () => {
    install({
      'app/node_modules': 'not a folder',
      'node_modules/lib/package.json': { type: 'module' },
      'node_modules/lib/index.js': '',
    });

    expect(resolveImportTarget('lib', app)).toEqual({
      file: join(root, 'node_modules/lib/index.js'),
      format: 'module',
    });
  });

  it('treats a main inside a package whose path cannot be read as not installed', () => {
    install({
      'node_modules/lib/package.json': { main: 'lib/main' },
      'node_modules/lib/lib': 'a file, not a folder',
    });

    expect(resolveImportTarget('lib', app)).toBeUndefined();
  });
});
