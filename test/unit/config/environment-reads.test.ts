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

/**
 * Variable names read in code: `readEnv(env, 'NAME')` and any other `read…(env, 'NAME')`,
 * `env.NAME`, `env['NAME']`; comments left out.
 */
function variablesRead(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const reads = code.matchAll(
    /\bread\w*\([^,]*?,\s*'([A-Z_][A-Z0-9_]*)'\)|[eE]nv\??\.([A-Z_][A-Z0-9_]*)\b|[eE]nv\[['"]([A-Z_][A-Z0-9_]*)['"]\]/g,
  );
  return [...reads].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

const readBy = new Map<string, string[]>();
for (const file of sourceFiles(srcDir)) {
  for (const name of variablesRead(readFileSync(file, 'utf8'))) {
    readBy.set(name, [...(readBy.get(name) ?? []), relative(srcDir, file)]);
  }
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
