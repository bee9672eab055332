import { sep } from 'node:path';

/** The parts of a CommonJS module record this reads (Node's `Module`). */
interface LoadedModuleRecord {
  readonly filename?: unknown;
  readonly parent?: LoadedModuleRecord | null | undefined;
}

/** The parts of a `require` function this reads. */
export interface RegisterRequire {
  resolve(request: string): string;
  readonly cache: Readonly<Record<string, LoadedModuleRecord | undefined>>;
}

/** Node's ES module entry of `lookout/register` (dist/esm-node/register.js), by its path's end. */
const ESM_ENTRY = `${sep}esm-node${sep}register.js`;

/** The same entry as the file URL an ES module's stack frame names (always `/`-separated). */
const ESM_ENTRY_URL = '/esm-node/register.js';

/**
 * The file names of the calling stack's frames, innermost first, V8's async frames included (the
 * call sites, read before the stack is formatted). Empty when the stack cannot be read.
 */
function getCallerFileNames(): readonly (string | null | undefined)[] {
  const { prepareStackTrace, stackTraceLimit } = Error;
  try {
    Error.stackTraceLimit = 100;
    Error.prepareStackTrace = (_error, sites) => sites.map((site) => site.getFileName());
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder);
    // Read while our prepareStackTrace is in place: V8 formats the stack on first access.
    const stack = holder.stack;
    return Array.isArray(stack) ? stack : [];
  } catch {
    return [];
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Whether the module job that ran the ES module entry was started by code of a file's (an
 * `import()`), not by Node running the main entry's graph. Below the entry's frame Node's loader
 * runs the job (`node:` frames); the async frame under those is whoever awaited it: Node's
 * main-entry runner for the static graph of `node app.mjs`, the app's own file for `await
 * import('lookout/register')`.
 */
function isImportedDynamically(fileNames: readonly (string | null | undefined)[]): boolean {
  const entry = fileNames.findIndex((name) => name?.endsWith(ESM_ENTRY_URL));
  if (entry === -1) return false;
  for (let i = entry + 1; i < fileNames.length; i++) {
    const name = fileNames[i];
    if (name != null && !name.startsWith('node:')) return true;
  }
  return false;
}

/** Whether `args` has Node's `--import` flag (`--import x` or `--import=x`). */
function hasImportFlag(args: readonly string[]): boolean {
  for (const arg of args) if (arg === '--import' || arg.startsWith('--import=')) return true;
  return false;
}

/**
 * Whether `lookout/register` was imported by the app's own ES module code (`import
 * 'lookout/register'` as an entry's first line) rather than preloaded. Node loads and links every
 * static import of a module graph before it runs any of them, so everything imported beside the
 * register was loaded before Lookout could hook it; `node --import lookout/register` runs the
 * register before the app's graph is even read.
 *
 * `registerRequire` is the register's own `require`, which finds its module record (none in the
 * ES module build a bundler takes: then false). Node's ES module entry requires the CommonJS
 * register (docs/decisions/0061-node-loads-the-commonjs-core.md), so that entry as its parent
 * means it was imported. It was preloaded when `--import` is among Node's flags (`execArgv`) or in
 * `NODE_OPTIONS`: that flag may name a file of the app's that imports the register, which cannot
 * be told apart from here, so any `--import` counts (an app preloading something else and
 * importing the register in its code is not reported). `--require` preloads require the
 * CommonJS register directly, never through the ES module entry. An `import()` of the register
 * (`await import('lookout/register')` before the app is imported the same way) loads nothing
 * with it, so it is not reported either: the stack under the entry then holds the file that
 * awaited it. That also leaves unreported an app imported with `import()` whose own first line
 * imports the register statically (the stack is the same).
 *
 * @example
 * isRegisterImportedByApp(require, process.execArgv, process.env.NODE_OPTIONS);
 */
export function isRegisterImportedByApp(
  registerRequire: RegisterRequire,
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): boolean {
  let parent: LoadedModuleRecord | null | undefined;
  try {
    parent = registerRequire.cache[registerRequire.resolve('./register.js')]?.parent;
  } catch {
    return false;
  }
  if (parent == null || typeof parent.filename !== 'string' || !parent.filename.endsWith(ESM_ENTRY))
    return false;
  // NODE_OPTIONS is split on whitespace by Node (quotes aside, which no flag name holds).
  if (hasImportFlag(execArgv) || hasImportFlag(nodeOptions?.split(/\s+/) ?? [])) return false;
  // Read only now, once at start-up and only for an ES module import without a preload flag.
  return !isImportedDynamically(getCallerFileNames());
}
