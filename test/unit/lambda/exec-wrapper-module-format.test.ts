import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The layer's exec wrapper (layer/lookout-handler) run by bash as Lambda runs it, in a folder
// that plays /opt, with a task root of handler files: which of the layer's handlers it points
// _HANDLER at is how it read the handler's module format. It reads that without starting a process of its own, so these cases
// hold its own parsing of paths and package.json to the Node.js runtime's rules.
const WRAPPER = join(import.meta.dirname, '..', '..', '..', 'layer', 'lookout-handler');

let root = '';
let opt = '';
let taskRoot = '';

function write(file: string, contents = ''): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, contents);
}

/** The NODE_OPTIONS and _HANDLER the wrapper hands to the command it runs. */
function wrap(handler: string, env: Record<string, string> = {}): { nodeOptions: string; handler: string } {
  const output = execFileSync(
    join(opt, 'lookout-handler'),
    ['/bin/sh', '-c', 'printf "%s\\n%s" "$NODE_OPTIONS" "$_HANDLER"'],
    {
      env: { PATH: process.env.PATH ?? '', _HANDLER: handler, LAMBDA_TASK_ROOT: taskRoot, ...env },
      encoding: 'utf8',
    },
  );
  const [nodeOptions = '', wrapped = ''] = output.split('\n');
  return { nodeOptions, handler: wrapped };
}

function formatOf(handler: string, env: Record<string, string> = {}): 'esm' | 'cjs' | undefined {
  const wrapped = wrap(handler, env).handler;
  if (wrapped.endsWith('/lookout/layer/handler-esm.handler')) return 'esm';
  if (wrapped.endsWith('/lookout/layer/handler-cjs.handler')) return 'cjs';
  return undefined;
}

