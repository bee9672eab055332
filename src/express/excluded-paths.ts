import { createPathMatcher, getConfig } from '../core.js';

type PathMatcher = (url: string | undefined) => boolean;

let compiledFor: readonly string[] | undefined;
let matcher: PathMatcher = () => false;

/**
 * The `excludedPaths` setting as a matcher, the same list the HTTP instrumentation uses to
 * create no spans (docs/design.md decision 7). Read at request time from the configuration in
 * force, so middleware created before `init()` follows `LOOKOUT_EXCLUDED_PATHS` and then what
 * `init()` resolved; compiled once per configuration.
 */
export function getExcludedPathMatcher(): PathMatcher {
  const paths = getConfig().excludedPaths;
  if (paths !== compiledFor) {
    matcher = createPathMatcher(paths);
    compiledFor = paths;
  }
  return matcher;
}
