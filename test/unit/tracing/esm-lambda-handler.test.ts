import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEsmLambdaHandler } from '../../../src/tracing/register-esm-hooks.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lookout-esm-handler-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function file(path: string, text = ''): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('ES module detection of a Lambda handler', () => {
  it('judges by extension, as the Node.js runtime loads the handler', () => {
    file('a.mjs');
    file('b.cjs');
    file('c');

    expect(isEsmLambdaHandler(root, 'a.handler')).toBe(true);
    expect(isEsmLambdaHandler(root, 'b.handler')).toBe(false);
    expect(isEsmLambdaHandler(root, 'c.handler')).toBe(false);
  });

  it('reads the nearest package.json type for a .js handler, in a sub-folder too', () => {
    file('package.json', JSON.stringify({ type: 'module' }));
    file('src/app.js');
    file('legacy/package.json', JSON.stringify({ name: 'legacy' }));
    file('legacy/app.js');

    expect(isEsmLambdaHandler(root, 'src/app.nested.handler')).toBe(true);
    expect(isEsmLambdaHandler(root, 'legacy/app.handler')).toBe(false);
  });

  it('prefers .js over .mjs, as the runtime does', () => {
    file('index.js');
    file('index.mjs');

    expect(isEsmLambdaHandler(root, 'index.handler')).toBe(false);
  });

  it('cannot tell when the handler is not a file in the task root, or nothing is set', () => {
    expect(isEsmLambdaHandler(root, 'missing.handler')).toBeUndefined();
    expect(isEsmLambdaHandler(root, 'nodot')).toBeUndefined();
    expect(isEsmLambdaHandler(undefined, 'index.handler')).toBeUndefined();
  });
});
