// Removes esbuild's `keepNames` wrappers where JavaScript already gives the function the same
// name (docs/decisions/0057-names-kept-without-a-cost-per-closure.md).
//
// With `keepNames`, esbuild writes `__name(fn, "fn")` after every function declaration and
// wraps every function expression: `const flush = __name(() => {…}, "flush")`. Each call is an
// `Object.defineProperty` on the function, and for a closure made inside a function it runs on
// every call of the outer one: on the request path and the Lambda invocation path, per request.
// Yet where the wrapped function is assigned to a binding or property of the same name, the
// language names it so already (ECMAScript's NamedEvaluation), and a declaration is named by
// its identifier. Only those wrappers are removed; the ones that restore a name esbuild changed
// (`run2` → "run", a class's inner `_Logger` → "Logger") stay. `.name` and stack frames read
// exactly as with every wrapper in place.
import { parse } from 'acorn';
import { visit } from './visit-ast.mjs';

/**
 * @typedef {import('acorn').AnyNode} AnyNode
 * @typedef {import('acorn').CallExpression & { arguments: [import('acorn').Expression, import('acorn').Literal & { value: string }] }} NameCall
 */

const HELPER = '__name';
const PURE = '/* @__PURE__ */ ';

/**
 * @param {string} code  a bundle esbuild wrote
 * @param {{ module: boolean }} options  whether it is an ES module (else a CommonJS script)
 * @returns {{ code: string, removed: number, kept: number }}
 */
export function dropRedundantNames(code, { module }) {
  const program = parse(code, {
    ecmaVersion: 'latest',
    sourceType: module ? 'module' : 'script',
    allowHashBang: true,
    allowReturnOutsideFunction: !module,
  });
  /** @type {Array<{ start: number, end: number, inner?: { start: number, end: number } }>} */
  const edits = [];
  let kept = 0;
  visit(program, undefined, (node, parent) => {
    const statements = statementList(node);
    if (statements !== undefined) {
      // `__name(fn, "fn");` beside `function fn() {}` in the same list: the declaration named it
      // already. An empty statement takes its place.
      const declared = new Set();
      for (const statement of statements)
        if (
          (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') &&
          statement.id !== null
        )
          declared.add(statement.id.name);
      for (const statement of statements) {
        const call = statement.type === 'ExpressionStatement' ? statement.expression : undefined;
        if (call === undefined || !isNameCall(call)) continue;
        const [target, literal] = call.arguments;
        if (target.type === 'Identifier' && target.name === literal.value && declared.has(target.name))
          edits.push({ start: statement.start, end: statement.end });
        else kept += 1;
      }
      return;
    }
    if (!isNameCall(node) || (parent?.type === 'ExpressionStatement' && parent.expression === node)) return;
    const [target, literal] = node.arguments;
    if (isAnonymousFunction(target) && namedByPosition(node, parent) === literal.value) {
      // The call's purity annotation goes with it: before a function, other bundlers warn of it.
      const start = code.startsWith(PURE, node.start - PURE.length) ? node.start - PURE.length : node.start;
      edits.push({ start, end: node.end, inner: { start: target.start, end: target.end } });
    } else kept += 1;
  });
  edits.sort((a, b) => a.start - b.start);
  return { code: render(code, edits, 0, code.length), removed: edits.length, kept };
}

/**
 * The text from `from` to `to` with the edits inside it applied (nested ones by recursion).
 * @param {string} code
 * @param {ReadonlyArray<{ start: number, end: number, inner?: { start: number, end: number } }>} edits
 * @param {number} from
 * @param {number} to
 * @returns {string}
 */
function render(code, edits, from, to) {
  let output = '';
  let position = from;
  for (const edit of edits) {
    if (edit.start < position || edit.end > to) continue; // nested in one applied, or outside
    output += code.slice(position, edit.start);
    output += edit.inner === undefined ? ';' : render(code, edits, edit.inner.start, edit.inner.end);
    position = edit.end;
  }
  return output + code.slice(position, to);
}

/**
 * @param {AnyNode} node
 * @returns {node is NameCall}
 */
function isNameCall(node) {
  return (
    node.type === 'CallExpression' &&
    node.callee.type === 'Identifier' &&
    node.callee.name === HELPER &&
    node.arguments.length === 2 &&
    node.arguments[1]?.type === 'Literal' &&
    typeof node.arguments[1].value === 'string'
  );
}

/**
 * A function or class with no name of its own, so the position it is assigned to names it.
 * @param {AnyNode} node
 */
function isAnonymousFunction(node) {
  return (
    (node.type === 'ArrowFunctionExpression' ||
      node.type === 'FunctionExpression' ||
      node.type === 'ClassExpression') &&
    node.id == null
  );
}

/**
 * The name the language gives an anonymous function at `call`'s place, or undefined where it
 * gives none (an argument, `object.property = …`, a computed key).
 * @param {AnyNode} call
 * @param {AnyNode | undefined} parent
 * @returns {string | undefined}
 */
function namedByPosition(call, parent) {
  if (parent === undefined) return undefined;
  if (parent.type === 'VariableDeclarator' && parent.init === call && parent.id.type === 'Identifier')
    return parent.id.name;
  if (
    parent.type === 'AssignmentExpression' &&
    parent.operator === '=' &&
    parent.right === call &&
    parent.left.type === 'Identifier'
  )
    return parent.left.name;
  if (
    (parent.type === 'Property' && parent.kind === 'init' && !parent.method && !parent.shorthand) ||
    parent.type === 'PropertyDefinition'
  ) {
    if (parent.value !== call || parent.computed) return undefined;
    if (parent.key.type === 'Identifier') return parent.key.name;
    if (parent.key.type === 'Literal' && typeof parent.key.value === 'string') return parent.key.value;
  }
  return undefined;
}

/**
 * The statements of a block, program, static block or switch case, or undefined for other nodes.
 * @param {AnyNode} node
 * @returns {AnyNode[] | undefined}
 */
function statementList(node) {
  if (node.type === 'Program' || node.type === 'BlockStatement' || node.type === 'StaticBlock')
    return node.body;
  if (node.type === 'SwitchCase') return node.consequent;
  return undefined;
}