// CommonJS packages whose package.json says "type": "module" only below the top level.
const NESTED_TYPE = {
  'nested-config': '{\n  "name": "fn",\n  "config": { "type": "module" },\n  "main": "index.js"\n}\n',
  'nested-array': '{"name":"fn","keywords":[{"type" : "module"}]}',
  'in-script': '{"scripts":{"check":"grep \'\\"type\\": \\"module\\"\' x.json"}}',
  'in-string': '{"description":"a \\",\\"type\\":\\"module","type":"commonjs"}',
  'duplicate-last-commonjs': '{"type":"module","type":"commonjs"}',
  // Escapes Node decodes: the last "type", written escaped, says commonjs.
  'escaped-duplicate-last-commonjs': '{"type":"module","\\u0074ype":"commonjs"}',
  // An escaped backslash: the key is the text \u0074ype, not type.
  'escaped-backslash': '{"\\\\u0074ype":"module"}',
  // A NUL in the key: "type\0" is not "type".
  'escaped-nul': '{"type\\u0000":"module"}',
};
// ES module packages whose top-level "type" comes after nested values and strings that could
// throw a parser off: an escaped backslash ending a string, a quote escaped in a key's value.
const TOP_LEVEL_TYPE = {
  'after-nested': '{"config":{"type":"commonjs","x":[1,{"a":"}"}]},"type":"module"}',
  'after-escapes': '{"a":"x\\\\","b":"say \\"hi\\"","type"\n:\t"module"}',
  'duplicate-last-module': '{"type":"commonjs","type":"module"}',
  // JSON's \u escapes in the key or the value, which Node decodes: "type": "module" all the same.
  'escaped-key': '{"\\u0074ype":"module"}',
  'escaped-value': '{"type":"\\u006Dodul\\u0065"}',
  'escaped-duplicate-last-module': '{"type":"commonjs","typ\\u0065":"module"}',
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lookout-exec-wrapper-'));
  opt = join(root, 'opt');
  taskRoot = join(root, 'task');
  write(join(opt, 'nodejs', 'node_modules', 'lookout', 'package.json'), '{}');
  copyFileSync(WRAPPER, join(opt, 'lookout-handler'));
  execFileSync('chmod', ['+x', join(opt, 'lookout-handler')]);
  // A task root whose package.json says "type": "module" over several lines.
  write(join(taskRoot, 'package.json'), '{\n  "name": "fn",\n  "type"  :\n    "module"\n}\n');
  write(join(taskRoot, 'index.js'));
  write(join(taskRoot, 'src', 'handlers', 'orders.js'));
  write(join(taskRoot, 'plain.mjs'));
  write(join(taskRoot, 'legacy.cjs'));
  write(join(taskRoot, 'bare'));
  // A nested package that is CommonJS: the nearest package.json decides.
  write(join(taskRoot, 'lib', 'package.json'), '{ "type": "commonjs" }');
  write(join(taskRoot, 'lib', 'handler.js'));
  // A file inside node_modules: the search stops there, as Node's does for the runtime.
  write(join(taskRoot, 'node_modules', 'pkg', 'handler.js'));
  write(join(root, 'other', 'package.json'), '{"type":"module"}');
  for (const [folder, manifest] of Object.entries({ ...NESTED_TYPE, ...TOP_LEVEL_TYPE })) {
    write(join(root, folder, 'package.json'), manifest);
    write(join(root, folder, 'fn.js'));
  }
  write(join(root, 'other', 'deep', 'fn.js'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("the exec wrapper's reading of the handler's module format", () => {
  it('reads a .js handler as an ES module under the nearest "type": "module", at any depth', () => {
    expect(formatOf('index.handler')).toBe('esm');
    expect(formatOf('src/handlers/orders.handler')).toBe('esm');
    expect(formatOf(`${root}/other/deep/fn.handler`)).toBe('esm');
  });

  it('reads only the top-level "type" of package.json, not a "type": "module" nested or quoted in a value', () => {
    for (const folder of Object.keys(NESTED_TYPE))
      expect({ folder, format: formatOf(`${root}/${folder}/fn.handler`) }).toEqual({ folder, format: 'cjs' });
    for (const folder of Object.keys(TOP_LEVEL_TYPE))
      expect({ folder, format: formatOf(`${root}/${folder}/fn.handler`) }).toEqual({ folder, format: 'esm' });
  });

  it('reads .mjs as an ES module and .cjs, extensionless or missing files as CommonJS', () => {
    expect(formatOf('plain.handler')).toBe('esm');
    expect(formatOf('legacy.handler')).toBe('cjs');
    expect(formatOf('bare.handler')).toBe('cjs');
    expect(formatOf('missing.handler')).toBe('cjs');
  });

  it('lets the nearest package.json decide, and stops at node_modules', () => {
    expect(formatOf('lib/handler.handler')).toBe('cjs');
    expect(formatOf('node_modules/pkg/handler.handler')).toBe('cjs');
  });

  it('points _HANDLER at the layer handler of that format, next to the Lookout it found', () => {
    const { handler } = wrap('index.handler');
    expect(handler).toBe(`${opt}/nodejs/node_modules/lookout/layer/handler-esm.handler`);
  });

  it('preloads the CommonJS register for both formats, then registers the extension', () => {
    // docs/decisions/0073-layer-preloads-the-commonjs-core.md
    const preload =
      `--require "${opt}/nodejs/node_modules/lookout/dist/cjs/register.js" ` +
      `--import "${opt}/nodejs/node_modules/lookout/layer/register-extension.mjs"`;
    expect(wrap('index.handler').nodeOptions).toBe(preload);
    expect(wrap('legacy.handler').nodeOptions).toBe(preload);
  });

  it('takes LOOKOUT_LAMBDA_MODULE_FORMAT over the guess, and keeps the NODE_OPTIONS there were', () => {
    expect(formatOf('index.handler', { LOOKOUT_LAMBDA_MODULE_FORMAT: 'cjs' })).toBe('cjs');
    expect(formatOf('legacy.handler', { LOOKOUT_LAMBDA_MODULE_FORMAT: 'esm' })).toBe('esm');
    const { nodeOptions } = wrap('index.handler', { NODE_OPTIONS: '--enable-source-maps' });
    expect(nodeOptions.startsWith('--enable-source-maps --require ')).toBe(true);
  });

  it('warns once on stderr about a LOOKOUT_LAMBDA_MODULE_FORMAT that is neither esm nor cjs, and guesses', () => {
    // Prepare
    const run = (format: string) =>
      spawnSync(join(opt, 'lookout-handler'), ['/bin/sh', '-c', 'printf "%s" "$_HANDLER"'], {
        env: {
          PATH: process.env.PATH ?? '',
          _HANDLER: 'index.handler',
          LAMBDA_TASK_ROOT: taskRoot,
          LOOKOUT_LAMBDA_MODULE_FORMAT: format,
        },
        encoding: 'utf8',
      });

    // Act
    const invalid = run('module');
    const valid = run('cjs');

    // Assess
    expect(invalid.stdout.endsWith('/lookout/layer/handler-esm.handler')).toBe(true);
    expect(invalid.stderr).toBe(
      'lookout WARN [LOOKOUT_ENV_INVALID] LOOKOUT_LAMBDA_MODULE_FORMAT="module" is not esm or cjs; the handler\'s module format is found from its file instead.\n',
    );
    expect(valid.stderr).toBe('');
  });

  it('only preloads when LOOKOUT_LAMBDA_AUTO_WRAP=false, leaving _HANDLER as it was', () => {
    const { handler, nodeOptions } = wrap('index.handler', { LOOKOUT_LAMBDA_AUTO_WRAP: 'false' });
    expect(handler).toBe('index.handler');
    expect(nodeOptions).toBe(`--require "${opt}/nodejs/node_modules/lookout/dist/cjs/register.js"`);
  });
});
