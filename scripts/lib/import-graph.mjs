// Reads src/ into an import graph and checks the architecture rules of docs/design.md:
//   1. the core never imports an adapter;
//   2. an adapter reaches the core only through src/core.ts (the build relies on it to keep
//      one copy of the core's state per process);
//   3. only src/cdk imports aws-cdk-lib / constructs / cdk-nag;
//   4. no cycles among value imports (type-only imports are erased and cannot cycle at runtime);
//   5. a shared area (pure code two adapters use) reaches the core only through src/core.ts and
//      imports no adapter; adapters may import it directly, the core may not
//      (docs/decisions/0020-shared-template-checks.md);
//   6. the core's folders form layers, each importing only its own layer and those below it,
//      type-only imports included (a type import still couples the folders): see CORE_LAYERS.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ADAPTERS = ['express', 'lambda', 'cli', 'cdk'];
// Bundled into every entry that imports it, so it must hold no state: the rules over
// CloudFormation templates that `lookout check` and the LookoutChecks Aspect share.
export const SHARED = ['checks'];
const CDK_PACKAGES = /^(aws-cdk-lib|constructs|cdk-nag)(\/|$)/;
/**
 * The core's layers, lowest first: a folder (or top-level file) imports only its own layer and
 * those before it. config/ sits below every part, so that one configuration can reach them all
 * (src/config/current-config.ts); the EMF names and limits, the request context and the trace
 * id formats sit below the parts that share them. Adapters and shared areas sit above the
 * whole core and reach it through core.ts (rules 2 and 5).
 */
export const CORE_LAYERS = [
  // Runs before the core loads (core.js calls it) and imports nothing of Lookout's.
  'startup',
  'version',
  'runtime',
  'errors',
  'diag',
  'emf',
  'config',
  // What the three signals' OTLP exporters share (retries that leave the process free to exit).
  'otlp',
  'resource',
  'context',
  'logging',
  'tracing',
  'metrics',
  'http',
  'audit',
  'init',
  'core',
  'index',
  'register',
];

/**
 * @typedef {{ specifier: string, typeOnly: boolean }} ParsedImport
 * @typedef {ParsedImport & { target: string | undefined }} ResolvedImport
 * @typedef {Map<string, ResolvedImport[]>} ImportGraph every file of src/ and what it imports;
 *   `target` is the imported file, undefined for a package
 */

/**
 * Every TypeScript source under `dir`.
 * @param {string} dir
 * @returns {string[]}
 */
