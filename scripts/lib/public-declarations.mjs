// The declarations the package publishes: only what its public entry points reach.
//
// tsc writes a .d.ts for every source file, and src/core.ts is the barrel every adapter
// imports the core through, so core.d.ts re-exports internals too (span exporter factories,
// the invocation context manager). A user's compiler loads every file an entry's declarations
// import, whether or not their names are used, and with `skipLibCheck: false` it fails on any
// import it cannot resolve. Those internals name packages Lookout bundles into its JavaScript
// (@opentelemetry/sdk-trace-base, …) and so does not install (docs/decisions/0040-dependencies-of-the-published-package.md).
//
// So, from the public entries, this follows names, not files: a barrel (a file made only of
// `export … from` statements) keeps only the names something public asks for; any other file
// is kept whole, with everything it imports. Files nothing public reaches are deleted. Then
// every package the kept files import must be one the package declares (a dependency or a
// peer) or a Node built-in, or the build fails naming the file and the package.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Removes comments, keeping strings (a string type may hold `//` or `/*`).
 * @param {string} text
 * @returns {string}
 */
export function stripComments(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    const next = text[i + 1];
    if (char === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
      out += ' ';
    } else if (char === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (char === "'" || char === '"' || char === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== char) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += char;
      i += 1;
    }
  }
  return out;
}

const RE_EXPORT = /\bexport\s+(type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]\s*;?/g;
const EXPORT_ALL = /\bexport\s+\*\s*(?:as\s+\w+\s*)?from\s*['"]([^'"]+)['"]/g;
const IMPORT = /\bimport\s+(?:type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
const IMPORT_TYPE = /\bimport\(\s*['"]([^'"]+)['"]\s*\)(?:\.(\w+))?/g;
const SIDE_EFFECT_IMPORT = /\bimport\s*['"]([^'"]+)['"]/g;

/**
 * A capturing group that is not optional in its pattern, so every match has it.
 * @param {RegExpMatchArray} match
 * @param {number} index
 * @returns {string}
 */
function group(match, index) {
  return /** @type {string} */ (match[index]);
}

/**
 * `a, type b as c` → [{ name: 'a', exported: 'a' }, { name: 'b', exported: 'c' }]
 * @param {string} list
 * @returns {{ name: string, exported: string }[]}
 */
function parseSpecifiers(list) {
  return list
    .split(',')
    .map((part) => part.trim().replace(/^type\s+/, ''))
    .filter((part) => part !== '')
    .map((part) => {
      // `split` returns at least one item, so `name` is always the first.
      const [name = part, exported = name] = part.split(/\s+as\s+/);
      return { name, exported };
    });
}

/**
 * What a declaration file says about its module: re-exports, imports, and whether it is a barrel.
 * @param {string} text
 */
export function parseDeclarations(text) {
  const code = stripComments(text);
  const reExports = [...code.matchAll(RE_EXPORT)].map((match) => ({
    statement: match[0],
    specifier: group(match, 3),
    names: parseSpecifiers(group(match, 2)),
  }));
  const exportAll = [...code.matchAll(EXPORT_ALL)].map((match) => group(match, 1));
  /** @type {Array<{ specifier: string, names: string[] | '*' }>} */
  const imports = [];
  for (const match of code.matchAll(IMPORT)) {
    const clause = group(match, 1);
    const named = /\{([^}]*)\}/.exec(clause);
    const whole = /\*\s*as\s+\w+/.test(clause) || /^\s*\w+\s*(,|$)/.test(clause);
    imports.push({
      specifier: group(match, 2),
      names: whole ? '*' : parseSpecifiers(named?.[1] ?? '').map((entry) => entry.name),
    });
  }
  for (const match of code.matchAll(IMPORT_TYPE))
    imports.push({ specifier: group(match, 1), names: match[2] === undefined ? '*' : [match[2]] });
  for (const match of code.matchAll(SIDE_EFFECT_IMPORT))
    imports.push({ specifier: group(match, 1), names: [] });
  let rest = code;
  for (const entry of reExports) rest = rest.replace(entry.statement, '');
  const barrel = exportAll.length === 0 && /^\s*(export\s*\{\s*\}\s*;?\s*)?$/.test(rest);
  return { reExports, exportAll, imports, barrel };
}

/**
 * @param {string} dir
 * @returns {string[]}
 */
