import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shareOpenTelemetryApi } from '../../../src/startup/share-opentelemetry-api.js';

// A real folder with an installed `@opentelemetry/api` stand-in (two files that say which one
// loaded) and a one-file build beside it, resolved by Node's own module loader: what core.js
// does before it loads the core (docs/decisions/0067-opentelemetry-api-from-one-file.md).
let root = '';
let bundledFile = '';
let requireFromApp: NodeJS.Require;

function write(file: string, contents: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, contents);
}

function installApi(version: string, manifest?: string): void {
  const dir = join(root, 'node_modules', '@opentelemetry', 'api');
  write(
    join(dir, 'package.json'),
    manifest ?? JSON.stringify({ name: '@opentelemetry/api', version, main: 'build/src/index.js' }),
  );
  write(
    join(dir, 'build', 'src', 'index.js'),
    "exports.loadedFrom = 'package'; exports.part = require('./part');\n",
  );
  write(join(dir, 'build', 'src', 'part.js'), "module.exports = 'a second file';\n");
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lookout-share-api-'));
  bundledFile = join(root, 'lookout', 'opentelemetry-api.js');
  write(bundledFile, "exports.loadedFrom = 'one file';\n");
  write(join(root, 'app.js'), '');
  requireFromApp = createRequire(join(root, 'app.js'));
});

afterEach(() => {
  for (const file of Object.keys(requireFromApp.cache))
    if (file.startsWith(root)) delete requireFromApp.cache[file];
  rmSync(root, { recursive: true, force: true });
});

describe('the app’s @opentelemetry/api from one file', () => {
  it('loads the package from the one file when the installed version is the bundled one', () => {
    // Prepare
    installApi('1.9.1');

    // Act
    const outcome = shareOpenTelemetryApi(requireFromApp, bundledFile, '1.9.1');

    // Assess
    expect(outcome).toBe('shared');
    const api = requireFromApp('@opentelemetry/api') as { loadedFrom: string };
    expect(api.loadedFrom).toBe('one file');
    // The same module object for everyone who resolves the package: one copy.
    expect(api).toBe(requireFromApp(bundledFile));
    expect(Object.keys(requireFromApp.cache).filter((file) => file.endsWith('part.js'))).toEqual([]);
  });

  it('leaves another installed version to load from its own files', () => {
    // Prepare
    installApi('1.9.0');

    // Act
    const outcome = shareOpenTelemetryApi(requireFromApp, bundledFile, '1.9.1');

    // Assess
    expect(outcome).toBe('other-version');
    expect((requireFromApp('@opentelemetry/api') as { loadedFrom: string }).loadedFrom).toBe('package');
  });

  it('leaves a package whose main is not build/src/index.js to Node', () => {
    // Prepare
    installApi(
      '1.9.1',
      JSON.stringify({ name: '@opentelemetry/api', version: '1.9.1', main: 'build/src/part.js' }),
    );

    // Act
    const outcome = shareOpenTelemetryApi(requireFromApp, bundledFile, '1.9.1');

    // Assess
    expect(outcome).toBe('other-layout');
    expect(requireFromApp('@opentelemetry/api')).toBe('a second file');
  });

  it('changes nothing when the app loaded the api first', () => {
    // Prepare
    installApi('1.9.1');
    const loaded = requireFromApp('@opentelemetry/api');

    // Act
    const outcome = shareOpenTelemetryApi(requireFromApp, bundledFile, '1.9.1');

    // Assess
    expect(outcome).toBe('loaded-before');
    expect(requireFromApp('@opentelemetry/api')).toBe(loaded);
  });

  it('says not-found without an installed api', () => {
    expect(shareOpenTelemetryApi(requireFromApp, bundledFile, '1.9.1')).toBe('not-found');
  });

  it('leaves the package to Node when the one file fails to load', () => {
    // Prepare
    installApi('1.9.1');
    write(bundledFile, "throw new Error('broken build');\n");

    // Act
    const outcome = shareOpenTelemetryApi(requireFromApp, bundledFile, '1.9.1');

    // Assess
    expect(outcome).toBe('failed');
    expect((requireFromApp('@opentelemetry/api') as { loadedFrom: string }).loadedFrom).toBe('package');
  });
});
