// What `npm pack` puts in the tarball, and what it makes npm install: only the packages the
// package loads at run time or names in its public declarations
// (docs/decisions/0040-dependencies-of-the-published-package.md), no source maps or metafiles,
// no install-time script.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropRedundantNames } from '../../scripts/lib/drop-redundant-names.mjs';
import { stripComments } from '../../scripts/lib/public-declarations.mjs';
import { type PackedLookout, packLookout } from '../helpers/installed-lookout.js';

let work: string;
let packed: PackedLookout;
let unpacked: string;
let manifest: {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  scripts?: Record<string, string>;
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lookout-tarball-'));
  packed = packLookout(work);
  unpacked = join(work, 'package');
  execFileSync('tar', ['-xzf', packed.tarball, '-C', work]);
  manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** `@scope/name/deep` → `@scope/name`; `name/deep` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/**
 * Types that packages the declarations name need and do not install themselves: without them a
 * user's compiler with skipLibCheck off fails inside those packages (installed-types.test.ts).
 */
const TYPES_FOR_NAMED_PACKAGES: Record<string, string> = {
  '@types/aws-lambda': "Powertools' Logger and Metrics declarations import 'aws-lambda'",
};

const PACKAGE_SPECIFIER = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w./-]+)?$/;

/** Packages a file loads by name (require, require.resolve, import, import()), Node built-ins and itself aside. */
function packagesLoadedBy(code: string): Set<string> {
  const loads = code.matchAll(
    /\b(?:require(?:\.resolve)?\(\s*|import\(\s*|from\s*|import\s+)["']([^"'./][^"']*)["']/g,
  );
  const names = new Set<string>();
  for (const [, specifier = ''] of loads) {
    // A string that only looks like a load (`from "%s"` in a message) is not a package name.
    if (!PACKAGE_SPECIFIER.test(specifier) || isBuiltin(specifier)) continue;
    if (packageOf(specifier) !== 'lookout') names.add(packageOf(specifier));
  }
  return names;
}

describe('the packed tarball', () => {
  it('ships no source maps, metafiles or sources', () => {
    const paths = packed.files.map((file) => file.path);

    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(
      paths.filter(
        (path) => path.startsWith('dist/meta/') || (path.endsWith('.ts') && !path.endsWith('.d.ts')),
      ),
    ).toEqual([]);
    expect(paths.filter((path) => path.startsWith('src/') || path.startsWith('test/'))).toEqual([]);
    // A layer zip `npm run build:layer` left in dist/ is not part of the package.
    expect(paths.filter((path) => path.endsWith('.zip'))).toEqual([]);
  });

  it('ships no bundle with a name wrapper left that restates the name JavaScript gives', () => {
    // The build removes them (decision 0057); any left would cost a property definition for
    // every closure made on the request path. Those that restore a changed name are kept.
    const bundles = filesUnder(join(unpacked, 'dist')).filter(
      (path) => path.endsWith('.js') || path.endsWith('.mjs'),
    );
    const withRedundantWrappers = bundles.filter((path) => {
      const code = readFileSync(path, 'utf8');
      if (!code.includes('__name(')) return false;
      const module = path.endsWith('.mjs') || relative(unpacked, path).startsWith(join('dist', 'esm'));
      return dropRedundantNames(code, { module }).removed > 0;
    });

    expect(bundles.length).toBeGreaterThan(10);
    expect(withRedundantWrappers.map((path) => relative(unpacked, path))).toEqual([]);
  });

  it('has no install-time script', () => {
    const lifecycle = ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'postpack'];

    expect(Object.keys(manifest.scripts ?? {}).filter((name) => lifecycle.includes(name))).toEqual([]);
  });

  it('depends on exactly the packages its JavaScript loads or its declarations name, besides its peers', () => {
    const dist = join(unpacked, 'dist');
    const loaded = new Set<string>();
    const named = new Set<string>();
    for (const file of filesUnder(dist)) {
      const where = relative(dist, file);
      // The forwarder is a self-contained function of its own; the viewer's page runs in a browser.
      if (where.startsWith('error-store-forwarder') || where.startsWith('ui')) continue;
      if (file.endsWith('.d.ts'))
        for (const name of packagesLoadedBy(stripComments(readFileSync(file, 'utf8')))) named.add(name);
      else if (file.endsWith('.js'))
        for (const name of packagesLoadedBy(readFileSync(file, 'utf8'))) loaded.add(name);
    }
    const peers = new Set(Object.keys(manifest.peerDependencies));
    const needed = [...new Set([...loaded, ...named, ...Object.keys(TYPES_FOR_NAMED_PACKAGES)])]
      .filter((name) => !peers.has(name))
      .sort();

    expect(Object.keys(manifest.dependencies).sort()).toEqual(needed);
    // The api stays one copy shared with the app: a peer, never bundled.
    expect(loaded.has('@opentelemetry/api')).toBe(true);
    expect(peers.has('@opentelemetry/api')).toBe(true);
  });

  it('publishes only the declarations its entry points reach', () => {
    const declarations = packed.files.map((file) => file.path).filter((path) => path.endsWith('.d.ts'));

    expect(declarations).toEqual(
      expect.arrayContaining(['dist/esm/index.d.ts', 'dist/cjs/lambda/index.d.ts']),
    );
    // Internal: the span exporter factories name @opentelemetry/sdk-trace-base, which is bundled.
    expect(declarations.filter((path) => path.includes('span-exporters'))).toEqual([]);
  });
});
