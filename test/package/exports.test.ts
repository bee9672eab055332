import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  version: string;
  exports: Record<
    string,
    string | { import: { types: string; default: string }; require: { types: string; default: string } }
  >;
  bin: Record<string, string>;
};
const subpaths = Object.keys(pkg.exports).filter((subpath) => subpath !== './package.json');
const specifier = (subpath: string) => (subpath === '.' ? 'lookout' : `lookout/${subpath.slice(2)}`);

// Runs a snippet in a fresh node process from the repo root, so `lookout` resolves through the
// package's own exports map (self-reference), exactly as an installed package would.
function runNode(args: string[]): string {
  return execFileSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', OTEL_TRACES_EXPORTER: 'none', LOOKOUT_HANDLE_SIGNALS: 'false' },
  });
}

describe('package exports', () => {
  it.each(subpaths)('%s loads with require()', (subpath) => {
    const out = runNode([
      '-e',
      `const m = require(${JSON.stringify(specifier(subpath))}); console.log(JSON.stringify(Object.keys(m).sort()))`,
    ]);

    expect(Array.isArray(JSON.parse(out))).toBe(true);
  });

  it.each(subpaths)('%s loads with import', (subpath) => {
    const out = runNode([
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(specifier(subpath))}); console.log(JSON.stringify(Object.keys(m).sort()))`,
    ]);

    expect(Array.isArray(JSON.parse(out))).toBe(true);
  });

  it('exposes the same names from the ESM and CommonJS builds of the main entry', () => {
    const esm = runNode([
      '--input-type=module',
      '-e',
      "console.log(JSON.stringify(Object.keys(await import('lookout')).sort()))",
    ]);
    const cjs = runNode([
      '-e',
      "console.log(JSON.stringify(Object.keys(require('lookout')).filter((k) => k !== 'default').sort()))",
    ]);

    expect(JSON.parse(cjs)).toEqual(JSON.parse(esm));
    expect(JSON.parse(esm)).toEqual(
      expect.arrayContaining(['init', 'shutdown', 'getTracer', 'LookoutConfigError']),
    );
  });

  it('shares one core between the main entry and the register entry', () => {
    // register calls init(); a second init() through the main entry must get the same handle.
    const out = runNode([
      '--require',
      'lookout/register',
      '-e',
      "const { init } = require('lookout'); const a = init(); const b = init(); console.log(a === b && a.config.serviceName)",
    ]);

    expect(out.trim()).toBe('lookout');
  });

  it('points every exports branch at files that exist, types first', () => {
    for (const subpath of subpaths) {
      const branch = pkg.exports[subpath];
      if (branch === undefined || typeof branch === 'string')
        throw new Error(`${subpath} has no import/require branches`);
      for (const condition of ['import', 'require'] as const) {
        expect(Object.keys(branch[condition])[0]).toBe('types');
        expect(existsSync(`${root}${branch[condition].types}`), `${subpath} ${condition} types`).toBe(true);
        expect(existsSync(`${root}${branch[condition].default}`), `${subpath} ${condition} default`).toBe(
          true,
        );
      }
    }
  });

  it('reads declarations as CommonJS in the require branch', () => {
    expect(JSON.parse(readFileSync(`${root}dist/cjs/package.json`, 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it('keeps src/version.ts equal to package.json', () => {
    expect(VERSION).toBe(pkg.version);
  });

  it('ships a runnable lookout command', () => {
    const out = runNode([`${root}${pkg.bin.lookout}`, '--version']);

    expect(out.trim()).toBe(pkg.version);
  });
});

describe('start-up budgets', () => {
  // Budgets in bytes and module counts, never in milliseconds (STYLE.md). To raise one, measure
  // the cold-start cost of the change with `npm run bench -- --only server-cold-start` and
  // record the reason in the commit message.
  const CORE_BUNDLE_MAX_BYTES = 700 * 1024;
  // Measured at 5: Lookout's own 2 files and import-in-the-middle's 3. The OpenTelemetry API
  // and Powertools are bundled into core (docs/decisions/0002-bundle-api-and-powertools.md).
  const REGISTER_MAX_MODULES = 8;

  it(`keeps the core bundle under ${CORE_BUNDLE_MAX_BYTES / 1024} KiB`, () => {
    expect(statSync(`${root}dist/cjs/core.js`).size).toBeLessThanOrEqual(CORE_BUNDLE_MAX_BYTES);
    expect(statSync(`${root}dist/esm/core.js`).size).toBeLessThanOrEqual(CORE_BUNDLE_MAX_BYTES);
  });

  it(`loads at most ${REGISTER_MAX_MODULES} CommonJS modules for --require lookout/register`, () => {
    const out = runNode([
      '--require',
      'lookout/register',
      '-e',
      'console.log(JSON.stringify(Object.keys(require.cache)))',
    ]);
    const modules = JSON.parse(out) as string[];

    expect(modules.length, modules.join('\n')).toBeLessThanOrEqual(REGISTER_MAX_MODULES);
  });
});
