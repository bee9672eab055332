import { isStringList, LookoutConfigError } from '../core.js';

/**
 * A middleware's list of paths (`observe({ excludedPaths })`, `auditMiddleware({ excludePaths })`),
 * checked when the middleware is created, as `init()` checks its own options (docs/design.md
 * decision 4). Without the check a string, written as `LOOKOUT_EXCLUDED_PATHS` is
 * (`'/internal/*'`), was read as the list of its characters, whose `*` is a prefix that matches
 * every path: every request then lost its access log, metrics or audit entry without a word.
 *
 * @example
 * readPathListOption('observe.excludedPaths', ['/health', '/internal/*']); // the same list
 * readPathListOption('observe.excludedPaths', '/internal/*'); // throws LookoutConfigError
 */
export function readPathListOption(option: string, value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (isStringList(value)) return value;
  throw new LookoutConfigError({
    option,
    value,
    accepted: "a list of paths, e.g. ['/health', '/internal/*'] (a trailing * matches a prefix)",
  });
}
