// The layer zip as `lookout layer build` writes it: its size budget in bytes, and its layout.
// The archive is read with test/helpers/read-zip.ts, independent of the writer in layer/zip.mjs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip, type ZipEntry } from '../helpers/read-zip.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

// The budget. To raise it, measure what the extra bytes cost in Lambda init time
// (`npm run bench -- --only c`) and say why in the commit message.
const LAYER_MAX_BYTES = 2 * 1024 * 1024;

let work: string;
let zip: Buffer;
let entries: Map<string, ZipEntry>;
let output: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lookout-layer-package-'));
  // The command as users run it, from their own project folder.
  output = execFileSync(process.execPath, [join(root, 'bin', 'lookout.mjs'), 'layer', 'build'], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  zip = readFileSync(join(work, 'dist', 'lookout-layer.zip'));
  entries = new Map(readZip(zip).map((entry) => [entry.name, entry]));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the Lambda layer zip', () => {
  it(`stays within ${LAYER_MAX_BYTES} bytes`, () => {
    expect(zip.length).toBeLessThanOrEqual(LAYER_MAX_BYTES);
  });

  it('prints its steps and the size it wrote', () => {
    expect(output).toMatch(/^layer: bundled lookout \(esm\)/m);
    expect(output).toMatch(/^layer: bundled lookout \(cjs\)/m);
    expect(output).toContain(
      `layer: wrote dist/lookout-layer.zip (${entries.size} files, ${zip.length} bytes`,
    );
  });

  it('puts the exec wrapper at the root, executable', () => {
    const wrapper = entries.get('lookout-handler');
    expect(wrapper?.mode).toBe(0o755);
    expect(wrapper?.data.toString('utf8')).toBe(readFileSync(join(root, 'layer', 'lookout-handler'), 'utf8'));
  });

  it('puts collector/lambda.yaml where the ADOT collector layer reads its configuration', () => {
    expect(entries.get('collector-config/config.yaml')?.data.toString('utf8')).toBe(
      readFileSync(join(root, 'collector', 'lambda.yaml'), 'utf8'),
    );
  });

  it('ships Lookout as one bundled file per entry and format, each with its source map alongside', () => {
    for (const format of ['esm', 'cjs']) {
      for (const entry of ['core', 'index', 'register', 'lambda/index', 'lambda/auto', 'express/index']) {
        const file = `nodejs/node_modules/lookout/dist/${format}/${entry}.js`;
        const base = entry.split('/').pop();
        expect(entries.get(file)?.data.toString('utf8'), file).toContain(
          `//# sourceMappingURL=${base}.js.map`,
        );
        const map = JSON.parse(entries.get(`${file}.map`)?.data.toString('utf8') ?? '{}') as {
          sources?: string[];
        };
        expect(map.sources?.length, `${file}.map`).toBeGreaterThan(0);
      }
    }
    const manifest = JSON.parse(
      entries.get('nodejs/node_modules/lookout/package.json')?.data.toString('utf8') ?? '{}',
    );
    expect(Object.keys(manifest.exports)).toEqual([
      '.',
      './register',
      './lambda',
      './express',
      './package.json',
    ]);
    expect(entries.has('nodejs/node_modules/lookout/layer/handler-esm.mjs')).toBe(true);
    expect(entries.has('nodejs/node_modules/lookout/layer/handler-cjs.cjs')).toBe(true);
  });

  it('ships one core, the CommonJS one, with the files it loads lazily beside it', () => {
    const lookout = 'nodejs/node_modules/lookout/dist';
    // docs/decisions/0055-start-up-loads-what-it-starts.md: the ES module entries hand out the
    // CommonJS core, whose lazily loaded packages are files of their own.
    expect(entries.get(`${lookout}/esm/core.js`)?.data.toString('utf8')).toMatch(
      /^import core from"\.\.\/cjs\/core\.js"/,
    );
    expect(entries.has(`${lookout}/esm/core-impl.js`)).toBe(false);
    const core = entries.get(`${lookout}/cjs/core-impl.js`)?.data.toString('utf8') ?? '';
    expect(core).toContain('require("./lazy/instrumentation.js")');
    for (const name of [
      'instrumentation',
      'instrumentation-aws-sdk',
      'otlp-exporter-base',
      'otlp-exporter-base--node-http',
      'sdk-metrics',
    ])
      expect(entries.has(`${lookout}/cjs/lazy/${name}.js`), name).toBe(true);
  });

  it('ships only the packages Lookout loads by name, besides its bundles', () => {
    const packages = new Set<string>();
    for (const name of entries.keys()) {
      const match = /^nodejs\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(name);
      if (match?.[1] !== undefined) packages.add(match[1]);
    }
    expect([...packages].sort()).toEqual([
      '@opentelemetry/api',
      'cjs-module-lexer',
      'es-module-lexer',
      'import-in-the-middle',
      'lookout',
      'module-details-from-path',
    ]);
    expect(entries.has('nodejs/node_modules/import-in-the-middle/hook.mjs')).toBe(true);
    expect([...entries.keys()].filter((name) => /\.d\.[cm]?ts$/.test(name))).toEqual([]);
  });
});