function listSources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT_PATTERNS = [
  /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s+['"]([^'"]+)['"]/gm,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/**
 * Every import of a file: its specifier and whether it survives compilation (a value import).
 * @param {string} source
 * @returns {ParsedImport[]}
 */
export function parseImports(source) {
  /** @type {ParsedImport[]} */
  const found = [];
  const [statementPattern, ...otherPatterns] = IMPORT_PATTERNS;
  // The groups read below are not optional, so every match has them.
  for (const match of source.matchAll(/** @type {RegExp} */ (statementPattern))) {
    const clause = /** @type {string} */ (match[3]);
    const typeOnly =
      match[2] !== undefined || /^\{\s*(type\s+[\w$]+\s*(as\s+[\w$]+\s*)?,?\s*)+\}$/.test(clause.trim());
    found.push({ specifier: /** @type {string} */ (match[4]), typeOnly });
  }
  for (const pattern of otherPatterns) {
    for (const match of source.matchAll(pattern))
      found.push({ specifier: /** @type {string} */ (match[1]), typeOnly: false });
  }
  return found;
}

/**
 * The folder of src/ a file is in, or the file's own name for a file at the top.
 * @param {string} srcDir
 * @param {string} file
 * @returns {string}
 */
function areaOf(srcDir, file) {
  const rel = relative(srcDir, file);
  const [first = rel] = rel.split('/');
  return rel.includes('/') ? first : rel.replace(/\.ts$/, '');
}

/**
 * @param {string} srcDir
 * @returns {ImportGraph}
 */
export function buildGraph(srcDir) {
  const files = listSources(srcDir);
  /** @type {ImportGraph} */
  const graph = new Map();
  for (const file of files) {
    const imports = parseImports(readFileSync(file, 'utf8')).map((entry) => {
      if (!entry.specifier.startsWith('.')) return { ...entry, target: undefined };
      const target = resolve(dirname(file), entry.specifier.replace(/\.js$/, '.ts'));
      return { ...entry, target };
    });
    graph.set(file, imports);
  }
  return graph;
}

/**
 * Every import that breaks the direction rules between core, shared areas and adapters.
 * @param {string} srcDir
 * @param {ImportGraph} [graph]
 * @returns {string[]}
 */
export function checkRules(srcDir, graph = buildGraph(srcDir)) {
  /** @type {string[]} */
  const problems = [];
  const coreFile = join(srcDir, 'core.ts');
  for (const [file, imports] of graph) {
    const area = areaOf(srcDir, file);
    const isAdapter = ADAPTERS.includes(area);
    for (const { specifier, target } of imports) {
      const where = `${relative(srcDir, file)} imports ${specifier}`;
      if (target === undefined) {
        if (CDK_PACKAGES.test(specifier) && area !== 'cdk')
          problems.push(`${where}: only src/cdk may import CDK packages`);
        continue;
      }
      const targetArea = areaOf(srcDir, target);
      const isShared = SHARED.includes(area);
      const targetShared = SHARED.includes(targetArea);
      if (!isAdapter && !isShared && (ADAPTERS.includes(targetArea) || targetShared))
        problems.push(`${where}: the core must never import an adapter or a shared area`);
      if (isShared && ADAPTERS.includes(targetArea))
        problems.push(`${where}: a shared area must not import an adapter`);
      else if (
        (isAdapter || isShared) &&
        targetArea !== area &&
        target !== coreFile &&
        !(isAdapter && targetShared)
      ) {
        problems.push(`${where}: adapters reach the core only through src/core.ts`);
      }
    }
  }
  return problems;
}

/**
 * Every import from a core layer to a higher one, type-only imports included, and every core
 * folder missing from CORE_LAYERS (a new folder must be given its place).
 * @param {string} srcDir
 * @param {ImportGraph} [graph]
 * @returns {string[]}
 */
export function checkLayers(srcDir, graph = buildGraph(srcDir)) {
  /** @type {string[]} */
  const problems = [];
  /** @param {string} area */
  const layerOf = (area) => CORE_LAYERS.indexOf(area);
  /** @type {Set<string>} */
  const unplaced = new Set();
  for (const [file, imports] of graph) {
    const area = areaOf(srcDir, file);
    if (ADAPTERS.includes(area) || SHARED.includes(area)) continue;
    if (layerOf(area) < 0) {
      unplaced.add(area);
      continue;
    }
    for (const { specifier, target, typeOnly } of imports) {
      if (target === undefined) continue;
      const targetArea = areaOf(srcDir, target);
      if (targetArea === area || layerOf(targetArea) < 0) continue;
      if (layerOf(targetArea) > layerOf(area)) {
        problems.push(
          `${relative(srcDir, file)} imports ${specifier}${typeOnly ? ' (type only)' : ''}: ${area}/ is below ${targetArea}/ in the layers`,
        );
      }
    }
  }
  for (const area of unplaced) problems.push(`src/${area} has no place in CORE_LAYERS`);
  return problems;
}

/**
 * Every cycle of value imports, each as the files along it, first file repeated at the end.
 * @param {ImportGraph} graph
 * @returns {string[][]}
 */
export function findCycles(graph) {
  /** @type {string[][]} */
  const cycles = [];
  /** @type {Map<string, 'active' | 'done'>} */
  const state = new Map();
  /** @type {string[]} */
  const stack = [];
  /** @param {string} file */
  const visit = (file) => {
    state.set(file, 'active');
    stack.push(file);
    for (const { target, typeOnly } of graph.get(file) ?? []) {
      if (target === undefined || typeOnly || !graph.has(target)) continue;
      if (state.get(target) === 'active') cycles.push([...stack.slice(stack.indexOf(target)), target]);
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}
