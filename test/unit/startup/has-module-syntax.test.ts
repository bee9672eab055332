import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasModuleSyntax } from '../../../src/startup/has-module-syntax.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lookout-module-syntax-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `source` to a file of its own and judges it. */
function judge(name: string, source: string): boolean {
  const file = join(dir, `${name}.js`);
  writeFileSync(file, source);
  return hasModuleSyntax(file);
}

describe('judging a typeless .js file by its syntax, as Node does', () => {
  it.each([
    { name: 'import-statement', source: "import http from 'node:http';\nhttp.createServer();\n" },
    { name: 'export', source: 'export const answer = 42;\n' },
    { name: 'import-meta', source: 'console.log(import.meta.url);\n' },
    { name: 'top-level-await', source: 'await Promise.resolve();\n' },
    {
      name: 'own-require',
      source:
        "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n",
    },
    { name: 'declared-require-and-await', source: 'const require = 1;\nawait Promise.resolve(require);\n' },
    { name: 'shebang', source: "#!/usr/bin/env node\nimport os from 'node:os';\n" },
  ])('says module for $name', ({ name, source }) => {
    expect(judge(name, source)).toBe(true);
  });

  it.each([
    { name: 'require', source: "const http = require('node:http');\nmodule.exports = { http };\n" },
    { name: 'dynamic-import', source: "import('./server.mjs').catch(console.error);\n" },
    { name: 'await-in-async-function', source: 'async function main() { await 1; }\nmain();\n' },
    {
      name: 'words-in-comments',
      source: '// import the app, export nothing, await nothing\nrequire("./app");\n',
    },
    { name: 'top-level-return', source: 'if (process.env.SKIP) return;\nrequire("./app");\n' },
    { name: 'broken', source: 'const = import;\n' },
  ])('says CommonJS for $name', ({ name, source }) => {
    expect(judge(name, source)).toBe(false);
  });

  it('says CommonJS for a file it cannot read', () => {
    expect(hasModuleSyntax(join(dir, 'missing.js'))).toBe(false);
  });
});
