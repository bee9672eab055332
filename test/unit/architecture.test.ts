import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  checkLayers,
  checkRules,
  findCycles,
  parseImports,
} from '../../scripts/lib/import-graph.mjs';

const srcDir = fileURLToPath(new URL('../../src', import.meta.url));

describe('import direction', () => {
  it('holds for src/: the core never imports an adapter, adapters use only core.ts', () => {
    expect(checkRules(srcDir)).toEqual([]);
  });

  it('holds the core layers in src/, type-only imports included', () => {
    expect(checkLayers(srcDir)).toEqual([]);
  });

  it('flags an import from a lower layer to a higher one, even a type-only one, and an unplaced folder', () => {
    const graph = new Map([
      [
        `${srcDir}/config/settings/xray.ts`,
        [
          {
            specifier: '../../tracing/xray/parse.js',
            typeOnly: false,
            target: `${srcDir}/tracing/xray/parse.ts`,
          },
        ],
      ],
      [
        `${srcDir}/logging/correlation.ts`,
        [{ specifier: '../tracing/ids.js', typeOnly: true, target: `${srcDir}/tracing/ids.ts` }],
      ],
      [
        `${srcDir}/tracing/start.ts`,
        [{ specifier: '../logging/index.js', typeOnly: false, target: `${srcDir}/logging/index.ts` }],
      ],
      [`${srcDir}/widgets/w.ts`, []],
    ]);

    expect(checkLayers(srcDir, graph)).toEqual([
      'config/settings/xray.ts imports ../../tracing/xray/parse.js: config/ is below tracing/ in the layers',
      'logging/correlation.ts imports ../tracing/ids.js (type only): logging/ is below tracing/ in the layers',
      'src/widgets has no place in CORE_LAYERS',
    ]);
  });

  it('has no cycles among value imports in src/', () => {
    expect(findCycles(buildGraph(srcDir))).toEqual([]);
  });

  it('flags a core module importing an adapter, a deep adapter import and CDK outside src/cdk', () => {
    const graph = new Map([
      [
        `${srcDir}/logging/logger.ts`,
        [{ specifier: '../express/observe.js', typeOnly: false, target: `${srcDir}/express/observe.ts` }],
      ],
      [
        `${srcDir}/lambda/wrap.ts`,
        [{ specifier: '../logging/logger.js', typeOnly: false, target: `${srcDir}/logging/logger.ts` }],
      ],
      [`${srcDir}/metrics/emf.ts`, [{ specifier: 'aws-cdk-lib', typeOnly: false, target: undefined }]],
    ]);

    expect(checkRules(srcDir, graph)).toEqual([
      'logging/logger.ts imports ../express/observe.js: the core must never import an adapter or a shared area',
      'lambda/wrap.ts imports ../logging/logger.js: adapters reach the core only through src/core.ts',
      'metrics/emf.ts imports aws-cdk-lib: only src/cdk may import CDK packages',
    ]);
  });

  it('lets adapters import the shared checks, and keeps the checks away from adapters and the core away from them', () => {
    const graph = new Map([
      [
        `${srcDir}/cdk/lookout-checks.ts`,
        [{ specifier: '../checks/index.js', typeOnly: false, target: `${srcDir}/checks/index.ts` }],
      ],
      [
        `${srcDir}/checks/rules/x.ts`,
        [
          { specifier: '../../core.js', typeOnly: false, target: `${srcDir}/core.ts` },
          { specifier: '../../cli/main.js', typeOnly: false, target: `${srcDir}/cli/main.ts` },
          { specifier: '../../logging/logger.js', typeOnly: false, target: `${srcDir}/logging/logger.ts` },
        ],
      ],
      [
        `${srcDir}/metrics/emf.ts`,
        [{ specifier: '../checks/index.js', typeOnly: false, target: `${srcDir}/checks/index.ts` }],
      ],
    ]);

    expect(checkRules(srcDir, graph)).toEqual([
      'checks/rules/x.ts imports ../../cli/main.js: a shared area must not import an adapter',
      'checks/rules/x.ts imports ../../logging/logger.js: adapters reach the core only through src/core.ts',
      'metrics/emf.ts imports ../checks/index.js: the core must never import an adapter or a shared area',
    ]);
  });

  it('finds a cycle of value imports but not one closed by a type-only import', () => {
    const a = `${srcDir}/a.ts`;
    const b = `${srcDir}/b.ts`;
    const valueCycle = new Map([
      [a, [{ specifier: './b.js', typeOnly: false, target: b }]],
      [b, [{ specifier: './a.js', typeOnly: false, target: a }]],
    ]);
    const typeCycle = new Map([
      [a, [{ specifier: './b.js', typeOnly: false, target: b }]],
      [b, [{ specifier: './a.js', typeOnly: true, target: a }]],
    ]);

    expect(findCycles(valueCycle)).toEqual([[a, b, a]]);
    expect(findCycles(typeCycle)).toEqual([]);
  });

  it('tells type-only imports from value imports', () => {
    const imports = parseImports(
      "import type { A } from './a.js';\nimport { type B, c } from './b.js';\nimport { type D } from './d.js';\nexport { e } from './e.js';\nconst f = require('f');",
    );

    expect(imports).toEqual([
      { specifier: './a.js', typeOnly: true },
      { specifier: './b.js', typeOnly: false },
      { specifier: './d.js', typeOnly: true },
      { specifier: './e.js', typeOnly: false },
      { specifier: 'f', typeOnly: false },
    ]);
  });
});
