// Every variable the SDK reads is described once: in the settings table or in the table of
// platform variables, so docs/environment-variables.md (generated from both) names it. The
// command-line tool (src/cli), the CDK constructs and the error-store forwarder (its own Lambda
// function, configured by its construct) are not the SDK and are not scanned.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PLATFORM_VARIABLES, SETTINGS } from '../../../src/config/index.js';

const srcDir = fileURLToPath(new URL('../../../src', import.meta.url));
const NOT_THE_SDK = ['cli', 'cdk', 'checks', 'lambda/error-store'];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return NOT_THE_SDK.includes(relative(srcDir, path)) ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Code without its comments. */
const withoutComments = (text: string): string =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/**
 * Variable names read in code: `readEnv(env, 'NAME')` and any other `read…(env, 'NAME')`,
 * `env.NAME`, `env['NAME']`; comments left out.
 */
function variablesRead(code: string): string[] {
  const reads = code.matchAll(
    /\bread\w*\([^,]*?,\s*'([A-Z_][A-Z0-9_]*)'\)|[eE]nv\??\.([A-Z_][A-Z0-9_]*)\b|[eE]nv\[['"]([A-Z_][A-Z0-9_]*)['"]\]/g,
  );
  return [...reads].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

/** Lists of variable names, `const LIST = ['NAME', …]`, by the list's name. */
function variableLists(code: string): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const [, name, body] of code.matchAll(/\bconst (\w+) = \[([^\]]*)\]/g)) {
    const names = [...(body ?? '').matchAll(/'([A-Z_][A-Z0-9_]*)'/g)].map((match) => match[1] ?? '');
    if (name !== undefined && names.length > 0) lists.set(name, names);
  }
  return lists;
}

/** Names of the lists whose every entry is read: `LIST.every((name) => read…(env, name))` and the like. */
function listsRead(code: string): string[] {
  const reads = code.matchAll(
    /\b(\w+)\.(?:every|some|map|filter|find)\(\((\w+)\) => read\w*\([^,]*?,\s*(\w+)\)/g,
  );
  return [...reads].filter((match) => match[2] === match[3]).map((match) => match[1] ?? '');
}

const readBy = new Map<string, string[]>();
const lists = new Map<string, string[]>();
const listReads: Array<[list: string, file: string]> = [];
for (const file of sourceFiles(srcDir)) {
  const code = withoutComments(readFileSync(file, 'utf8'));
  const where = relative(srcDir, file);
  for (const name of variablesRead(code)) readBy.set(name, [...(readBy.get(name) ?? []), where]);
  for (const [name, entries] of variableLists(code)) lists.set(name, entries);
  for (const list of listsRead(code)) listReads.push([list, where]);
}
for (const [list, where] of listReads) {
  for (const name of lists.get(list) ?? []) readBy.set(name, [...(readBy.get(name) ?? []), where]);
}

const inSettings = new Set(
  SETTINGS.flatMap((setting) => [
    setting.env,
    ...(setting.standard ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.name)),
  ]),
);
const onThePlatform = new Set(PLATFORM_VARIABLES.map((variable) => variable.name));

describe('environment variables the SDK reads', () => {
  it('finds the reads (the scan works)', () => {
    expect(readBy.get('AWS_LAMBDA_FUNCTION_NAME')).toContain('runtime/detect-runtime.ts');
    expect(readBy.size).toBeGreaterThan(15);
    // read through a list: every span limit variable, where the tracing decides on lean spans
    expect(readBy.get('OTEL_SPAN_LINK_COUNT_LIMIT')).toContain('tracing/start-tracing.ts');
  });

  it('are each in the settings table or the platform variables, and so in the generated reference', () => {
    const undescribed = [...readBy.keys()].filter(
      (name) => !inSettings.has(name) && !onThePlatform.has(name),
    );
    expect(undescribed).toEqual([]);
  });

  it('lists no platform variable the SDK does not read, and none that is also a setting', () => {
    expect([...onThePlatform].filter((name) => !readBy.has(name))).toEqual([]);
    expect([...onThePlatform].filter((name) => inSettings.has(name))).toEqual([]);
  });

  it('reads NODE_ENV only in config/, where it is the default of `environment`', () => {
    expect(readBy.get('NODE_ENV')?.filter((file) => !file.startsWith('config/'))).toEqual([]);
  });
});
