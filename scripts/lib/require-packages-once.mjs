// Makes a CommonJS bundle require each external package once
// (docs/decisions/0072-external-packages-required-once.md).
//
// esbuild keeps a `require("@opentelemetry/api")` call in the output for every bundled module
// that imports the external package: 51 in the CommonJS core, 47 run while it loads. Node answers each from its module
// cache, but only after resolving the specifier again (the `node_modules` folders up the tree,
// the package's `exports`): its shortcut for a repeated `require()` of the same specifier from
// the same folder is filled only by the call that loads the module, and the api is loaded from
// one file before the core runs (docs/decisions/0067-opentelemetry-api-from-one-file.md), or by
// the app. That is about 0.15 ms per call, 7 ms of every start-up. Here each such call becomes
// `__lookoutPackage0()`, a function declared once per package at the top of the bundle that
// requires the package at its first call and then returns what that call returned: the same
// module object Node's cache would hand out. (A function rather than an inline `??=`: the
// calls get shorter, and the core stays within its size budget.)
import { builtinModules } from 'node:module';
import { parse } from 'acorn';
import { visit } from './visit-ast.mjs';

/**
 * @typedef {import('acorn').AnyNode} AnyNode
 */

const FUNCTION = '__lookoutPackage';
const MODULE = '__lookoutRequired';
const BUILTINS = new Set(builtinModules);

/**
 * Whether `specifier` names a package: not a relative or absolute path, and not one of Node's
 * builtins, which Node loads without resolving anything.
 * @param {string} specifier
 */
function isPackage(specifier) {
  return (
    !specifier.startsWith('.') &&
    !specifier.startsWith('/') &&
    !specifier.startsWith('node:') &&
    !BUILTINS.has(specifier)
  );
}

/**
 * @param {string} code  a CommonJS bundle esbuild wrote
 * @returns {{ code: string, replaced: number, packages: string[] }}  the bundle with each
 *   package that is required more than once required through one function; `replaced` counts
 *   the calls rewritten, `packages` names the packages.
 */
export function requirePackagesOnce(code) {
  const program = parse(code, {
    ecmaVersion: 'latest',
    sourceType: 'script',
    allowHashBang: true,
    allowReturnOutsideFunction: true,
  });
  /** @type {Map<string, Array<{ start: number, end: number }>>} */
  const calls = new Map();
  visit(program, undefined, (node) => {
    if (
      node.type === 'CallExpression' &&
      node.callee.type === 'Identifier' &&
      node.callee.name === 'require' &&
      node.arguments.length === 1 &&
      node.arguments[0]?.type === 'Literal' &&
      typeof node.arguments[0].value === 'string' &&
      isPackage(node.arguments[0].value)
    ) {
      const specifier = node.arguments[0].value;
      const list = calls.get(specifier) ?? [];
      list.push({ start: node.start, end: node.end });
      calls.set(specifier, list);
    }
  });
  const packages = [...calls].filter(([, list]) => list.length > 1).map(([specifier]) => specifier);
  if (packages.length === 0) return { code, replaced: 0, packages };
  for (const prefix of [FUNCTION, MODULE])
    if (mentions(program, prefix)) throw new Error(`the bundle already names ${prefix}…: pick another name`);
  if (bindsRequire(program))
    throw new Error("the bundle binds a `require` of its own: its calls cannot be told from Node's here");

  /** @type {Array<{ start: number, end: number, text: string }>} */
  const edits = [];
  packages.forEach((specifier, index) => {
    for (const call of calls.get(specifier) ?? []) edits.push({ ...call, text: `${FUNCTION}${index}()` });
  });
  edits.sort((a, b) => a.start - b.start);
  // The functions go after the directive prologue, so that "use strict" stays a directive.
  const prologueEnd = directivePrologueEnd(program);
  const declarations = packages
    .map(
      (specifier, index) =>
        `\nvar ${MODULE}${index};function ${FUNCTION}${index}(){return ${MODULE}${index}??=require(${JSON.stringify(specifier)})}`,
    )
    .join('');
  let output = `${code.slice(0, prologueEnd)}${declarations}\n`;
  let position = prologueEnd;
  for (const edit of edits) {
    output += code.slice(position, edit.start) + edit.text;
    position = edit.end;
  }
  return { code: output + code.slice(position), replaced: edits.length, packages };
}

/**
 * Where the program's directive prologue ("use strict") ends: after its last directive, or at
 * the start of its first statement (after a hashbang line).
 * @param {import('acorn').Program} program
 */
function directivePrologueEnd(program) {
  let end = program.body[0]?.start ?? program.end;
  for (const statement of program.body) {
    if (statement.type !== 'ExpressionStatement' || statement.directive === undefined) break;
    end = statement.end;
  }
  return end;
}

/**
 * Whether any identifier in the program starts with `prefix`.
 * @param {AnyNode} program
 * @param {string} prefix
 */
function mentions(program, prefix) {
  let found = false;
  visit(program, undefined, (node) => {
    if (node.type === 'Identifier' && node.name.startsWith(prefix)) found = true;
  });
  return found;
}

/**
 * Whether the program binds `require` itself anywhere (a parameter, a variable, a function):
 * a call through that binding is not Node's `require`, and this pass does not tell scopes apart.
 * @param {AnyNode} program
 */
function bindsRequire(program) {
  let found = false;
  /** @param {AnyNode | null | undefined} target a binding: a name, or a destructuring pattern */
  const check = (target) => {
    if (target === null || target === undefined) return;
    if (target.type === 'Identifier') {
      if (target.name === 'require') found = true;
    } else if (target.type === 'ObjectPattern') {
      for (const property of target.properties)
        check(property.type === 'RestElement' ? property : property.value);
    } else if (target.type === 'ArrayPattern') {
      for (const element of target.elements) check(element);
    } else if (target.type === 'RestElement') check(target.argument);
    else if (target.type === 'AssignmentPattern') check(target.left);
  };
  visit(program, undefined, (node) => {
    if (node.type === 'VariableDeclarator') check(node.id);
    else if (
      node.type === 'FunctionDeclaration' ||
      node.type === 'FunctionExpression' ||
      node.type === 'ArrowFunctionExpression'
    ) {
      if (node.type !== 'ArrowFunctionExpression') check(node.id);
      for (const param of node.params) check(param);
    } else if (node.type === 'CatchClause') check(node.param);
    else if (node.type === 'ClassDeclaration') check(node.id);
  });
  return found;
}
