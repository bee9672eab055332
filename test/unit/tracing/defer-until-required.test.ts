import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deferUntilRequired, isAnyLoaded } from '../../../src/tracing/defer-until-required.js';

// A folder outside the repository with two hand-made packages, so each require below loads a
// file of its own through Node's real CommonJS loader.
let appDir: string;
let appRequire: NodeRequire;
let removeHook: (() => void) | undefined;

function fakePackage(name: string): void {
  const dir = join(appDir, 'node_modules', ...name.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
  writeFileSync(join(dir, 'index.js'), `module.exports = { name: ${JSON.stringify(name)} };\n`);
}

describe('deferUntilRequired', () => {
  beforeAll(() => {
    appDir = mkdtempSync(join(tmpdir(), 'lookout-defer-'));
    fakePackage('@fake-sdk/client');
    fakePackage('@fake-sdk/second');
    fakePackage('unrelated');
    appRequire = createRequire(join(appDir, 'app.js'));
  });
  afterEach(() => {
    removeHook?.();
    removeHook = undefined;
    for (const file of Object.keys(appRequire.cache))
      if (file.startsWith(appDir)) delete appRequire.cache[file];
  });
  afterAll(() => rmSync(appDir, { recursive: true, force: true }));

  it('starts nothing while the app requires other modules', () => {
    // Prepare
    const started: string[] = [];
    removeHook = deferUntilRequired(['@fake-sdk/'], () => started.push('started'));

    // Act
    const loaded = appRequire('unrelated') as { name: string };

    // Assess
    expect(loaded.name).toBe('unrelated');
    expect(started).toEqual([]);
  });

  it('starts once, before the first matching module loads, and hands that module back', () => {
    // Prepare
    const events: string[] = [];
    removeHook = deferUntilRequired(['@fake-sdk/'], () => {
      events.push(`started, client loaded: ${isAnyLoaded(['@fake-sdk/'])}`);
    });

    // Act
    const first = appRequire('@fake-sdk/client') as { name: string };
    const second = appRequire('@fake-sdk/second') as { name: string };

    // Assess
    expect(events).toEqual(['started, client loaded: false']);
    expect(first.name).toBe('@fake-sdk/client');
    expect(second.name).toBe('@fake-sdk/second');
    expect(isAnyLoaded(['@fake-sdk/'])).toBe(true);
  });

  it('issues the triggering require again through a hook that start installs', () => {
    // Prepare
    const seenByHook: string[] = [];
    const prototype = (
      createRequire(import.meta.url)('node:module') as { prototype: { require(id: string): unknown } }
    ).prototype;
    let restore: (() => void) | undefined;
    removeHook = deferUntilRequired(['@fake-sdk/'], () => {
      const before = prototype.require;
      prototype.require = function hook(this: unknown, id: string) {
        seenByHook.push(id);
        return Reflect.apply(before, this, [id]);
      };
      restore = () => {
        prototype.require = before;
      };
    });

    // Act
    appRequire('@fake-sdk/client');
    restore?.();

    // Assess
    expect(seenByHook).toEqual(['@fake-sdk/client']);
  });

  it('starts nothing after it was removed', () => {
    // Prepare
    const started: string[] = [];
    deferUntilRequired(['@fake-sdk/'], () => started.push('started'))();

    // Act
    appRequire('@fake-sdk/client');

    // Assess
    expect(started).toEqual([]);
  });
});
