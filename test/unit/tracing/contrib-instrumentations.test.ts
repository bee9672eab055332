import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTRIB_INSTRUMENTATIONS, resolveConfig } from '../../../src/config/index.js';
import { diagnostics } from '../../../src/diag/index.js';
import { LookoutConfigError } from '../../../src/errors/index.js';
import { detectRuntime } from '../../../src/runtime/index.js';
import { expandInstrumentationNames } from '../../../src/tracing/instrumentations.js';
import { loadContribInstrumentation } from '../../../src/tracing/load-contrib-instrumentation.js';
import {
  findLoadedPackages,
  reportLoadedBeforeInit,
} from '../../../src/tracing/report-loaded-before-init.js';

// An app folder outside the repository with a package.json and a hand-made node_modules, so
// what resolves from it is exactly what the test put there.
let appDir: string;

function fakeInstrumentationPackage(dir: string, name: string, className: string): void {
  const packageDir = join(dir, 'node_modules', '@opentelemetry', `instrumentation-${name}`);
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(
    join(packageDir, 'package.json'),
    JSON.stringify({ name: `@opentelemetry/instrumentation-${name}`, main: 'index.js' }),
  );
  writeFileSync(
    join(packageDir, 'index.js'),
    `class ${className} { constructor() { this.instrumentationName = '@opentelemetry/instrumentation-${name}'; } enable() {} disable() {} }\nmodule.exports = { ${className}, VERSION: '1.0.0' };\n`,
  );
}

beforeAll(() => {
  appDir = mkdtempSync(join(tmpdir(), 'lookout-contrib-unit-'));
  writeFileSync(
    join(appDir, 'package.json'),
    JSON.stringify({
      name: 'app',
      dependencies: { pg: '^8', mongodb: '^6', express: '^5' },
      optionalDependencies: { kafkajs: '^2' },
      devDependencies: { mysql2: '^3' },
    }),
  );
  fakeInstrumentationPackage(appDir, 'pg', 'PgInstrumentation');
  fakeInstrumentationPackage(appDir, 'kafkajs', 'KafkaJsInstrumentation');
  fakeInstrumentationPackage(appDir, 'mysql2', 'MySQL2Instrumentation');
});
afterAll(() => rmSync(appDir, { recursive: true, force: true }));

describe('the contrib instrumentation names', () => {
  it('are accepted by LOOKOUT_INSTRUMENTATIONS together with the built-ins and auto', () => {
    // Act
    const env = { LOOKOUT_INSTRUMENTATIONS: 'http,pg,ioredis,auto,b3' };
    const { config, warnings } = resolveConfig({ env, runtime: detectRuntime(env, () => undefined) });

    // Assess
    expect(config.tracing.instrumentations).toEqual(['http', 'pg', 'ioredis', 'auto']);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'LOOKOUT_INSTRUMENTATIONS: ignored unknown item "b3"',
    ]);
  });

  it('are accepted by the init() option, which names an unknown one in its error', () => {
    // Prepare
    const env = {};
    const runtime = detectRuntime(env, () => undefined);

    // Act
    const { config } = resolveConfig({
      env,
      runtime,
      options: { tracing: { instrumentations: ['http', 'pg', 'redis', 'mysql2'] } },
    });
    // From JavaScript, nothing stops a name the types do not have.
    const untyped: unknown = { tracing: { instrumentations: ['http', 'b3'] } };
    const unknown = () =>
      resolveConfig({ env, runtime, options: untyped as Parameters<typeof resolveConfig>[0]['options'] });

    // Assess
    expect(config.tracing.instrumentations).toEqual(['http', 'pg', 'redis', 'mysql2']);
    expect(unknown).toThrow(LookoutConfigError);
    expect(unknown).toThrow(/b3/);
  });

  it('each name a package @opentelemetry/instrumentation-<name>', () => {
    for (const [name, entry] of Object.entries(CONTRIB_INSTRUMENTATIONS))
      expect(entry.package).toBe(`@opentelemetry/instrumentation-${name}`);
  });
});

