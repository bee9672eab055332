import { createPathMatcher, getLookout, SETTINGS } from '../core.js';

type PathMatcher = (url: string | undefined) => boolean;

function settingDefault(): readonly string[] {
  const setting = SETTINGS.find((candidate) => candidate.path === 'excludedPaths');
  return Array.isArray(setting?.default) ? (setting.default as readonly string[]) : [];
}

let compiledFor: readonly string[] | undefined;
let matcher: PathMatcher = () => false;

/**
 * The `excludedPaths` setting as a matcher, the same list the HTTP instrumentation uses to
 * create no spans (docs/design.md decision 7). Read at request time, so middleware created before
 * `init()` still follows the configuration; compiled once per configuration.
 */
export function getExcludedPathMatcher(): PathMatcher {
  const paths = getLookout()?.config.excludedPaths ?? settingDefault();
  if (paths !== compiledFor) {
    matcher = createPathMatcher(paths);
    compiledFor = paths;
  }
  return matcher;
}