function listDeclarations(dir) {
  /** @type {string[]} */
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...listDeclarations(path));
    else if (name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/**
 * The declaration file a relative specifier (`./x.js`, `../core.js`) names, from `file`.
 * @param {string} file
 * @param {string} specifier
 * @returns {string | undefined}
 */
function resolveRelative(file, specifier) {
  const base = resolve(dirname(file), specifier.replace(/\.js$/, ''));
  return [`${base}.d.ts`, join(base, 'index.d.ts')].find((candidate) => {
    try {
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * `@scope/name/deep` → `@scope/name`; `name/deep` → `name`.
 * @param {string} specifier
 * @returns {string}
 */
function packageName(specifier) {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/**
 * Prunes the declarations in `dir` to what `entries` reach, in place, and returns what the kept
 * files import from packages that are not allowed (empty when all is well).
 *
 * @example
 * const problems = prunePublicDeclarations('dist/types', ['index.d.ts'], new Set(['@opentelemetry/api']));
 *
 * @param {string} dir
 * @param {readonly string[]} entries declaration files relative to `dir`
 * @param {ReadonlySet<string>} allowedPackages package names the published package declares
 * @param {string} selfName the package's own name (its JSDoc examples and self-imports)
 * @returns {{ kept: string[], removed: string[], problems: string[] }}
 */
export function prunePublicDeclarations(dir, entries, allowedPackages, selfName = 'lookout') {
  /** @type {Map<string, ReturnType<typeof parseDeclarations>>} */
  const parsed = new Map();
  /** @param {string} file */
  const parse = (file) => {
    let declarations = parsed.get(file);
    if (declarations === undefined) {
      declarations = parseDeclarations(readFileSync(file, 'utf8'));
      parsed.set(file, declarations);
    }
    return declarations;
  };
  /** @type {Map<string, Set<string>>} For each barrel, the exported names something public needs ('*' for all). */
  const wanted = new Map();
  /** @type {Set<string>} */
  const whole = new Set();
  /** @type {string[]} */
  const problems = [];
  /** @type {{ file: string, names: string[] | '*' }[]} */
  const queue = entries.map((entry) => ({ file: join(dir, entry), names: '*' }));

  /**
   * @param {string} from
   * @param {string} specifier
   * @param {string[] | '*'} names
   */
  const follow = (from, specifier, names) => {
    if (!specifier.startsWith('.')) {
      const name = packageName(specifier);
      if (!isBuiltin(specifier) && name !== selfName && !allowedPackages.has(name))
        problems.push(`${relative(dir, from)} imports ${specifier}, which the package does not declare`);
      return;
    }
    const target = resolveRelative(from, specifier);
    if (target === undefined)
      problems.push(`${relative(dir, from)} imports ${specifier}, which does not exist`);
    else queue.push({ file: target, names });
  };

  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    const { file, names } = next;
    const declarations = parse(file);
    if (!declarations.barrel) {
      if (whole.has(file)) continue;
      whole.add(file);
      for (const entry of declarations.reExports)
        follow(
          file,
          entry.specifier,
          entry.names.map((name) => name.name),
        );
      for (const specifier of declarations.exportAll) follow(file, specifier, '*');
      for (const entry of declarations.imports) follow(file, entry.specifier, entry.names);
      continue;
    }
    const already = wanted.get(file) ?? new Set();
    if (already.has('*')) continue;
    const asked = names === '*' ? null : names.filter((name) => !already.has(name));
    if (asked !== null && asked.length === 0) continue;
    wanted.set(file, asked === null ? new Set(['*']) : new Set([...already, ...asked]));
    for (const entry of declarations.reExports) {
      const through = entry.names.filter((name) => asked === null || asked.includes(name.exported));
      if (through.length > 0)
        follow(
          file,
          entry.specifier,
          through.map((name) => name.name),
        );
    }
  }

  for (const [file, names] of wanted) {
    if (names.has('*')) continue;
    const text = readFileSync(file, 'utf8');
    const kept = parse(file)
      .reExports.map((entry) => {
        const through = entry.names.filter((name) => names.has(name.exported));
        if (through.length === 0) return undefined;
        const list = through.map((name) =>
          name.name === name.exported ? name.name : `${name.name} as ${name.exported}`,
        );
        const typeOnly = /^export\s+type\b/.test(entry.statement);
        // A name re-exported as a type in a mixed list keeps its `type` marker.
        const marked = typeOnly
          ? list
          : list.map((item, index) =>
              new RegExp(`\\btype\\s+${through[index]?.name}\\b`).test(entry.statement)
                ? `type ${item}`
                : item,
            );
        return `export ${typeOnly ? 'type ' : ''}{ ${marked.join(', ')} } from '${entry.specifier}';`;
      })
      .filter((line) => line !== undefined);
    const header = /^(\/\/[^\n]*\n)*/.exec(text)?.[0] ?? '';
    writeFileSync(file, `${header}${kept.join('\n')}\n`);
  }

  const keptFiles = new Set([...whole, ...wanted.keys()]);
  /** @type {string[]} */
  const removed = [];
  for (const file of listDeclarations(dir)) {
    if (keptFiles.has(file)) continue;
    rmSync(file);
    removed.push(relative(dir, file).split(sep).join('/'));
  }
  return {
    kept: [...keptFiles].map((file) => relative(dir, file).split(sep).join('/')).sort(),
    removed: removed.sort(),
    problems: [...new Set(problems)],
  };
}
