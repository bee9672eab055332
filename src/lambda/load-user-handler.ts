import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the function's own handler lives, split as the Node.js runtime splits `_HANDLER`. */
export interface HandlerLocation {
  /** The module's path without extension, e.g. `/var/task/src/index`. */
  readonly modulePath: string;
  /** The module's name as written (`index`), for node_modules resolution. */
  readonly moduleName: string;
  /** The folder part of the handler string, resolved against the task root. */
  readonly moduleRoot: string;
  /** The exported property path, e.g. `handler` or `nested.handler`. */
  readonly exportPath: string;
}

/** An error the runtime itself would raise, with the runtime's error type as its name. */
function runtimeError(type: string, message: string): Error {
  const error = new Error(message);
  error.name = `Runtime.${type}`;
  return error;
}

/**
 * Splits a handler string (`src/index.nested.handler`) as the Node.js runtime does: the last
 * path segment holds the module name up to its first dot, then the export path.
 *
 * @example
 * locateHandler('/var/task', 'src/index.handler');
 * // { modulePath: '/var/task/src/index', moduleName: 'index', moduleRoot: '/var/task/src', exportPath: 'handler' }
 */
export function locateHandler(taskRoot: string, handler: string): HandlerLocation {
  if (handler.includes('..'))
    throw runtimeError(
      'MalformedHandlerName',
      `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  const name = basename(handler);
  const match = /^([^.]*)\.(.*)$/.exec(name);
  if (match === null || match[1] === undefined || match[2] === undefined || match[2] === '')
    throw runtimeError('MalformedHandlerName', 'Bad handler');
  const moduleRoot = resolve(taskRoot, handler.slice(0, handler.length - name.length));
  return { modulePath: join(moduleRoot, match[1]), moduleName: match[1], moduleRoot, exportPath: match[2] };
}

/** The runtime's rule: the nearest package.json says `"type": "module"`, not looking past node_modules. */
function isTypeModule(folder: string): boolean {
  let dir = folder;
  for (let depth = 0; depth < 64; depth++) {
    if (dir.endsWith('/node_modules')) return false;
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
  return false;
}

/** How the module must be loaded: `require`, `import`, or from node_modules. */
export type ModuleLoad =
  | { readonly kind: 'require'; readonly file: string }
  | { readonly kind: 'import'; readonly file: string }
  | { readonly kind: 'resolve' };

/**
 * Picks the file and the loader in the runtime's order: extensionless, `.js` (an ES module
 * under `"type": "module"`), `.mjs`, `.cjs`, and otherwise node_modules resolution.
 */
export function chooseModuleLoad(location: HandlerLocation): ModuleLoad {
  const { modulePath } = location;
  if (existsSync(modulePath)) return { kind: 'require', file: modulePath };
  if (existsSync(`${modulePath}.js`))
    return isTypeModule(dirname(modulePath))
      ? { kind: 'import', file: `${modulePath}.js` }
      : { kind: 'require', file: `${modulePath}.js` };
  if (existsSync(`${modulePath}.mjs`)) return { kind: 'import', file: `${modulePath}.mjs` };
  if (existsSync(`${modulePath}.cjs`)) return { kind: 'require', file: `${modulePath}.cjs` };
  return { kind: 'resolve' };
}

function requireFrom(location: HandlerLocation, load: ModuleLoad): unknown {
  if (load.kind !== 'resolve') return require(load.file);
  return require(require.resolve(location.moduleName, { paths: [location.moduleRoot] }));
}

/** Loads the module, as an ES module where the runtime would import it. */
export async function loadModule(location: HandlerLocation): Promise<unknown> {
  const load = chooseModuleLoad(location);
  if (load.kind === 'import') return import(pathToFileURL(load.file).href);
  return requireFrom(location, load);
}

/** Loads the module synchronously; undefined when it is an ES module (it must be imported). */
export function loadModuleSync(location: HandlerLocation): { readonly module: unknown } | undefined {
  const load = chooseModuleLoad(location);
  return load.kind === 'import' ? undefined : { module: requireFrom(location, load) };
}

/** The exported function at the handler's export path; throws the runtime's HandlerNotFound, with its message, otherwise. */
export function pickHandler(module: unknown, location: HandlerLocation, handler: string): unknown {
  let value: unknown = module;
  for (const key of location.exportPath.split('.'))
    value = value !== null && value !== undefined ? (value as Record<string, unknown>)[key] : undefined;
  if (typeof value === 'function') return value;
  // The runtime's two messages: an export that is there but is not a function is not reported as
  // missing (a user would look for an export that exists).
  if (!value) throw runtimeError('HandlerNotFound', `${handler} is undefined or not exported`);
  throw runtimeError('HandlerNotFound', `${handler} is not a function`);
}
