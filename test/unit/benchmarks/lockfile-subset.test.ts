import { describe, expect, it } from 'vitest';
import { resolveInLockfile, subsetLockfile } from '../../../benchmarks/lib/lockfile-subset.mjs';

// A repository lockfile in miniature: `a` needs `b@2` (nested under `a`, since the project has
// `b@1` at the top), `c` (hoisted) and an optional peer `d`; `c` has an optional dependency
// that was never installed on this platform.
const LOCK = {
  lockfileVersion: 3,
  packages: {
    '': { name: 'repo', version: '1.0.0' },
    'node_modules/a': {
      version: '1.0.0',
      integrity: 'sha512-a',
      dev: true,
      dependencies: { b: '^2.0.0', c: '^1.0.0' },
      peerDependencies: { d: '*' },
      peerDependenciesMeta: { d: { optional: true } },
    },
    'node_modules/a/node_modules/b': { version: '2.0.0', integrity: 'sha512-b2', dev: true },
    'node_modules/b': { version: '1.0.0', integrity: 'sha512-b1' },
    'node_modules/c': { version: '1.0.0', integrity: 'sha512-c', optionalDependencies: { 'c-native': '1' } },
    'node_modules/d': { version: '1.0.0', integrity: 'sha512-d' },
    'node_modules/unrelated': { version: '1.0.0', integrity: 'sha512-u' },
  },
};

describe('cutting a lockfile for one peer', () => {
  it('resolves a dependency from the nearest node_modules first, then each parent', () => {
    expect(resolveInLockfile(LOCK, 'node_modules/a', 'b')).toBe('node_modules/a/node_modules/b');
    expect(resolveInLockfile(LOCK, 'node_modules/a', 'c')).toBe('node_modules/c');
    expect(resolveInLockfile(LOCK, 'node_modules/a/node_modules/b', 'c')).toBe('node_modules/c');
    expect(resolveInLockfile(LOCK, '', 'missing')).toBeUndefined();
  });

  it('keeps what the package needs at its own paths, without optional peers, missing optionals or dev flags', () => {
    const { manifest, lockfile } = subsetLockfile(LOCK, ['a']);

    expect(manifest.dependencies).toEqual({ a: '1.0.0' });
    expect(Object.keys(lockfile.packages)).toEqual([
      '',
      'node_modules/a',
      'node_modules/a/node_modules/b',
      'node_modules/c',
    ]);
    expect(lockfile.packages['node_modules/a']).not.toHaveProperty('dev');
  });

  it("resolves an extra package's dependencies as the project's own", () => {
    const { manifest, lockfile } = subsetLockfile(
      LOCK,
      [],
      [
        {
          name: 'tool',
          range: 'file:../tool.tgz',
          entry: { version: '0.1.0', dependencies: { b: '^1.0.0' } },
        },
      ],
    );

    expect(manifest.dependencies).toEqual({ tool: 'file:../tool.tgz' });
    expect(Object.keys(lockfile.packages)).toEqual(['', 'node_modules/b', 'node_modules/tool']);
  });

  it("takes a workspace's own copy first and lays its packages out at the project's top level", () => {
    const lock = {
      ...LOCK,
      packages: {
        ...LOCK.packages,
        'fixtures/old': { name: 'old-fixture' },
        'fixtures/old/node_modules/a': {
          version: '0.9.0',
          integrity: 'sha512-a09',
          dependencies: { c: '1', e: '1' },
        },
        'fixtures/old/node_modules/e': { version: '1.0.0', integrity: 'sha512-e' },
      },
    };

    const { manifest, lockfile } = subsetLockfile(lock, ['a'], [], { workspace: 'fixtures/old' });

    expect(manifest.dependencies).toEqual({ a: '0.9.0' });
    expect(Object.keys(lockfile.packages)).toEqual([
      '',
      'node_modules/a',
      'node_modules/c',
      'node_modules/e',
    ]);
    expect(lockfile.packages['node_modules/a']?.version).toBe('0.9.0');
  });

  it("fails when a workspace's package and the repository's top-level one would share a path", () => {
    const lock = {
      ...LOCK,
      packages: {
        ...LOCK.packages,
        'fixtures/old/node_modules/c': { version: '0.1.0', integrity: 'sha512-c01' },
      },
    };

    expect(() => subsetLockfile(lock, ['c', 'a'], [], { workspace: 'fixtures/old' })).toThrow(
      'node_modules/c is needed both from fixtures/old',
    );
  });

  it('fails naming a required package the lockfile lacks', () => {
    const broken = {
      ...LOCK,
      packages: { ...LOCK.packages, 'node_modules/c': { version: '1.0.0', dependencies: { gone: '1' } } },
    };

    expect(() => subsetLockfile(broken, ['c'])).toThrow(
      'gone, needed by node_modules/c, is not in package-lock.json',
    );
  });
});
