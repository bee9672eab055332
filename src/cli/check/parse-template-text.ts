// Parses a CloudFormation template, JSON or YAML, keeping where each resource is written.
// YAML templates use CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, ...): each becomes
// the long form (`{ Ref: x }`, `{ 'Fn::GetAtt': [a, b] }`) the rules read
// (docs/decisions/0021-reading-templates-offline.md).
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { CfnTemplate } from '../../checks/index.js';

/** CloudFormation's short-form intrinsic function tags, and the long form each stands for. */
const FUNCTION_TAGS = [
  'And',
  'Base64',
  'Cidr',
  'Contains',
  'EachMemberEquals',
  'EachMemberIn',
  'Equals',
  'FindInMap',
  'ForEach',
  'GetAZs',
  'GetAtt',
  'If',
  'ImportValue',
  'Join',
  'Length',
  'Not',
  'Or',
  'RefAll',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
  'ValueOf',
  'ValueOfAll',
] as const;

const TAG_NAMES = ['Ref', 'Condition', ...FUNCTION_TAGS].map((name) => `!${name}`);

// Accept every short-form tag on scalars, sequences and mappings and keep the value as it is;
// the conversion to the long form happens below, where the node's tag is still known.
const CUSTOM_TAGS = TAG_NAMES.flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag, collection: 'map' as const, resolve: (value: unknown) => value },
]);

function longForm(tag: string, value: unknown): unknown {
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  // `!GetAtt Resource.Attribute` splits at the first dot; the attribute may itself have dots.
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

/**
 * Most values one template may expand to. Aliases copy what their anchor holds, so a few lines of
 * nested aliases (a "billion laughs" file) would expand to more values than memory holds; a
 * CloudFormation template is at most 1 MB, and a million values is far beyond any real one.
 */
const MAX_VALUES = 1_000_000;

function toValue(node: unknown, document: Document, budget = { remaining: MAX_VALUES }): unknown {
  budget.remaining -= 1;
  if (budget.remaining < 0)
    throw new TemplateSyntaxError(
      `the template expands to more than ${MAX_VALUES} values through its aliases (*name)`,
    );
  if (isAlias(node)) return toValue(node.resolve(document), document, budget);
  let value: unknown;
  if (isScalar(node)) value = node.value;
  else if (isSeq(node)) value = node.items.map((item) => toValue(item, document, budget));
  else if (isMap(node)) {
    const entries: [string, unknown][] = [];
    for (const pair of node.items)
      entries.push([String(toValue(pair.key, document, budget)), toValue(pair.value, document, budget)]);
    value = Object.fromEntries(entries);
  } else return node ?? null;
  const tag = (node as Node).tag;
  return tag !== undefined && TAG_NAMES.includes(tag) ? longForm(tag, value) : value;
}

/** A parsed template and the line each resource's logical id is written on (1-based). */
export interface ParsedTemplate {
  readonly template: CfnTemplate;
  readonly lines: ReadonlyMap<string, number>;
}

/** A template that is not valid JSON or YAML, or not a mapping at the top. */
export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
}

/**
 * Parses JSON or YAML CloudFormation text.
 *
 * @example
 * parseTemplateText('Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: { Role: !GetAtt Role.Arn }\n');
 * // template.Resources.Fn.Properties.Role → { 'Fn::GetAtt': ['Role', 'Arn'] }; lines: Fn → 2
 */
export function parseTemplateText(text: string): ParsedTemplate {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { customTags: CUSTOM_TAGS, lineCounter, uniqueKeys: false });
  const [error] = document.errors;
  if (error !== undefined) {
    const line = error.linePos?.[0];
    throw new TemplateSyntaxError(
      `${line === undefined ? '' : `line ${line.line}: `}${error.message.split('\n')[0]}`,
    );
  }
  const template = toValue(document.contents, document);
  if (typeof template !== 'object' || template === null || Array.isArray(template))
    throw new TemplateSyntaxError('a template is a mapping (Resources, Parameters, …)');

  const lines = new Map<string, number>();
  const resources = isMap(document.contents) ? document.contents.get('Resources', true) : undefined;
  if (isMap(resources)) {
    for (const pair of resources.items) {
      const key = pair.key as Node | null;
      if (key?.range === undefined || key.range === null) continue;
      lines.set(String(toValue(key, document)), lineCounter.linePos(key.range[0]).line);
    }
  }
  return { template: template as CfnTemplate, lines };
}
