import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { extname } from 'node:path';

/** What a CommonJS parse of an ES module says, by V8's messages: `import`, `export`, `import.meta`. */
const MODULE_SYNTAX_ERRORS = new Set([
  'Cannot use import statement outside a module',
  "Unexpected token 'export'",
  "Cannot use 'import.meta' outside a module",
]);
/**
 * What it says of code that is valid only as a module: top-level `await`, or a top-level
 * declaration of a name the CommonJS wrapper passes in (`const require = createRequire(…)`).
 */
const MODULE_ONLY_ERRORS = new Set([
  'await is only valid in async functions and the top level bodies of modules',
  "Identifier 'module' has already been declared",
  "Identifier 'exports' has already been declared",
  "Identifier 'require' has already been declared",
  "Identifier '__filename' has already been declared",
  "Identifier '__dirname' has already been declared",
]);
const COMMONJS_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname'];
/**
 * A line that starts an `import` or `export` statement or a top-level `await`, or an
 * `import.meta`: what module syntax looks like, found without parsing (`exports.x`, `importer`
 * and `import(` do not match). A CommonJS file rarely has one, and is then not parsed at all.
 */
const MODULE_WORDS =
  /^[ \t]*(?:import(?:[ \t]+[\w$]|[ \t]*[{*'"])|export(?:[ \t]+[\w$]|[ \t]*[{*])|await[ \t])|\bimport\.meta\b/m;
/**
 * How much of the file is searched for it: static imports head a module as a rule, and a
 * bundled CommonJS entry of megabytes is not read whole to find none.
 */
const HEAD_BYTES = 64 * 1024;

/** The first HEAD_BYTES of `file`, or undefined when it cannot be read. */
function readHead(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.allocUnsafe(HEAD_BYTES);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Whether a `.js` or extensionless file with no declared module type holds ES module syntax, as
 * Node judges it when it runs such a file (syntax detection, on by default since Node 20.19 and 22.7): it parses
 * the file as CommonJS and runs it as an ES module when that fails on module syntax. The file's
 * head is searched for what looks like module syntax first; only then is the whole file parsed,
 * never run, once at start-up. False when it cannot be read.
 */
export function hasModuleSyntax(file: string): boolean {
  // Node judges only these by their syntax; any other extension is CommonJS without a type.
  const extension = extname(file);
  if (extension !== '.js' && extension !== '') return false;
  const head = readHead(file);
  if (head === undefined || !MODULE_WORDS.test(head)) return false;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  // A `#!` line is allowed only at the very start of a script, not in a function body.
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  const vm = require('node:vm') as typeof import('node:vm');
  try {
    vm.compileFunction(source, COMMONJS_PARAMETERS, { filename: file });
    return false;
  } catch (error) {
    const message = (error as { message?: unknown } | null)?.message;
    if (!(error instanceof SyntaxError) || typeof message !== 'string') return false;
    if (MODULE_SYNTAX_ERRORS.has(message)) return true;
    if (!MODULE_ONLY_ERRORS.has(message)) return false;
  }
  // Node parses it again as a module; an async function's body takes the same code.
  try {
    const AsyncFunction = (async () => {}).constructor as new (body: string) => unknown;
    new AsyncFunction(source);
    return true;
  } catch {
    return false;
  }
}
