// Evaluates the JSON filter patterns of CloudWatch Logs that the constructs write, for tests
// that decide which real log lines a subscription filter would deliver. It covers the subset
// the constructs use: `{ ... }` with `&&`, `||`, parentheses and `$.a.b = "text"` / `!= "text"`,
// where "*" in the text matches any run of characters and `= "*"` alone means "the field
// exists" (the form of aws-cdk-lib's FilterPattern.exists). Anything else throws, so a pattern
// this does not understand cannot pass for one it does.

type Node =
  | { readonly kind: 'and'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'or'; readonly left: Node; readonly right: Node }
  | {
      readonly kind: 'compare';
      readonly path: readonly string[];
      readonly equal: boolean;
      readonly value: string;
    };

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(\(|\)|&&|\|\||!=|=|\$(?:\.[A-Za-z0-9_]+)+|"(?:[^"\\]|\\.)*")/gy;
  let match: RegExpExecArray | null = pattern.exec(text);
  let end = 0;
  while (match !== null) {
    tokens.push(match[1] as string);
    end = pattern.lastIndex;
    match = pattern.exec(text);
  }
  if (text.slice(end).trim() !== '') throw new Error(`unsupported filter pattern text: ${text.slice(end)}`);
  return tokens;
}

function parse(tokens: string[]): Node {
  let position = 0;
  const peek = () => tokens[position];
  const take = () => tokens[position++] as string;
  const primary = (): Node => {
    if (peek() === '(') {
      take();
      const inner = or();
      if (take() !== ')') throw new Error('expected )');
      return inner;
    }
    const path = take();
    const operator = take();
    const literal = take();
    if (!path.startsWith('$.') || (operator !== '=' && operator !== '!=') || !literal.startsWith('"'))
      throw new Error(`unsupported comparison: ${path} ${operator} ${literal}`);
    return {
      kind: 'compare',
      path: path.slice(2).split('.'),
      equal: operator === '=',
      value: JSON.parse(literal),
    };
  };
  const and = (): Node => {
    let node = primary();
    while (peek() === '&&') {
      take();
      node = { kind: 'and', left: node, right: primary() };
    }
    return node;
  };
  const or = (): Node => {
    let node = and();
    while (peek() === '||') {
      take();
      node = { kind: 'or', left: node, right: and() };
    }
    return node;
  };
  const root = or();
  if (position !== tokens.length) throw new Error(`unexpected ${peek()}`);
  return root;
}

function lookup(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function evaluate(node: Node, document: unknown): boolean {
  if (node.kind === 'and') return evaluate(node.left, document) && evaluate(node.right, document);
  if (node.kind === 'or') return evaluate(node.left, document) || evaluate(node.right, document);
  const found = lookup(document, node.path);
  // A field the line does not have matches no comparison, "!=" included.
  if (found === undefined) return false;
  const matches =
    node.value === '*'
      ? true
      : typeof found === 'string' &&
        new RegExp(
          `^${node.value
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ).test(found);
  return node.equal ? matches : !matches;
}

/**
 * Whether CloudWatch Logs would match `line` with the JSON filter `pattern`.
 *
 * @example
 * matchesJsonFilter('{ $.level = "ERROR" }', '{"level":"ERROR"}'); // true
 */
export function matchesJsonFilter(pattern: string, line: string): boolean {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}'))
    throw new Error(`not a JSON filter pattern: ${pattern}`);
  const tree = parse(tokenize(trimmed.slice(1, -1)));
  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch {
    return false;
  }
  return evaluate(tree, document);
}
