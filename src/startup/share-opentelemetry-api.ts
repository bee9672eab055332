import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';

/** The file Node resolves `@opentelemetry/api` to, inside its package. */
const API_MAIN = join('build', 'src', 'index.js');

/**
 * What shareOpenTelemetryApi() did: `shared` when the app's `@opentelemetry/api` is now the
 * one-file build; otherwise why the package's own files load as usual.
 */
export type ApiSharing =
  | 'shared'
  | 'loaded-before'
  | 'other-version'
  | 'other-layout'
  | 'not-found'
  | 'failed';

/**
 * Makes `@opentelemetry/api`, as `requireFrom` resolves it, load from `bundledFile`: one file
 * built from the same version of the package, instead of the package's 44 files, each found,
 * read and compiled (decision 0067 has what it saves). The module is put
 * in Node's module cache under the path the package resolves to, so Lookout and every part of
 * the app that resolves the same package get that one module: one copy of the api, as
 * docs/decisions/0002-bundle-api-and-powertools.md requires
 * (docs/decisions/0067-opentelemetry-api-from-one-file.md).
 *
 * Nothing changes when the api is already loaded, when the installed version is not
 * `bundledVersion` (the file would be another version than the one the app installed), or when
 * anything about the package is not as expected: then Node loads the package as always.
 *
 * @example
 * shareOpenTelemetryApi(require, join(__dirname, 'opentelemetry-api.js'), '1.9.1');
 */
export function shareOpenTelemetryApi(
  requireFrom: NodeJS.Require,
  bundledFile: string,
  bundledVersion: string,
): ApiSharing {
  try {
    let main: string;
    try {
      main = requireFrom.resolve('@opentelemetry/api');
    } catch {
      return 'not-found';
    }
    if (requireFrom.cache[main] !== undefined) return 'loaded-before';
    // Not the package's CommonJS build, which is what the one file was built from.
    if (!main.endsWith(sep + API_MAIN)) return 'other-layout';
    const packageDir = main.slice(0, -(API_MAIN.length + 1));
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    if (version !== bundledVersion) return 'other-version';
    requireFrom(bundledFile);
    const bundled = requireFrom.cache[bundledFile];
    if (bundled === undefined) return 'failed';
    requireFrom.cache[main] = bundled;
    return 'shared';
  } catch {
    // The package loads from its own files, as it would without this.
    return 'failed';
  }
}