describe('auto', () => {
  it('adds the built-ins and the installed contrib instrumentations of the app dependencies', () => {
    // Act
    const names = expandInstrumentationNames(['auto'], { appDirs: [appDir], disabled: [] });

    // Assess: mongodb is a dependency without its instrumentation; mysql2 is only a devDependency.
    expect(names).toEqual(['http', 'express', 'undici', 'aws-sdk', 'kafkajs', 'pg']);
  });

  it('never adds a disabled instrumentation', () => {
    // Act
    const names = expandInstrumentationNames(['auto'], { appDirs: [appDir], disabled: ['pg', 'aws-sdk'] });

    // Assess
    expect(names).toEqual(['http', 'express', 'undici', 'kafkajs']);
  });

  it('leaves a list without auto as it is', () => {
    expect(expandInstrumentationNames(['http', 'redis'], { appDirs: [appDir], disabled: [] })).toEqual([
      'http',
      'redis',
    ]);
  });
});

describe('loading a contrib instrumentation', () => {
  it('creates the instrumentation class the app installed', () => {
    // Act
    const result = loadContribInstrumentation('pg', [appDir]);

    // Assess
    expect(result.status).toBe('loaded');
    if (result.status === 'loaded') {
      expect(result.instrumentation.instrumentationName).toBe('@opentelemetry/instrumentation-pg');
      expect(result.from.startsWith(appDir)).toBe(true);
    }
  });

  it('says which package is missing when the app has not installed it', () => {
    expect(loadContribInstrumentation('redis', [appDir])).toEqual({
      status: 'missing',
      package: '@opentelemetry/instrumentation-redis',
    });
  });
});

describe('finding hooked packages already loaded', () => {
  it('matches files inside the package folder only, scoped names included', () => {
    // Prepare
    const files = [
      `${sep}srv${sep}app${sep}node_modules${sep}pg${sep}lib${sep}index.js`,
      `${sep}srv${sep}app${sep}node_modules${sep}pg-pool${sep}index.js`,
      `${sep}srv${sep}app${sep}node_modules${sep}@grpc${sep}grpc-js${sep}build${sep}index.js`,
      `${sep}srv${sep}app${sep}src${sep}pg${sep}index.js`,
    ];

    // Act
    const found = findLoadedPackages(['pg', 'pg-pool', 'redis', '@grpc/grpc-js', 'http'], files);

    // Assess
    expect(found).toEqual(['pg', 'pg-pool', '@grpc/grpc-js']);
  });
});

describe('reporting hooked modules loaded before init()', () => {
  // test/fixtures/esm-hooked-package holds a package that loads only as an ES module.
  const esmAppDir = fileURLToPath(new URL('../../fixtures/esm-hooked-package/', import.meta.url));
  const hooked = [
    { instrumentation: '@opentelemetry/instrumentation-aws-sdk', moduleNames: ['@smithy/smithy-client'] },
  ];
  let lines: string[];
  let restore: () => void;

  beforeEach(() => {
    lines = [];
    restore = diagnostics.captureForTesting((line) => lines.push(line));
  });
  afterEach(() => restore());

  it('reports an ES module dependency once when init() runs inside an ES module app', () => {
    // Act
    for (let i = 0; i < 2; i++)
      reportLoadedBeforeInit({
        hooked,
        esmEntry: true,
        appDir: esmAppDir,
        appDependencies: () => new Set(['@smithy/smithy-client']),
      });

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[LOOKOUT_LOADED_BEFORE_INIT] @smithy/smithy-client was loaded before init()');
    expect(lines[0]).toContain('node --import lookout/register');
  });

  it('says nothing for an ES module the app does not depend on, or in a CommonJS app', () => {
    // Act
    reportLoadedBeforeInit({ hooked, esmEntry: true, appDir: esmAppDir, appDependencies: () => new Set() });
    reportLoadedBeforeInit({
      hooked,
      esmEntry: false,
      appDir: esmAppDir,
      appDependencies: () => new Set(['@smithy/smithy-client']),
    });

    // Assess
    expect(lines).toEqual([]);
  });
});
