/**
 * Edit distance between two strings, counting a swap of two neighbouring characters as one
 * edit (optimal string alignment): `biuld` is one edit from `build`, as a typing slip is.
 */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const distance: number[] = new Array(rows * columns).fill(0);
  const at = (i: number, j: number) => distance[i * columns + j] ?? 0;
  for (let i = 0; i < rows; i++) distance[i * columns] = i;
  for (let j = 0; j < columns; j++) distance[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      distance[i * columns + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate a mistyped word most likely meant, for a "did you mean" hint: the nearest by
 * edit distance when it is at most 2 edits and under half the word's length away, or the one
 * candidate the word starts (`coll` for `collector`); undefined when nothing is that close.
 *
 * @example
 * closestMatch('colector', ['check', 'collector', 'dev', 'layer']); // 'collector'
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= 2 && bestDistance * 2 < Math.max(lower.length, 2)) return best;
  const prefixed = candidates.filter((candidate) => lower.length >= 2 && candidate.startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
