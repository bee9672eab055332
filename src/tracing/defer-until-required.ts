import { nodeModulesMarker } from './node-modules-marker.js';

/** The part of Node's CommonJS loader this module uses; it is not in the public types. */
interface CommonJsModulePrototype {
  require(this: unknown, id: string): unknown;
}

/**
 * Whether a file of a package under one of `prefixes` (scopes such as `@aws-sdk/`, or whole
 * package names) is in the CommonJS cache already.
 */
export function isAnyLoaded(prefixes: readonly string[]): boolean {
  const folders = prefixes.map(nodeModulesMarker);
  return Object.keys(require.cache).some((file) => folders.some((folder) => file.includes(folder)));
}

/**
 * Runs `start` when the app first requires a module whose name starts with one of `prefixes`,
 * just before that module loads, and never otherwise. Returns a function that removes the hook.
 *
 * Why: setting up an upstream instrumentation costs a measurable share of start-up (loading it,
 * creating it, installing its require hooks), and most processes never load the packages it
 * hooks: a server that never talks to AWS, a Lambda function that only computes. One
 * comparison per `require()` call until then is all such a process pays
 * (docs/decisions/0055-start-up-loads-what-it-starts.md). `start` installs the real hooks, so
 * the triggering request is issued again through them: the instrumented module itself can be
 * the first one the app asks for.
 *
 * The hook sits on `Module.prototype.require`, where require-in-the-middle hooks, so a
 * CommonJS package that an ES module imports is caught at its first inner `require()` of the
 * AWS SDK's own packages, before any of them loads.
 */
export function deferUntilRequired(prefixes: readonly string[], start: () => void): () => void {
  const prototype = (require('node:module') as unknown as { prototype: CommonJsModulePrototype }).prototype;
  const original = prototype.require;
  let pending = true;
  const matches = (id: unknown) => typeof id === 'string' && prefixes.some((prefix) => id.startsWith(prefix));
  const remove = () => {
    pending = false;
    // Only when nothing wrapped it since; otherwise it stays in the chain and passes through.
    if (prototype.require === lookoutDeferredRequire) prototype.require = original;
  };
  function lookoutDeferredRequire(this: unknown, id: string): unknown {
    if (!pending || !matches(id)) return Reflect.apply(original, this, [id]);
    remove();
    start();
    return Reflect.apply(prototype.require, this, [id]);
  }
  prototype.require = lookoutDeferredRequire;
  return remove;
}
