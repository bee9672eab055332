// The `@default` lines of the public options (src/config/options.ts) are what editors show; the
// settings table (src/config/settings/*.ts) is what Lookout does. This test reads options.ts as
// source, walks `LookoutOptions` down to every option, and holds each option that has a table
// row to the row's default, so the two cannot drift apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript-5';
import { describe, expect, it } from 'vitest';
import type { Setting } from '../../../src/config/setting.js';
import { SETTINGS } from '../../../src/config/settings/index.js';
import type { RuntimeInfo } from '../../../src/runtime/index.js';

const OPTIONS_FILE = join(import.meta.dirname, '..', '..', '..', 'src', 'config', 'options.ts');

interface DocumentedOption {
  readonly path: string;
  /** The text after `@default`, or undefined when the option has no `@default` line. */
  readonly defaultTag: string | undefined;
}

/**
 * Every option reachable from `LookoutOptions`, by its dotted path. A declaration reached by
 * several paths (OtlpOptions under `otlp`, `tracing.otlp`, `metrics.otlp`) is listed under the
 * first one only: its one `@default` line describes that path.
 */
function documentedOptions(source: string): DocumentedOption[] {
  const file = ts.createSourceFile('options.ts', source, ts.ScriptTarget.ES2022, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  for (const statement of file.statements) {
    if (ts.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, statement);
  }
  const seen = new Set<ts.Node>();
  const options: DocumentedOption[] = [];

  const visitType = (type: ts.TypeNode | undefined, path: string): void => {
    if (type === undefined) return;
    if (ts.isIntersectionTypeNode(type)) {
      for (const member of type.types) visitType(member, path);
    } else if (ts.isTypeLiteralNode(type)) {
      visitMembers(type.members, path);
    } else if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const declaration = interfaces.get(type.typeName.text);
      if (declaration !== undefined) visitMembers(declaration.members, path);
    }
  };
  const visitMembers = (members: ts.NodeArray<ts.TypeElement>, prefix: string): void => {
    for (const member of members) {
      if (!ts.isPropertySignature(member) || seen.has(member)) continue;
      seen.add(member);
      const path = `${prefix}${member.name.getText(file)}`;
      const tag = ts.getJSDocTags(member).find((candidate) => candidate.tagName.text === 'default');
      options.push({ path, defaultTag: tag === undefined ? undefined : tagText(tag) });
      visitType(member.type, `${path}.`);
    }
  };

  const root = interfaces.get('LookoutOptions');
  if (root === undefined) throw new Error('options.ts has no LookoutOptions interface');
  visitMembers(root.members, '');
  return options;
}

function tagText(tag: ts.JSDocTag): string {
  const comment = tag.comment;
  const text = typeof comment === 'string' ? comment : (comment ?? []).map((part) => part.text).join('');
  return text.trim();
}

/** The JSON value an `@default` text starts with (`"otlp"; on AWS Lambda …` starts with "otlp"). */
function leadingValue(text: string): { value: unknown } | undefined {
  const match = /^("(?:[^"\\]|\\.)*"|\[[^\]]*\]|\{[^}]*\}|-?\d+(?:\.\d+)?|true|false)/.exec(text);
  if (match?.[1] === undefined) return undefined;
  return { value: JSON.parse(match[1]) };
}

const LOCAL_RUNTIME: RuntimeInfo = { kind: 'local', region: undefined, lambda: undefined, ecs: undefined };

/**
 * The default a row gives outside AWS with no variable set (what an `@default` line states
 * first), or undefined when the value is derived from other settings after resolution.
 */
function tableDefault(setting: Setting): unknown {
  const fallback = setting.default;
  return typeof fallback === 'function' ? fallback({ env: {}, runtime: LOCAL_RUNTIME }) : fallback;
}

/**
 * Why an option's `@default` text disagrees with its row, or undefined when it agrees. The text
 * may start with the value (`"auto"`, `[]`, `true; false on AWS Lambda`), or name the variables
 * read first and then the value (`POWERTOOLS_METRICS_NAMESPACE, then "Lookout"`).
 */
function defaultDisagreement(option: DocumentedOption, setting: Setting): string | undefined {
  if (option.defaultTag === undefined) {
    return `${option.path} has a row in the settings table but no @default line`;
  }
  const expected = tableDefault(setting);
  if (expected === undefined) return undefined;
  const leading = leadingValue(option.defaultTag);
  if (leading === undefined) {
    return option.defaultTag.includes(JSON.stringify(expected))
      ? undefined
      : `${option.path}: @default ${option.defaultTag} does not name the table's default ${JSON.stringify(expected)}`;
  }
  // A list that accepts one string (`exporter: 'none'`) may document its default as that string.
  const stated =
    setting.type === 'list' && setting.acceptsSingle === true && typeof leading.value === 'string'
      ? [leading.value]
      : leading.value;
  return JSON.stringify(stated) === JSON.stringify(expected)
    ? undefined
    : `${option.path}: @default ${option.defaultTag} but the table's default is ${JSON.stringify(expected)}`;
}

function disagreements(source: string): string[] {
  const rows = new Map(SETTINGS.map((setting) => [setting.path, setting]));
  return documentedOptions(source).flatMap((option) => {
    const setting = rows.get(option.path);
    if (setting === undefined) return [];
    const why = defaultDisagreement(option, setting);
    return why === undefined ? [] : [why];
  });
}

describe('the @default lines of options.ts', () => {
  const source = readFileSync(OPTIONS_FILE, 'utf8');

  it('reach the options of every area of the settings table', () => {
    const paths = new Set(documentedOptions(source).map((option) => option.path));
    const rowsWithAnOption = SETTINGS.filter((setting) => paths.has(setting.path));
    // Every area's first row is reached, so the walk covers the nested interfaces.
    for (const path of [
      'enabled',
      'otlp.endpoint',
      'tracing.sampler',
      'lambda.traceContext',
      'metrics.namespace',
    ]) {
      expect(paths).toContain(path);
    }
    for (const path of [
      'xray.daemonAddress',
      'logging.redaction.censor',
      'logs.exporter',
      'http.trustedProxies',
    ]) {
      expect(paths).toContain(path);
    }
    expect(rowsWithAnOption.length).toBeGreaterThan(50);
  });

  it("agree with the settings table's defaults", () => {
    expect(disagreements(source)).toEqual([]);
  });

  it('are caught when one states another value, or is missing', () => {
    const wrongSampler = source.replace('@default "parentbased_always_on"', '@default "always_on"');
    const wrongNamespace = source.replace('then "Lookout"', 'then "MyApp"');
    const noCensor = source.replace('@default "[REDACTED]"', '');
    expect(wrongSampler).not.toBe(source);
    expect(wrongNamespace).not.toBe(source);
    expect(noCensor).not.toBe(source);
    expect(disagreements(wrongSampler)).toEqual([
      `tracing.sampler: @default "always_on" but the table's default is "parentbased_always_on"`,
    ]);
    expect(disagreements(wrongNamespace)).toEqual([
      `metrics.namespace: @default POWERTOOLS_METRICS_NAMESPACE, then "MyApp" does not name the table's default "Lookout"`,
    ]);
    expect(disagreements(noCensor)).toEqual([
      'logging.redaction.censor has a row in the settings table but no @default line',
    ]);
  });
});
