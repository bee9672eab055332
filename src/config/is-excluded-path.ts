/**
 * Compiles the `excludedPaths` setting into a matcher. Exact paths match exactly; a trailing
 * `*` matches a prefix. The query string is ignored. Compiled once, at init, because it runs
 * on every request (docs/design.md decision 7).
 *
 * @example
 * const isExcluded = createPathMatcher(['/health', '/internal/*']);
 * isExcluded('/health?full=1'); // true
 */
export function createPathMatcher(patterns: readonly string[]): (url: string | undefined) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const pattern of patterns) {
    if (pattern.endsWith('*')) prefixes.push(pattern.slice(0, -1));
    else exact.add(pattern);
  }
  if (exact.size === 0 && prefixes.length === 0) return () => false;
  return (url) => {
    if (url === undefined) return false;
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (exact.has(path)) return true;
    for (const prefix of prefixes) if (path.startsWith(prefix)) return true;
    return false;
  };
}
