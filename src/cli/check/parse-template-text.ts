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

function toValue(node: unknown, document: Document): unknown {
  if (isAlias(node)) return toValue(node.resolve(document), document);
  let value: unknown;
  if (isScalar(node)) value = node.value;
  else if (isSeq(node)) value = node.items.map((item) => toValue(item, document));
  else if (isMap(node)) {
    const entries: [string, unknown][] = [];
    for (const pair of node.items)
      entries.push([String(toValue(pair.key, document)), toValue(pair.value, document)]);
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
